import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOfflineApi, type OfflineApi } from '../openapi-document.ts';
import { describeValidation } from './validation-messages.ts';

const error = (keyword: string, instancePath: string, params: Record<string, unknown> = {}) => ({
  keyword,
  instancePath,
  schemaPath: `#/${keyword}`,
  params,
  message: 'ajv words',
});

describe('describeValidation', () => {
  it('names the value as the caller knows it and says what it must be', () => {
    expect(describeValidation([error('maxLength', '/name', { limit: 64 })], 'body')).toEqual({
      problems: ['The field "name" must be at most 64 characters long.'],
      fields: ['name'],
    });
    expect(
      describeValidation([error('pattern', '/limit', { pattern: '^[0-9]{1,4}$' })], 'querystring').problems,
    ).toEqual(['The query parameter "limit" must be a whole number.']);
    expect(
      describeValidation([error('pattern', '/name', { pattern: '^[a-z]([-a-z0-9]*[a-z0-9])?$' })], 'params')
        .problems[0],
    ).toMatch(/^The path parameter "name" must be a store name: lower-case letters/);
    expect(describeValidation([error('enum', '/scopes/1', { allowedValues: ['a', 'b'] })]).problems).toEqual([
      'The field "scopes[1]" must be one of: a, b.',
    ]);
  });

  it('says which field is one too many or missing', () => {
    expect(
      describeValidation([error('additionalProperties', '', { additionalProperty: 'owner' })]).problems,
    ).toEqual(['This endpoint takes no field "owner".']);
    expect(
      describeValidation([error('additionalProperties', '', { additionalProperty: 'x' })], 'querystring')
        .problems,
    ).toEqual(['There is no query parameter "x" here.']);
    expect(describeValidation([error('required', '', { missingProperty: 'engine' })]).problems).toEqual([
      'The body needs the field "engine".',
    ]);
  });

  it('makes one sentence of a union’s many failed branches, or the one that applies', () => {
    const union = [
      error('type', '/expiresInDays', { type: 'integer' }),
      error('type', '/expiresInDays', { type: 'null' }),
      error('anyOf', '/expiresInDays'),
    ];
    expect(describeValidation(union).problems).toEqual([
      'The field "expiresInDays" must be a whole number or null.',
    ]);
    const below = [
      error('minimum', '/expiresInDays', { limit: 1, comparison: '>=' }),
      error('type', '/expiresInDays', { type: 'null' }),
      error('anyOf', '/expiresInDays'),
    ];
    expect(describeValidation(below).problems).toEqual(['The field "expiresInDays" must be at least 1.']);
    const literals = [
      error('const', '/outcome', { allowedValue: 'success' }),
      error('const', '/outcome', { allowedValue: 'failure' }),
      error('anyOf', '/outcome'),
    ];
    expect(describeValidation(literals, 'querystring').problems).toEqual([
      'The query parameter "outcome" must be one of: success, failure.',
    ]);
  });

  it('reports a wrong type alone, not the rules the value was never checked against', () => {
    const errors = [
      error('type', '/engine', { type: 'string' }),
      error('enum', '/engine', { allowedValues: ['medusa'] }),
    ];
    expect(describeValidation(errors).problems).toEqual(['The field "engine" must be text.']);
    expect(describeValidation([error('type', '/limit', { type: 'string' })], 'querystring').problems).toEqual(
      ['The query parameter "limit" must be given once.'],
    );
  });
});

describe('validation errors of a real route', () => {
  let api: OfflineApi;
  beforeAll(async () => {
    api = await buildOfflineApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('answer in sentences, with the fields in details', async () => {
    const res = await api.app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 5 } });
    expect(res.statusCode).toBe(400);
    const { error: e } = res.json<{
      error: { code: string; message: string; details: { problems: string[] } };
    }>();
    expect(e.code).toBe('invalid_request');
    expect([...e.details.problems].sort()).toEqual([
      'The body needs the field "password".',
      'The field "username" must be text.',
    ]);
    expect(e.message).toBe(e.details.problems.join(' '));
  });

  it('refuse a text/plain body as 415, not as a string the schema then refuses', async () => {
    const res = await api.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'content-type': 'text/plain' },
      payload: JSON.stringify({ username: 'a', password: 'b' }),
    });
    expect(res.statusCode).toBe(415);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('unsupported_media_type');
  });
});

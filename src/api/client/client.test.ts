import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { documentPath, renderClientFiles, schemaPath } from '../../../scripts/gen-api-client.ts';
import type { engines, Phase } from '../../store/schema.ts';
import { hashPassword } from '../identity/passwords.ts';
import { mintToken } from '../identity/tokens.ts';
import { buildOfflineApi, openApiDocument, type OfflineApi } from '../openapi-document.ts';
import { type ApiErrorBody, createStoreplaneClient, type StoreDetail, type StoreSummary } from './client.ts';

const stale = (file: string) =>
  `${file} is not what the API's routes produce now: run \`npm run gen:client\` and commit the result.`;

describe('the generated client', () => {
  let document: Record<string, unknown>;
  beforeAll(async () => {
    document = await openApiDocument();
  });

  it('is made from the OpenAPI document the routes produce now (openapi.json is current)', async () => {
    const committed = JSON.parse(await readFile(documentPath, 'utf8')) as unknown;
    // Compared as JSON text, so a change of key order counts as drift too.
    expect(JSON.stringify(committed), stale('src/api/client/openapi.json')).toBe(JSON.stringify(document));
  });

  it('has types generated from that document (schema.d.ts is current)', async () => {
    const { schema } = await renderClientFiles(document);
    expect(await readFile(schemaPath, 'utf8'), stale('src/api/client/schema.d.ts')).toBe(schema);
  });
});

describe('createStoreplaneClient', () => {
  let api: OfflineApi;
  let token: string;
  // The app answers through inject(): no socket, no network.
  const fetchViaInject = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const answer = await api.app.inject({
      method: request.method as 'GET',
      url: `${url.pathname}${url.search}`,
      headers: Object.fromEntries(request.headers),
      ...(body ? { payload: body } : {}),
    });
    const headers = new Headers();
    for (const [k, v] of Object.entries(answer.headers)) {
      for (const one of Array.isArray(v) ? v : [v]) if (one !== undefined) headers.append(k, String(one));
    }
    const empty = answer.statusCode === 204 || answer.statusCode === 304;
    return new Response(empty ? null : answer.rawPayload, { status: answer.statusCode, headers });
  };

  beforeAll(async () => {
    api = await buildOfflineApi();
    const user = await api.db.users.create({
      username: 'client-test',
      role: 'member',
      passwordHash: await hashPassword('client-test-password'),
    });
    const minted = mintToken();
    await api.db.tokens.create({
      id: minted.id,
      userId: user.id,
      name: 'client test',
      scopes: ['stores:read'],
      tokenHash: minted.hash,
      createdAt: new Date().toISOString(),
      expiresAt: null,
    });
    token = minted.token;
  });
  afterAll(async () => {
    await api?.close();
  });

  it('sends the token as a Bearer credential and types the answer', async () => {
    const client = createStoreplaneClient({ baseUrl: 'http://api.invalid/', token, fetch: fetchViaInject });
    const { data, error, response } = await client.GET('/api/v1/session');
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data?.user.username).toBe('client-test');
    expect(data?.via).toBe('token');
    expect(data?.scopes).toEqual(['stores:read']);

    const stores = await client.GET('/api/v1/stores', { params: { query: { limit: '10' } } });
    expect(stores.data).toEqual({ stores: [] });
  });

  it('gives the API error shape, typed, when the call is refused', async () => {
    const client = createStoreplaneClient({ baseUrl: 'http://api.invalid', fetch: fetchViaInject });
    const { data, error, response } = await client.GET('/api/v1/session');
    expect(data).toBeUndefined();
    expect(response.status).toBe(401);
    expectTypeOf(error!).toEqualTypeOf<ApiErrorBody>();
    expect(error?.error.code).toBe('unauthorized');
    expect(error?.error.requestId).toBe(response.headers.get('x-request-id'));

    const missing = await createStoreplaneClient({
      baseUrl: 'http://api.invalid',
      token,
      fetch: fetchViaInject,
    }).GET('/api/v1/stores/{name}', { params: { path: { name: 'no-such-store' } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error?.error.code).toBe('not_found');
  });

  it('exports the store views under their names', () => {
    expectTypeOf<StoreSummary['phase']>().toEqualTypeOf<Phase>();
    expectTypeOf<StoreSummary['engine']>().toEqualTypeOf<(typeof engines)[number]>();
    expectTypeOf<StoreDetail>().toMatchTypeOf<StoreSummary>();
    expectTypeOf<StoreDetail['pipeline'][number]['state']>().toEqualTypeOf<
      'done' | 'running' | 'failed' | 'waiting'
    >();
  });
});

import { describe, expect, it } from 'vitest';
import { canonicalJson, fingerprint, isReplayable } from './idempotency.ts';

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ a: { d: [3, { z: 1, y: 2 }], c: null } }, '{"a":{"c":null,"d":[3,{"y":2,"z":1}]}}'],
    ['x', '"x"'],
    [undefined, 'null'],
  ])('%j', (value, expected) => expect(canonicalJson(value)).toBe(expected));
});

describe('fingerprint', () => {
  it('ignores key order and tells bodies, paths and methods apart', () => {
    const a = fingerprint('POST', '/api/v1/stores', { engine: 'medusa', displayName: 'A' });
    expect(fingerprint('POST', '/api/v1/stores', { displayName: 'A', engine: 'medusa' })).toBe(a);
    expect(fingerprint('POST', '/api/v1/stores', { displayName: 'B', engine: 'medusa' })).not.toBe(a);
    expect(fingerprint('POST', '/api/v1/stores/x/retry', { displayName: 'A', engine: 'medusa' })).not.toBe(a);
    expect(fingerprint('PUT', '/api/v1/stores', { displayName: 'A', engine: 'medusa' })).not.toBe(a);
  });
});

describe('isReplayable', () => {
  it.each([
    [201, true],
    [200, true],
    [400, true],
    [403, true],
    [409, false],
    [429, false],
    [500, false],
    [503, false],
  ])('%i -> %s', (status, expected) => expect(isReplayable(status)).toBe(expected));
});

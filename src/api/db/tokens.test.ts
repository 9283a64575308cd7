import { describe, expect, it } from 'vitest';
import { joinScopes, splitScopes } from './tokens.ts';

describe('token scopes', () => {
  it('round-trip through the stored form', () => {
    const scopes = ['stores:read', 'stores:write'];
    expect(joinScopes(scopes)).toBe('stores:read stores:write');
    expect(splitScopes(joinScopes(scopes))).toEqual(scopes);
  });

  it('store no scopes as the empty string', () => {
    expect(joinScopes([])).toBe('');
    expect(splitScopes('')).toEqual([]);
  });

  it('refuse a scope that would not come back whole', () => {
    expect(() => joinScopes(['stores:read write'])).toThrow(/invalid token scope/);
    expect(() => joinScopes([''])).toThrow(/invalid token scope/);
    expect(() => joinScopes(['a\tb'])).toThrow(/invalid token scope/);
  });
});

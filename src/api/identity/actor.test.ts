import { describe, expect, it } from 'vitest';
import { canSee, effectiveScopes, isAdmin, type Actor } from './actor.ts';

const user = (role: 'admin' | 'member', username = 'ann') => ({
  id: '1',
  username,
  role,
  disabled: false,
  storeLimit: null,
  createdAt: '',
});

describe('effectiveScopes', () => {
  it.each([
    ['member session', 'member', undefined, ['stores:read', 'stores:write', 'credentials:reveal']],
    ['admin session', 'admin', undefined, ['stores:read', 'stores:write', 'credentials:reveal', 'admin']],
    ['member token asking for admin gets none of it', 'member', ['stores:read', 'admin'], ['stores:read']],
    ['admin read-only token', 'admin', ['stores:read'], ['stores:read']],
    ['unknown scopes are dropped', 'member', ['root', 'stores:write'], ['stores:write']],
  ] as const)('%s', (_, role, token, expected) => {
    expect([...effectiveScopes(role, token as readonly string[] | undefined)].sort()).toEqual(
      [...expected].sort(),
    );
  });
});

describe('visibility', () => {
  const actor = (role: 'admin' | 'member', scopes?: string[]): Actor => ({
    user: user(role),
    via: scopes ? 'token' : 'session',
    scopes: effectiveScopes(role, scopes),
  });
  it.each([
    ['member sees own', actor('member'), 'ann', true],
    ['member does not see another', actor('member'), 'bob', false],
    ['admin sees all', actor('admin'), 'bob', true],
    ['admin token without admin scope is a member', actor('admin', ['stores:read']), 'bob', false],
  ] as const)('%s', (_, a, owner, expected) => {
    expect(canSee(a, owner)).toBe(expected);
  });
  it('admin needs both the role and the scope', () => {
    expect(isAdmin(actor('admin'))).toBe(true);
    expect(isAdmin(actor('admin', ['stores:read']))).toBe(false);
  });
});

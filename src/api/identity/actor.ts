import type { User } from '../db/platform-db.ts';
import type { Role } from '../db/tables.ts';
import type { Scope } from './tokens.ts';

/** Who is calling, and what they may do on this request. */
export interface Actor {
  user: User;
  via: 'session' | 'token';
  tokenId?: string;
  scopes: ReadonlySet<Scope>;
}

const roleScopes: Record<Role, Scope[]> = {
  member: ['stores:read', 'stores:write', 'credentials:reveal'],
  admin: ['stores:read', 'stores:write', 'credentials:reveal', 'admin'],
};

/**
 * A session has every right of its user's role; a token has the scopes it was made with, cut
 * down to what the user's role allows now (a token never exceeds its owner, even after a demotion).
 */
export function effectiveScopes(role: Role, tokenScopes?: readonly string[]): Set<Scope> {
  const allowed = roleScopes[role];
  if (!tokenScopes) return new Set(allowed);
  return new Set(allowed.filter((s) => tokenScopes.includes(s)));
}

export function scopesAllowedFor(role: Role): readonly Scope[] {
  return roleScopes[role];
}

export const isAdmin = (actor: Actor) => actor.user.role === 'admin' && actor.scopes.has('admin');

/** Members see their own stores; admins see all. */
export function canSee(actor: Actor, owner: string): boolean {
  return isAdmin(actor) || actor.user.username === owner;
}

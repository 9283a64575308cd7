import { createHash, randomBytes } from 'node:crypto';

/**
 * Personal API tokens: `spt_<id>_<secret>`. The id is public (lists show it, revocation names
 * it); only a sha256 of the whole token is stored, so the token is shown once, at creation.
 * A prefix a secret scanner can match (like GitHub's `ghp_`) makes leaked tokens findable.
 */
export const tokenScopes = ['stores:read', 'stores:write', 'credentials:reveal', 'admin'] as const;
export type Scope = (typeof tokenScopes)[number];

const tokenPattern = /^spt_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export function mintToken(): { id: string; token: string; hash: string } {
  const id = randomBytes(9)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 12);
  const token = `spt_${id}_${randomBytes(32).toString('base64url')}`;
  return { id, token, hash: hashSecret(token) };
}

export function looksLikeToken(token: string): boolean {
  return tokenPattern.test(token);
}

export function hashSecret(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

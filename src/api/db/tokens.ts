/** Personal API tokens: only their hash is stored; scopes are space-separated words. */
import type { ExpressionBuilder, Kysely, Selectable } from 'kysely';
import type { ApiToken, PlatformDb } from './platform-db.ts';
import type { ApiTokensTable, Tables } from './tables.ts';

/** Scopes as stored. A scope holding whitespace would split into two on the way back: refused. */
export function joinScopes(scopes: readonly string[]): string {
  for (const s of scopes) {
    if (s === '' || /\s/.test(s)) throw new Error(`invalid token scope ${JSON.stringify(s)}`);
  }
  return scopes.join(' ');
}

export function splitScopes(stored: string): string[] {
  return stored.split(' ').filter((s) => s !== '');
}

export function toApiToken(row: Selectable<ApiTokensTable>): ApiToken {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    scopes: splitScopes(row.scopes),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

/** Neither revoked nor expired at `now`. */
function live(now: string) {
  return (eb: ExpressionBuilder<Tables, 'api_tokens'>) =>
    eb.and([eb('revoked_at', 'is', null), eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)])]);
}

export function tokensRepo(db: Kysely<Tables>): PlatformDb['tokens'] {
  return {
    async create(t) {
      const row: Selectable<ApiTokensTable> = {
        id: t.id,
        user_id: t.userId,
        name: t.name,
        token_hash: t.tokenHash,
        scopes: joinScopes(t.scopes),
        created_at: t.createdAt,
        expires_at: t.expiresAt,
        last_used_at: null,
        revoked_at: null,
      };
      await db.insertInto('api_tokens').values(row).execute();
      return toApiToken(row);
    },

    async byHash(tokenHash, now) {
      const row = await db
        .selectFrom('api_tokens')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .where(live(now))
        .executeTakeFirst();
      return row ? toApiToken(row) : undefined;
    },

    /** Every token of the user, revoked and expired ones too (the list shows their state). */
    async listForUser(userId) {
      const rows = await db
        .selectFrom('api_tokens')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .execute();
      return rows.map(toApiToken);
    },

    async revoke(userId, id, now) {
      const r = await db
        .updateTable('api_tokens')
        .set({ revoked_at: now })
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .where(live(now))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    async touch(id, now) {
      await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
    },
  };
}

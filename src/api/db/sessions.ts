/** Server-side sessions, keyed by the hash of the cookie's session id. */
import type { Kysely } from 'kysely';
import type { PlatformDb } from './platform-db.ts';
import type { Tables } from './tables.ts';

export function sessionsRepo(db: Kysely<Tables>, now: () => string): PlatformDb['sessions'] {
  return {
    async create(idHash, s) {
      await db
        .insertInto('sessions')
        .values({
          id_hash: idHash,
          user_id: s.userId,
          data: s.data,
          created_at: now(),
          expires_at: s.expiresAt,
        })
        .execute();
    },

    async get(idHash, at) {
      const row = await db
        .selectFrom('sessions')
        .select(['user_id', 'data', 'expires_at'])
        .where('id_hash', '=', idHash)
        .where('expires_at', '>', at)
        .executeTakeFirst();
      return row ? { userId: row.user_id, data: row.data, expiresAt: row.expires_at } : undefined;
    },

    /** An upsert: session stores call `set` for new sessions as well as for changed ones. */
    async set(idHash, s) {
      await db
        .insertInto('sessions')
        .values({
          id_hash: idHash,
          user_id: s.userId,
          data: s.data,
          created_at: now(),
          expires_at: s.expiresAt,
        })
        .onConflict((oc) =>
          oc.column('id_hash').doUpdateSet({ user_id: s.userId, data: s.data, expires_at: s.expiresAt }),
        )
        .execute();
    },

    async destroy(idHash) {
      await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    },

    async destroyForUser(userId) {
      const r = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
      return Number(r.numDeletedRows);
    },

    async deleteExpired(at) {
      const r = await db.deleteFrom('sessions').where('expires_at', '<=', at).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

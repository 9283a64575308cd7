/**
 * Idempotency keys: the first request with a key claims it; a retry replays the stored response,
 * waits for a pending one, or is refused when it is another request under the same key.
 */
import type { Kysely } from 'kysely';
import type { IdempotencyClaim, PlatformDb } from './platform-db.ts';
import type { Tables } from './tables.ts';

export function idempotencyRepo(db: Kysely<Tables>): PlatformDb['idempotency'] {
  const where = (userId: string, key: string) =>
    db.updateTable('idempotency_keys').where('user_id', '=', userId).where('key', '=', key);

  return {
    async claim(userId, key, fingerprint, now, expiresAt) {
      const fresh = {
        fingerprint,
        state: 'pending' as const,
        status_code: null,
        response: null,
        created_at: now,
        expires_at: expiresAt,
      };
      // A key deleted between our insert and our read (release, expiry sweep) is free again:
      // try again, a few times at most.
      for (let attempt = 0; attempt < 3; attempt++) {
        const inserted = await db
          .insertInto('idempotency_keys')
          .values({ user_id: userId, key, ...fresh })
          .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
          .returning('key')
          .executeTakeFirst();
        if (inserted) return { kind: 'claimed' };

        // Taken over only while still expired: of two racing claimers one updates, the other
        // then sees a live key.
        const reclaimed = await where(userId, key)
          .set(fresh)
          .where('expires_at', '<=', now)
          .returning('key')
          .executeTakeFirst();
        if (reclaimed) return { kind: 'claimed' };

        const row = await db
          .selectFrom('idempotency_keys')
          .select(['fingerprint', 'state', 'status_code', 'response'])
          .where('user_id', '=', userId)
          .where('key', '=', key)
          .executeTakeFirst();
        if (!row) continue;
        return holder(row, fingerprint);
      }
      throw new Error('idempotency key kept vanishing while being claimed');
    },

    async complete(userId, key, statusCode, response) {
      await where(userId, key).set({ state: 'done', status_code: statusCode, response }).execute();
    },

    async release(userId, key) {
      // Only a pending claim: a finished response stays replayable.
      await db
        .deleteFrom('idempotency_keys')
        .where('user_id', '=', userId)
        .where('key', '=', key)
        .where('state', '=', 'pending')
        .execute();
    },

    async deleteExpired(now) {
      const r = await db.deleteFrom('idempotency_keys').where('expires_at', '<=', now).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

/** What a live key held by someone says to a claimer with this fingerprint. */
export function holder(
  row: {
    fingerprint: string;
    state: 'pending' | 'done';
    status_code: number | null;
    response: string | null;
  },
  fingerprint: string,
): IdempotencyClaim {
  if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
  if (row.state === 'pending' || row.status_code === null || row.response === null)
    return { kind: 'pending' };
  return { kind: 'done', statusCode: row.status_code, response: row.response };
}

/** Fixed-window counters for rate limits, shared by every API process on the database. */
import { type Kysely, sql } from 'kysely';
import type { PlatformDb } from './platform-db.ts';
import type { Tables } from './tables.ts';

/** Start (epoch ms) of the window of `windowMs` that holds `nowMs`. */
export function windowStartOf(nowMs: number, windowMs: number): number {
  if (!Number.isSafeInteger(windowMs) || windowMs <= 0) throw new Error(`invalid window ${windowMs} ms`);
  return Math.floor(nowMs / windowMs) * windowMs;
}

export function countersRepo(db: Kysely<Tables>): PlatformDb['counters'] {
  const stored = sql.ref<number>('counters.window_start');
  const offered = sql.ref<number>('excluded.window_start');
  return {
    async hit(key, windowMs, nowMs) {
      const windowStart = windowStartOf(nowMs, windowMs);
      // One statement, so concurrent hits from any number of processes never lose a count. A hit
      // for an older window than the stored one (a process whose clock lags) counts in the newer
      // window instead of resetting it.
      const row = await db
        .insertInto('counters')
        .values({ key, window_start: windowStart, count: 1 })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            count: sql<number>`case when ${stored} >= ${offered} then ${sql.ref('counters.count')} + 1 else 1 end`,
            window_start: sql<number>`case when ${stored} > ${offered} then ${stored} else ${offered} end`,
          }),
        )
        .returning(['count', 'window_start'])
        .executeTakeFirstOrThrow();
      return { count: Number(row.count), windowStart: Number(row.window_start) };
    },

    async peek(key, windowMs, nowMs) {
      const row = await db
        .selectFrom('counters')
        .select(['count', 'window_start'])
        .where('key', '=', key)
        .executeTakeFirst();
      return row && Number(row.window_start) >= windowStartOf(nowMs, windowMs) ? Number(row.count) : 0;
    },

    async reset(key) {
      await db.deleteFrom('counters').where('key', '=', key).execute();
    },
  };
}

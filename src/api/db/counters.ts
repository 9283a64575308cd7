/** Rate-limit counters shared by every API process on the database. */
import { type Kysely, sql } from 'kysely';
import type { PlatformDb } from './platform-db.ts';
import type { Tables } from './tables.ts';

export function assertWindow(windowMs: number): void {
  if (!Number.isSafeInteger(windowMs) || windowMs <= 0) throw new Error(`invalid window ${windowMs} ms`);
}

/**
 * Windows per key: a key's window opens at its first hit and lasts `windowMs`; the first hit after
 * it opens the next. Windows aligned to the clock instead split a burst at every boundary (three
 * quick creates at :59 and :00 were two windows), and let every caller's limit reset at once.
 */
export function countersRepo(db: Kysely<Tables>): PlatformDb['counters'] {
  const stored = sql.ref<number>('counters.window_start');
  const now = sql.ref<number>('excluded.window_start');
  return {
    async hit(key, windowMs, nowMs) {
      assertWindow(windowMs);
      const open = sql<boolean>`${stored} + cast(${windowMs} as bigint) > ${now}`;
      // One statement, so concurrent hits from any number of processes never lose a count. A hit
      // stamped before the stored window opened (a process whose clock lags) counts in it.
      const row = await db
        .insertInto('counters')
        .values({ key, window_start: nowMs, count: 1 })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            count: sql<number>`case when ${open} then ${sql.ref('counters.count')} + 1 else 1 end`,
            window_start: sql<number>`case when ${open} then ${stored} else ${now} end`,
          }),
        )
        .returning(['count', 'window_start'])
        .executeTakeFirstOrThrow();
      return { count: Number(row.count), windowStart: Number(row.window_start) };
    },

    async peek(key, windowMs, nowMs) {
      assertWindow(windowMs);
      const row = await db
        .selectFrom('counters')
        .select(['count', 'window_start'])
        .where('key', '=', key)
        .executeTakeFirst();
      const windowStart = Number(row?.window_start ?? nowMs);
      return row && windowStart + windowMs > nowMs
        ? { count: Number(row.count), windowStart }
        : { count: 0, windowStart: nowMs };
    },

    async reset(key) {
      await db.deleteFrom('counters').where('key', '=', key).execute();
    },
  };
}

/** Puts the per-table pieces together into one PlatformDb over an open, migrated Kysely. */
import { type Kysely, sql } from 'kysely';
import { auditRepo } from './audit.ts';
import { countersRepo } from './counters.ts';
import { idempotencyRepo } from './idempotency.ts';
import type { LockRunner } from './locks.ts';
import type { Dialect, PlatformDb } from './platform-db.ts';
import { sessionsRepo } from './sessions.ts';
import { settingsRepo } from './settings.ts';
import type { Tables } from './tables.ts';
import { tokensRepo } from './tokens.ts';
import { usersRepo } from './users.ts';

/** A database that does not answer within this is not ready, whatever it answers later. */
export const PING_TIMEOUT_MS = 3_000;

export interface PlatformDbParts {
  dialect: Dialect;
  kysely: Kysely<Tables>;
  withLock: LockRunner;
  /** Releases whatever the Kysely instance does not own (e.g. the lock pool). */
  closeExtra?: () => Promise<void>;
  now?: () => string;
}

export function createPlatformDb(parts: PlatformDbParts): PlatformDb {
  const { dialect, kysely: db, withLock } = parts;
  const now = parts.now ?? (() => new Date().toISOString());
  let closing: Promise<void> | undefined;
  return {
    dialect,
    kysely: db,
    ping: () => ping(db),
    // Once: a second close (shutdown hooks racing) must not fail on an already ended pool.
    close: () =>
      (closing ??= (async () => {
        await db.destroy();
        await parts.closeExtra?.();
      })()),
    users: usersRepo(db, now),
    sessions: sessionsRepo(db, now),
    tokens: tokensRepo(db),
    audit: auditRepo(db),
    idempotency: idempotencyRepo(db),
    counters: countersRepo(db),
    settings: settingsRepo(db),
    withLock,
  };
}

async function ping(db: Kysely<Tables>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
    timer.unref();
  });
  try {
    // race() also handles the losing query's late rejection: no unhandled rejection.
    return await Promise.race([sql`select 1`.execute(db).then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

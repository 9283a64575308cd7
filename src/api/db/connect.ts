/**
 * Opens the platform database: PostgreSQL when DATABASE_URL names one, otherwise SQLite in the
 * data directory. Migrations run before the database is handed out.
 */
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { cachingStatements } from './statement-cache.ts';
import pg from 'pg';
import type { Logger } from 'pino';
import { chooseBackend } from './backend.ts';
import { inProcessLocks, postgresLocks } from './locks.ts';
import { migrateToLatest } from './migrations.ts';
import { createPlatformDb } from './platform-db-impl.ts';
import type { PlatformDb } from './platform-db.ts';
import type { Tables } from './tables.ts';

export interface OpenPlatformDbOptions {
  /** postgres:// or postgresql://; unset or empty for SQLite. */
  databaseUrl?: string;
  /** Holds platform.db when SQLite is used. */
  dataDir: string;
  log?: Logger;
}

export const PG_POOL_MAX = 10;
/** Connections that hold locks for `withLock` (one per lock name held at once). */
export const PG_LOCK_POOL_MAX = 4;

export async function openPlatformDb(opts: OpenPlatformDbOptions): Promise<PlatformDb> {
  const backend = chooseBackend(opts.databaseUrl, opts.dataDir);
  const db =
    backend.kind === 'postgres' ? openPostgres(backend.url, opts.log) : openSqlite(backend.file, opts.log);
  try {
    await migrateToLatest(db.kysely, db.dialect, opts.log);
  } catch (err) {
    await db.close();
    throw err;
  }
  opts.log?.info({ dialect: db.dialect }, 'platform database open');
  return db;
}

function openSqlite(file: string, log?: Logger): PlatformDb {
  // The file holds password hashes: only its owner reads it (WAL files inherit its mode).
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
  const database = new Database(file, { timeout: 5_000 });
  try {
    const mode = database.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') log?.warn({ journalMode: mode }, 'SQLite refused WAL; concurrent reads will wait');
    database.pragma('busy_timeout = 5000');
    database.pragma('foreign_keys = ON');
    // NORMAL with WAL: a power cut may lose the last commits, never corrupts the file.
    database.pragma('synchronous = NORMAL');
  } catch (err) {
    database.close();
    throw err;
  }
  const kysely = new Kysely<Tables>({
    dialect: new SqliteDialect({ database: cachingStatements(database) }),
  });
  return createPlatformDb({ dialect: 'sqlite', kysely, withLock: inProcessLocks() });
}

function openPostgres(url: string, log?: Logger): PlatformDb {
  assertParsable(url);
  const main = newPool(url, PG_POOL_MAX, 'storeplane-api', log);
  const locks = newPool(url, PG_LOCK_POOL_MAX, 'storeplane-api-locks', log);
  const kysely = new Kysely<Tables>({ dialect: new PostgresDialect({ pool: main }) });
  return createPlatformDb({
    dialect: 'postgres',
    kysely,
    withLock: postgresLocks(locks, log),
    closeExtra: () => locks.end(),
  });
}

/**
 * pg parses the URL only when it first connects, and its error then carries the whole URL
 * (password included) in `input`: parse now and throw an error that does not.
 */
function assertParsable(url: string): void {
  try {
    new pg.Client({ connectionString: url });
  } catch {
    throw new Error(
      'DATABASE_URL is not a PostgreSQL URL pg can parse (postgres://user:password@host:port/db)',
    );
  }
}

function newPool(url: string, max: number, applicationName: string, log?: Logger): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    application_name: applicationName,
    connectionTimeoutMillis: 10_000,
    // Per pool, not pg.types (global): int8 (count(*), bigint ids, epoch ms) as a JS number, like
    // SQLite's integers. Our int8 values stay far below 2^53.
    types: {
      getTypeParser: (oid, format) =>
        oid === pg.types.builtins.INT8 && format !== 'binary' ? Number : pg.types.getTypeParser(oid, format),
    },
  });
  // An idle connection dropped by the server emits 'error' on the pool; unheard, it kills the process.
  pool.on('error', (err) => log?.warn({ err, pool: applicationName }, 'platform database connection lost'));
  return pool;
}

/**
 * The platform database's schema history. Migrations are in code (no files to ship) and frozen:
 * a change is a new entry, never an edit of a past one. They take `Kysely<unknown>` so they do
 * not follow later edits of tables.ts.
 */
import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import type { Logger } from 'pino';
import type { Dialect } from './platform-db.ts';
import type { Tables } from './tables.ts';

/** Our own bookkeeping tables, so a PostgreSQL database shared with another Kysely app is no clash. */
export const MIGRATION_TABLE = 'platform_migrations';
export const MIGRATION_LOCK_TABLE = 'platform_migrations_lock';

export function platformMigrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_initial': { up: (db) => atomically(db, (trx) => initial(trx, dialect)) },
  };
}

/** Applies what is pending. Kysely serializes concurrent runs (a PostgreSQL advisory lock). */
export async function migrateToLatest(db: Kysely<Tables>, dialect: Dialect, log?: Logger): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(platformMigrations(dialect)) },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
  const { error, results } = await migrator.migrateToLatest();
  for (const r of results ?? []) {
    if (r.status === 'Success')
      log?.info({ migration: r.migrationName, dialect }, 'platform database migrated');
    if (r.status === 'Error')
      log?.error({ migration: r.migrationName, dialect }, 'platform migration failed');
  }
  if (error) throw error instanceof Error ? error : new Error(`platform migration failed: ${String(error)}`);
}

/**
 * Kysely runs PostgreSQL migrations in a transaction but not SQLite's (it assumes no transactional
 * DDL, which SQLite has): without this a failure halfway would leave half a schema behind.
 */
function atomically(db: Kysely<unknown>, fn: (db: Kysely<unknown>) => Promise<void>): Promise<void> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

async function initial(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'member')`))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('disabled', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`disabled in (0, 1)`),
    )
    .addColumn('store_limit', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('users_username').unique().on('users').column('username').execute();

  // Sessions, tokens and idempotency keys go with their user; the audit log outlives its actors.
  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_id').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_expires_at').on('sessions').column('expires_at').execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema
    .createIndex('api_tokens_token_hash')
    .unique()
    .on('api_tokens')
    .column('token_hash')
    .execute();
  await db.schema.createIndex('api_tokens_user_id').on('api_tokens').column('user_id').execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', dialect === 'postgres' ? 'bigint' : 'integer', (c) =>
      dialect === 'postgres'
        ? c.primaryKey().generatedAlwaysAsIdentity()
        : // autoincrement: ids are never reused, so `before` paging stays stable.
          c.primaryKey().autoIncrement(),
    )
    .addColumn('time', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('success', 'refused', 'failure')`))
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('request_id', 'text')
    .addColumn('details', 'text')
    .execute();
  await db.schema.createIndex('audit_log_time').on('audit_log').column('time').execute();
  // With id: a filtered page is read newest first straight off the index.
  await db.schema.createIndex('audit_log_actor_id').on('audit_log').columns(['actor_id', 'id']).execute();
  await db.schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'id']).execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'done')`))
    .addColumn('status_code', 'integer')
    .addColumn('response', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pkey', ['user_id', 'key'])
    .execute();
  await db.schema
    .createIndex('idempotency_keys_expires_at')
    .on('idempotency_keys')
    .column('expires_at')
    .execute();

  await db.schema
    .createTable('counters')
    .addColumn('key', 'text', (c) => c.primaryKey())
    // Epoch milliseconds outgrow a 32-bit integer; SQLite's integers are 64-bit anyway.
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

/**
 * The PlatformDb contract, one suite run on both backends: SQLite in a temp data directory and a
 * real PostgreSQL (Debian's server binaries, test/medusa/harness/postgres.ts). Races are real:
 * concurrent statements on PostgreSQL, two PlatformDb instances on one database.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPlatformDb } from '../../src/api/db/connect.ts';
import { UsernameTakenError } from '../../src/api/db/errors.ts';
import { MIGRATION_TABLE } from '../../src/api/db/migrations.ts';
import type { AuditEntry, Dialect, PlatformDb } from '../../src/api/db/platform-db.ts';
import { startPostgres } from '../medusa/harness/postgres.ts';

interface Target {
  databaseUrl?: string;
  dataDir: string;
}

let scratch = '';
let pgUrl = '';
let stopPostgres: (() => Promise<void>) | undefined;
let admin: pg.Client | undefined;
let databases = 0;
const opened: PlatformDb[] = [];

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'storeplane-platform-db-'));
  const started = performance.now();
  const server = await startPostgres(scratch);
  stopPostgres = server.stop;
  pgUrl = server.url;
  admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  report(`PostgreSQL up in ${seconds(started)}s`);
});

afterAll(async () => {
  await Promise.all(opened.map((db) => db.close()));
  await admin?.end();
  await stopPostgres?.();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** A database no other test uses. */
async function freshTarget(dialect: Dialect): Promise<Target> {
  if (dialect === 'sqlite') return { dataDir: await mkdtemp(join(scratch, 'sqlite-')) };
  const name = `platform_${++databases}`;
  await admin!.query(`CREATE DATABASE ${name}`);
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  return { databaseUrl: url.toString(), dataDir: join(scratch, 'unused') };
}

async function open(target: Target): Promise<PlatformDb> {
  const db = await openPlatformDb(target);
  opened.push(db);
  return db;
}

const T0 = '2026-12-06T07:00:00.000Z';
const T1 = '2026-12-06T08:00:00.000Z';
const T2 = '2026-12-06T09:00:00.000Z';

describe.each<Dialect>(['sqlite', 'postgres'])('PlatformDb on %s', (dialect) => {
  let target: Target;
  let db: PlatformDb;

  beforeAll(async () => {
    target = await freshTarget(dialect);
    db = await open(target);
  });

  const newUser = (username = `user-${randomUUID()}`) =>
    db.users.create({ username, role: 'member', passwordHash: `hash-of-${username}` });

  describe('opening and migrations', () => {
    it('opens the requested dialect and answers ping', async () => {
      expect(db.dialect).toBe(dialect);
      expect(await db.ping()).toBe(true);
    });

    it('creates exactly the tables of tables.ts', async () => {
      const tables = (await db.kysely.introspection.getTables())
        .map((t) => t.name)
        .filter((n) => !n.startsWith('platform_migrations'))
        .sort();
      expect(tables).toEqual([
        'api_tokens',
        'audit_log',
        'counters',
        'idempotency_keys',
        'sessions',
        'settings',
        'users',
      ]);
    });

    it('is idempotent: a second open of the same database migrates nothing', async () => {
      const again = await open(target);
      expect(await again.users.count()).toBeGreaterThanOrEqual(0);
      const applied = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(
        again.kysely,
      );
      expect(applied.rows.map((r) => r.name)).toEqual(['0001_initial']);
      await again.close();
      await again.close(); // twice is harmless
    });

    it('ping is false, not an error, once closed', async () => {
      const other = await open(target);
      await other.close();
      expect(await other.ping()).toBe(false);
    });

    if (dialect === 'sqlite') {
      it('keeps the file private and sets the pragmas', async () => {
        const dir = await mkdtemp(join(scratch, 'modes-'));
        const dataDir = join(dir, 'nested', 'data');
        const local = await open({ dataDir });
        await local.settings.getOrInit('k', 'v'); // a write, so the WAL file exists
        expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
        expect((await stat(join(dataDir, 'platform.db'))).mode & 0o777).toBe(0o600);
        expect((await stat(join(dataDir, 'platform.db-wal'))).mode & 0o777).toBe(0o600);
        const pragma = async (name: string) =>
          Object.values(
            (await sql.raw(`pragma ${name}`).execute(local.kysely)).rows[0] as object,
          )[0] as unknown;
        expect(await pragma('journal_mode')).toBe('wal');
        expect(await pragma('busy_timeout')).toBe(5000);
        expect(await pragma('foreign_keys')).toBe(1);
        expect(await pragma('synchronous')).toBe(1); // NORMAL
        await local.close();
      });
    }

    if (dialect === 'postgres') {
      it('survives concurrent first starts on one fresh database', async () => {
        for (let round = 0; round < 3; round++) {
          const fresh = await freshTarget('postgres');
          const started = performance.now();
          const dbs = await Promise.all([open(fresh), open(fresh), open(fresh), open(fresh)]);
          report(`4 concurrent first opens of one PostgreSQL database: ${seconds(started)}s`);
          const applied = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(
            dbs[0]!.kysely,
          );
          expect(applied.rows.map((r) => r.name)).toEqual(['0001_initial']);
          for (const d of dbs) expect(await d.ping()).toBe(true);
          await Promise.all(dbs.map((d) => d.close()));
        }
      });

      it('refuses an unreachable server without quoting the URL', async () => {
        const err = (await openPlatformDb({
          databaseUrl: 'postgres://someone:hunter2@127.0.0.1:1/nothing',
          dataDir: scratch,
        }).catch((e: unknown) => e)) as Error;
        expect(err).toBeInstanceOf(Error);
        expect(String(err.message)).not.toContain('hunter2');
      });
    }
  });

  describe('users', () => {
    it('creates, finds and lists users', async () => {
      const name = `alice-${randomUUID()}`;
      const alice = await db.users.create({
        username: name,
        role: 'admin',
        passwordHash: 'argon',
        storeLimit: 3,
      });
      expect(alice).toMatchObject({ username: name, role: 'admin', disabled: false, storeLimit: 3 });
      expect(alice.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(alice.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(await db.users.byId(alice.id)).toEqual(alice);
      expect(await db.users.byUsername(name)).toEqual({ ...alice, passwordHash: 'argon' });
      expect(await db.users.byId('nobody')).toBeUndefined();
      expect((await db.users.list()).find((u) => u.id === alice.id)).toEqual(alice);
    });

    it('compares usernames exactly', async () => {
      const bob = await newUser(`Bob-${randomUUID()}`);
      expect(await db.users.byUsername(bob.username.toLowerCase())).toBeUndefined();
      expect(await db.users.byUsername(bob.username.toUpperCase())).toBeUndefined();
      expect((await db.users.byUsername(bob.username))?.id).toBe(bob.id);
    });

    it('refuses a username in use', async () => {
      const carol = await newUser();
      await expect(newUser(carol.username)).rejects.toBeInstanceOf(UsernameTakenError);
    });

    it('counts users as a number', async () => {
      const before = await db.users.count();
      expect(typeof before).toBe('number');
      await newUser();
      expect(await db.users.count()).toBe(before + 1);
      expect((await db.users.list()).length).toBe(before + 1);
    });

    it('updates each field and leaves the rest', async () => {
      const dave = await newUser();
      expect(await db.users.update(dave.id, { disabled: true })).toEqual({ ...dave, disabled: true });
      expect(await db.users.update(dave.id, { storeLimit: 7 })).toEqual({
        ...dave,
        disabled: true,
        storeLimit: 7,
      });
      expect(await db.users.update(dave.id, { storeLimit: null, role: 'admin', disabled: false })).toEqual({
        ...dave,
        role: 'admin',
      });
      await db.users.update(dave.id, { passwordHash: 'new-hash' });
      expect((await db.users.byUsername(dave.username))?.passwordHash).toBe('new-hash');
      expect(await db.users.update('nobody', { disabled: true })).toBeUndefined();
    });
  });

  describe('sessions', () => {
    it('stores, expires, updates and destroys sessions', async () => {
      const user = await newUser();
      const id = `sess-${randomUUID()}`;
      await db.sessions.create(id, { userId: user.id, data: '{"csrf":"a"}', expiresAt: T1 });
      expect(await db.sessions.get(id, T0)).toEqual({ userId: user.id, data: '{"csrf":"a"}', expiresAt: T1 });
      expect(await db.sessions.get(id, T1)).toBeUndefined(); // expired at its expiry time
      expect(await db.sessions.get('missing', T0)).toBeUndefined();

      await db.sessions.set(id, { userId: user.id, data: '{"csrf":"b"}', expiresAt: T2 });
      expect(await db.sessions.get(id, T1)).toEqual({ userId: user.id, data: '{"csrf":"b"}', expiresAt: T2 });
      const brandNew = `sess-${randomUUID()}`;
      await db.sessions.set(brandNew, { userId: user.id, data: '{}', expiresAt: T2 }); // set creates too
      expect((await db.sessions.get(brandNew, T0))?.userId).toBe(user.id);

      await db.sessions.destroy(id);
      expect(await db.sessions.get(id, T0)).toBeUndefined();
    });

    it('destroys all of a user’s sessions and sweeps expired ones', async () => {
      const user = await newUser();
      const other = await newUser();
      for (let i = 0; i < 3; i++)
        await db.sessions.create(`u-${user.id}-${i}`, { userId: user.id, data: '{}', expiresAt: T2 });
      await db.sessions.create(`o-${other.id}`, { userId: other.id, data: '{}', expiresAt: T2 });
      expect(await db.sessions.destroyForUser(user.id)).toBe(3);
      expect(await db.sessions.get(`o-${other.id}`, T0)).toBeDefined();

      const sweep = await freshTarget(dialect).then(open);
      const owner = await sweep.users.create({ username: 'owner', role: 'member', passwordHash: 'h' });
      await sweep.sessions.create('old', { userId: owner.id, data: '{}', expiresAt: T0 });
      await sweep.sessions.create('edge', { userId: owner.id, data: '{}', expiresAt: T1 });
      await sweep.sessions.create('live', { userId: owner.id, data: '{}', expiresAt: T2 });
      expect(await sweep.sessions.deleteExpired(T1)).toBe(2);
      expect(await sweep.sessions.get('live', T1)).toBeDefined();
    });

    it('refuses a session for a user that does not exist', async () => {
      await expect(
        db.sessions.create('ghost', { userId: 'nobody', data: '{}', expiresAt: T2 }),
      ).rejects.toThrow();
    });
  });

  describe('API tokens', () => {
    const token = (userId: string, over: Partial<{ expiresAt: string | null; scopes: string[] }> = {}) => {
      const id = `spt_${randomUUID().slice(0, 8)}`;
      return {
        id,
        userId,
        name: `token ${id}`,
        scopes: over.scopes ?? ['stores:read', 'stores:write'],
        createdAt: T0,
        expiresAt: over.expiresAt === undefined ? null : over.expiresAt,
        tokenHash: `hash-${id}`,
      };
    };

    it('finds a live token by hash, with its scopes', async () => {
      const user = await newUser();
      const t = token(user.id);
      const created = await db.tokens.create(t);
      expect(created).toEqual({
        id: t.id,
        userId: user.id,
        name: t.name,
        scopes: ['stores:read', 'stores:write'],
        createdAt: T0,
        expiresAt: null,
        lastUsedAt: null,
        revokedAt: null,
      });
      expect(await db.tokens.byHash(t.tokenHash, T2)).toEqual(created);
      expect(await db.tokens.byHash('no-such-hash', T0)).toBeUndefined();
      const none = token(user.id, { scopes: [] });
      expect((await db.tokens.create(none)).scopes).toEqual([]);
      expect((await db.tokens.byHash(none.tokenHash, T0))?.scopes).toEqual([]);
    });

    it('does not hand out expired tokens', async () => {
      const user = await newUser();
      const t = token(user.id, { expiresAt: T1 });
      await db.tokens.create(t);
      expect(await db.tokens.byHash(t.tokenHash, T0)).toBeDefined();
      expect(await db.tokens.byHash(t.tokenHash, T1)).toBeUndefined();
      expect(await db.tokens.byHash(t.tokenHash, T2)).toBeUndefined();
      expect(await db.tokens.revoke(user.id, t.id, T2)).toBe(false); // no live token to revoke
    });

    it('revokes only the owner’s live token, once', async () => {
      const user = await newUser();
      const mallory = await newUser();
      const t = token(user.id);
      await db.tokens.create(t);
      expect(await db.tokens.revoke(mallory.id, t.id, T1)).toBe(false);
      expect(await db.tokens.byHash(t.tokenHash, T1)).toBeDefined();
      expect(await db.tokens.revoke(user.id, t.id, T1)).toBe(true);
      expect(await db.tokens.revoke(user.id, t.id, T1)).toBe(false);
      expect(await db.tokens.byHash(t.tokenHash, T1)).toBeUndefined();
      expect(await db.tokens.revoke(user.id, 'spt_nothing', T1)).toBe(false);
    });

    it('lists every token of a user with its state, and records use', async () => {
      const user = await newUser();
      const live = token(user.id);
      const revoked = token(user.id);
      await db.tokens.create(live);
      await db.tokens.create(revoked);
      await db.tokens.revoke(user.id, revoked.id, T1);
      await db.tokens.touch(live.id, T2);
      const list = await db.tokens.listForUser(user.id);
      expect(list.map((t) => t.id).sort()).toEqual([live.id, revoked.id].sort());
      expect(list.find((t) => t.id === revoked.id)?.revokedAt).toBe(T1);
      expect(list.find((t) => t.id === live.id)?.lastUsedAt).toBe(T2);
      expect(await db.tokens.listForUser((await newUser()).id)).toEqual([]);
    });

    it('refuses two tokens with one hash', async () => {
      const user = await newUser();
      const t = token(user.id);
      await db.tokens.create(t);
      await expect(db.tokens.create({ ...t, id: `${t.id}-2` })).rejects.toThrow();
    });
  });

  describe('audit log', () => {
    let audit: PlatformDb;
    const entry = (i: number, over: Partial<AuditEntry> = {}): AuditEntry => ({
      time: new Date(Date.parse(T0) + i * 60_000).toISOString(),
      actor_id: i % 3 === 0 ? 'admin-id' : 'member-id',
      actor: i % 3 === 0 ? 'admin' : 'member',
      action: i % 2 === 0 ? 'store.create' : 'store.delete',
      target: `store-${i % 5}`,
      outcome: i % 7 === 0 ? 'refused' : 'success',
      status: i % 7 === 0 ? 409 : 201,
      ip: '127.0.0.1',
      request_id: `req-${i}`,
      ...over,
    });

    beforeAll(async () => {
      audit = await freshTarget(dialect).then(open);
      for (let i = 0; i < 30; i++)
        await audit.audit.append(entry(i, i === 4 ? { details: { engine: 'medusa' } } : {}));
    });

    it('returns entries newest first with numeric ids and parsed details', async () => {
      const rows = await audit.audit.query({ limit: 100 });
      expect(rows).toHaveLength(30);
      expect(rows.map((r) => r.request_id)).toEqual(Array.from({ length: 30 }, (_, i) => `req-${29 - i}`));
      for (const r of rows) expect(typeof r.id).toBe('number');
      expect(rows.find((r) => r.request_id === 'req-4')?.details).toEqual({ engine: 'medusa' });
      expect(rows.find((r) => r.request_id === 'req-5')?.details).toBeNull();
      expect(rows[0]).toMatchObject({ ...entry(29), details: null });
    });

    it('filters by actor, action, outcome, target and time', async () => {
      const ids = async (q: Parameters<PlatformDb['audit']['query']>[0]) =>
        (await audit.audit.query(q)).map((r) => Number(r.request_id!.slice(4)));
      const all = Array.from({ length: 30 }, (_, i) => 29 - i);
      expect(await ids({ actorId: 'admin-id', limit: 100 })).toEqual(all.filter((i) => i % 3 === 0));
      expect(await ids({ action: 'store.delete', limit: 100 })).toEqual(all.filter((i) => i % 2 === 1));
      expect(await ids({ outcome: 'refused', limit: 100 })).toEqual(all.filter((i) => i % 7 === 0));
      expect(await ids({ target: 'store-2', limit: 100 })).toEqual(all.filter((i) => i % 5 === 2));
      expect(await ids({ since: entry(10).time, until: entry(13).time, limit: 100 })).toEqual([12, 11, 10]);
      expect(await ids({ actorId: 'admin-id', action: 'store.create', limit: 100 })).toEqual(
        all.filter((i) => i % 6 === 0),
      );
      expect(await ids({ actorId: 'nobody', limit: 100 })).toEqual([]);
    });

    it('pages with before and limit', async () => {
      const seen: string[] = [];
      let before: number | undefined;
      for (;;) {
        const page = await audit.audit.query({ limit: 7, before });
        if (page.length === 0) break;
        expect(page.length).toBeLessThanOrEqual(7);
        seen.push(...page.map((r) => r.request_id!));
        before = page.at(-1)!.id;
      }
      expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => `req-${29 - i}`));
    });

    it('caps a page at 500 rows', async () => {
      const big = await freshTarget(dialect).then(open);
      await big.kysely
        .insertInto('audit_log')
        .values(
          Array.from({ length: 510 }, (_, i) => ({
            ...entry(i),
            details: null,
          })),
        )
        .execute();
      expect(await big.audit.query({ limit: 10_000 })).toHaveLength(500);
      expect(await big.audit.query({ limit: 0 })).toHaveLength(1);
    });
  });

  describe('idempotency keys', () => {
    it('claims, reports pending, replays done, refuses another request', async () => {
      const user = await newUser();
      const claim = (fp: string, now = T0) => db.idempotency.claim(user.id, 'k1', fp, now, T1);
      expect(await claim('fp-a')).toEqual({ kind: 'claimed' });
      expect(await claim('fp-a')).toEqual({ kind: 'pending' });
      expect(await claim('fp-b')).toEqual({ kind: 'mismatch' });
      await db.idempotency.complete(user.id, 'k1', 201, '{"body":{"name":"shop"}}');
      expect(await claim('fp-a')).toEqual({
        kind: 'done',
        statusCode: 201,
        response: '{"body":{"name":"shop"}}',
      });
      expect(await claim('fp-b')).toEqual({ kind: 'mismatch' });
      // Keys are per user.
      const other = await newUser();
      expect(await db.idempotency.claim(other.id, 'k1', 'fp-b', T0, T1)).toEqual({ kind: 'claimed' });
    });

    it('reclaims an expired key, whatever it held', async () => {
      const user = await newUser();
      expect(await db.idempotency.claim(user.id, 'k', 'fp-a', T0, T1)).toEqual({ kind: 'claimed' });
      await db.idempotency.complete(user.id, 'k', 200, '{}');
      expect(await db.idempotency.claim(user.id, 'k', 'fp-b', T1, T2)).toEqual({ kind: 'claimed' });
      expect(await db.idempotency.claim(user.id, 'k', 'fp-b', T1, T2)).toEqual({ kind: 'pending' });
    });

    it('releases a pending claim but keeps a finished one', async () => {
      const user = await newUser();
      await db.idempotency.claim(user.id, 'pending', 'fp', T0, T2);
      await db.idempotency.release(user.id, 'pending');
      expect(await db.idempotency.claim(user.id, 'pending', 'fp-other', T0, T2)).toEqual({ kind: 'claimed' });

      await db.idempotency.claim(user.id, 'done', 'fp', T0, T2);
      await db.idempotency.complete(user.id, 'done', 201, '{}');
      await db.idempotency.release(user.id, 'done');
      expect((await db.idempotency.claim(user.id, 'done', 'fp', T0, T2)).kind).toBe('done');
    });

    it('sweeps expired keys', async () => {
      const sweep = await freshTarget(dialect).then(open);
      const user = await sweep.users.create({ username: 'u', role: 'member', passwordHash: 'h' });
      await sweep.idempotency.claim(user.id, 'a', 'fp', T0, T0);
      await sweep.idempotency.claim(user.id, 'b', 'fp', T0, T1);
      await sweep.idempotency.claim(user.id, 'c', 'fp', T0, T2);
      expect(await sweep.idempotency.deleteExpired(T1)).toBe(2);
      expect(await sweep.idempotency.claim(user.id, 'c', 'fp', T1, T2)).toEqual({ kind: 'pending' });
    });

    it('gives a key to exactly one of 20 concurrent claims, fresh or expired', async () => {
      const user = await newUser();
      const race = (key: string, now: string) =>
        Promise.all(Array.from({ length: 20 }, () => db.idempotency.claim(user.id, key, 'fp', now, T2)));
      const fresh = await race('race', T0);
      expect(fresh.filter((c) => c.kind === 'claimed')).toHaveLength(1);
      expect(fresh.filter((c) => c.kind === 'pending')).toHaveLength(19);

      await db.idempotency.claim(user.id, 'stale', 'fp-old', T0, T1);
      const expired = await race('stale', T1);
      expect(expired.filter((c) => c.kind === 'claimed')).toHaveLength(1);
      expect(expired.filter((c) => c.kind === 'pending')).toHaveLength(19);
    });
  });

  describe('counters', () => {
    const minute = 60_000;
    const t0 = Date.parse(T0);

    it('opens a key’s window at its first hit and starts over at the first hit after it', async () => {
      const key = `rl:${randomUUID()}`;
      const t = t0 + 58_000; // two seconds before the clock's minute turns: no matter
      expect(await db.counters.peek(key, minute, t)).toEqual({ count: 0, windowStart: t });
      expect(await db.counters.hit(key, minute, t)).toEqual({ count: 1, windowStart: t });
      expect(await db.counters.hit(key, minute, t0 + minute + 500)).toEqual({ count: 2, windowStart: t });
      expect(await db.counters.hit(key, minute, t + minute - 1)).toEqual({ count: 3, windowStart: t });
      expect(await db.counters.peek(key, minute, t + 30_000)).toEqual({ count: 3, windowStart: t });
      expect((await db.counters.peek(key, minute, t + minute)).count).toBe(0);
      expect(await db.counters.hit(key, minute, t + minute)).toEqual({ count: 1, windowStart: t + minute });
      expect(await db.counters.hit(key, minute, t + 5 * minute + 7)).toEqual({
        count: 1,
        windowStart: t + 5 * minute + 7,
      });
      // A hit stamped before the window opened (a lagging clock) counts in it.
      expect(await db.counters.hit(key, minute, t + 4 * minute)).toEqual({
        count: 2,
        windowStart: t + 5 * minute + 7,
      });
      await db.counters.reset(key);
      expect((await db.counters.peek(key, minute, t + 5 * minute)).count).toBe(0);
      expect(await db.counters.hit(key, minute, t + 5 * minute)).toEqual({
        count: 1,
        windowStart: t + 5 * minute,
      });
    });

    it('gives 200 concurrent hits the counts 1..200, once each', async () => {
      const key = `rl:${randomUUID()}`;
      const started = performance.now();
      const hits = await Promise.all(Array.from({ length: 200 }, () => db.counters.hit(key, minute, t0 + 5)));
      report(`200 concurrent counter hits on ${dialect}: ${(performance.now() - started).toFixed(0)} ms`);
      expect(hits.map((h) => h.count).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 200 }, (_, i) => i + 1),
      );
      expect(new Set(hits.map((h) => h.windowStart))).toEqual(new Set([t0 + 5]));
      expect(await db.counters.peek(key, minute, t0 + 5)).toEqual({ count: 200, windowStart: t0 + 5 });
    });

    if (dialect === 'postgres') {
      it('stays exact with two processes hitting one key', async () => {
        const second = await open(target);
        const key = `rl:${randomUUID()}`;
        const hits = await Promise.all(
          Array.from({ length: 200 }, (_, i) => (i % 2 ? db : second).counters.hit(key, minute, t0)),
        );
        expect(hits.map((h) => h.count).sort((a, b) => a - b)).toEqual(
          Array.from({ length: 200 }, (_, i) => i + 1),
        );
        await second.close();
      });
    }
  });

  describe('settings', () => {
    it('reads, and keeps the first value written', async () => {
      const key = `secret-${randomUUID()}`;
      expect(await db.settings.get(key)).toBeUndefined();
      expect(await db.settings.getOrInit(key, 'first')).toBe('first');
      expect(await db.settings.getOrInit(key, 'second')).toBe('first');
      expect(await db.settings.get(key)).toBe('first');
    });

    it('agrees on one value when many initialize at once', async () => {
      const key = `race-${randomUUID()}`;
      const values = await Promise.all(
        Array.from({ length: 20 }, (_, i) => db.settings.getOrInit(key, `v${i}`)),
      );
      expect(new Set(values).size).toBe(1);
    });
  });

  describe('withLock', () => {
    /** N read-modify-write sections with an await in the middle: any overlap loses an update. */
    async function lockedIncrements(dbs: PlatformDb[], n: number) {
      const key = `lock-counter-${randomUUID()}`;
      await dbs[0]!.settings.getOrInit(key, '0');
      let inside = 0;
      let most = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: n }, (_, i) =>
          dbs[i % dbs.length]!.withLock(`quota:${key}`, async () => {
            inside++;
            most = Math.max(most, inside);
            const value = Number(await dbs[i % dbs.length]!.settings.get(key));
            await sleep(2);
            await dbs[i % dbs.length]!.kysely.updateTable('settings')
              .set({ value: String(value + 1) })
              .where('key', '=', key)
              .execute();
            inside--;
          }),
        ),
      );
      return { final: Number(await dbs[0]!.settings.get(key)), most, ms: performance.now() - started };
    }

    it('serializes critical sections in one process', async () => {
      const { final, most, ms } = await lockedIncrements([db], 30);
      report(`30 locked read-modify-writes on ${dialect}, one instance: ${ms.toFixed(0)} ms`);
      expect(most).toBe(1);
      expect(final).toBe(30);
    });

    if (dialect === 'postgres') {
      it('serializes critical sections across two instances on one database', async () => {
        const second = await open(target);
        const { final, ms } = await lockedIncrements([db, second], 30);
        report(`30 locked read-modify-writes on postgres, two instances: ${ms.toFixed(0)} ms`);
        expect(final).toBe(30);
        await second.close();
      });

      it('does not starve the pool: more names held at once than connections, each querying', async () => {
        const second = await open(target);
        // 24 names on each instance (more than its 10 connections), each also wanted by the other.
        const results = await Promise.all(
          Array.from({ length: 48 }, (_, i) => {
            const on = i < 24 ? db : second;
            return on.withLock(`name-${i % 24}`, async () => {
              await sleep(5);
              return on.users.count();
            });
          }),
        );
        expect(results).toHaveLength(48);
        await second.close();
      });
    }

    it('releases the lock when fn throws, and passes results and errors through', async () => {
      await expect(db.withLock('failing', () => Promise.reject(new Error('quota exceeded')))).rejects.toThrow(
        'quota exceeded',
      );
      await expect(db.withLock('failing', () => Promise.resolve(42))).resolves.toBe(42);
    });

    it('does not hold one name up for another', async () => {
      let enterB!: () => void;
      const bEntered = new Promise<void>((resolve) => (enterB = resolve));
      const a = db.withLock('name-a', async () => {
        // Waits for B to be inside its own lock: this would hang if names shared one lock.
        await bEntered;
        return 'a';
      });
      const b = db.withLock('name-b', () => {
        enterB();
        return Promise.resolve('b');
      });
      expect(await Promise.all([a, b])).toEqual(['a', 'b']);
    });
  });
});

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}

/** Measured figures, in the run's output. */
function report(line: string): void {
  process.stderr.write(`[platform db] ${line}\n`);
}

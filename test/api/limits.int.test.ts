import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreSummary } from '../../src/api/stores/view.ts';
import { makeClients } from '../../src/kube/clients.ts';
import { installStoreCrd } from '../../src/store/install-crd.ts';
import type { Store } from '../../src/store/schema.ts';
import { startPostgres, type Postgres } from '../medusa/harness/postgres.ts';
import { type PrivateCluster, privateCluster } from '../operator/harness.ts';
import { ApiProcess, type Answer, Caller, createMember, signIn } from './harness.ts';

/**
 * Quotas, rate limits and idempotency under concurrency, against real API processes and a real
 * API server (no operator: stores stay Pending, which is all a quota needs). Rate-limit windows
 * are a day long so a test never straddles a window's end.
 */
const day = 86_400_000;
let c: PrivateCluster;
let pg: Postgres | undefined;
const apis: ApiProcess[] = [];

beforeAll(async () => {
  c = await privateCluster();
  const clients = await makeClients(c.kc);
  await installStoreCrd(clients);
  clients.close();
}, 120_000);

afterAll(async () => {
  for (const a of apis) await a.stop().catch(() => undefined);
  await pg?.stop();
  await c?.stop();
});

async function api(
  o: ConstructorParameters<typeof ApiProcess>[0]['config'],
  databaseUrl?: string,
  dataDir?: string,
) {
  const a = await new ApiProcess({ kubeconfig: c.kubeconfig, config: o, databaseUrl, dataDir }).start();
  apis.push(a);
  return a;
}

async function storesOf(owner: string): Promise<Store[]> {
  const out = await c.kubectl(['get', 'stores', '-o', 'json']);
  return (JSON.parse(out.stdout) as { items: Store[] }).items.filter((s) => s.spec.owner === owner);
}

async function deleteAllStores() {
  await c.kubectl(['delete', 'stores', '--all', '--wait=true']);
}

const create = (who: Caller, name: string, headers: Record<string, string> = {}) =>
  who.request<StoreSummary>(
    'POST',
    '/api/v1/stores',
    { name, displayName: `Store ${name}`, engine: 'medusa' },
    headers,
  );

const codes = (answers: Answer[]) =>
  answers.map((a) => (a.status === 201 ? 'created' : (a.body as { error: { code: string } }).error.code));
const count = (xs: string[], x: string) => xs.filter((y) => y === x).length;

describe('store limits are exact under concurrency', () => {
  let server: ApiProcess;
  let admin: Caller;

  beforeAll(async () => {
    server = await api({
      limits: { storeLimit: 5, globalStoreCap: 8, provisioningPerUser: 100 },
      rateLimits: { create: { max: 1000, windowMs: day }, general: { max: 10_000, windowMs: day } },
    });
    admin = await signIn(server);
  });

  it('20 simultaneous creates by a user with limit 5 make exactly 5 stores', async () => {
    const u = await createMember(admin, 'una');
    const una = await signIn(server, u.username, u.password);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => create(una, `una-${i}`)));
    const got = codes(answers);
    expect(count(got, 'created')).toBe(5);
    expect(count(got, 'store_limit_reached')).toBe(15);
    expect(await storesOf('una')).toHaveLength(5);
    const refusal = answers.find((a) => a.status === 403)!.body as unknown as {
      error: { message: string; details: Record<string, unknown> };
    };
    expect(refusal.error.message).toMatch(/5 of your 5 stores/);
    expect(refusal.error.details).toMatchObject({ limit: 'stores per user', max: 5, current: 5 });
  });

  it('the global cap holds exactly under 20 simultaneous creates', async () => {
    const v = await createMember(admin, 'vic', { storeLimit: 50 });
    const vic = await signIn(server, v.username, v.password);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => create(vic, `vic-${i}`)));
    const got = codes(answers);
    expect(count(got, 'created')).toBe(3); // 8 on the platform, una has 5
    expect(count(got, 'platform_full')).toBe(17);
    const full = answers.find((a) => a.status === 503)!;
    expect(Number(full.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await storesOf('vic')).toHaveLength(3);
  });

  it('an admin raising a user’s limit lets them create more; lowering it refuses', async () => {
    await deleteAllStores();
    const w = await createMember(admin, 'wes', { storeLimit: 1 });
    const wes = await signIn(server, w.username, w.password);
    expect((await create(wes, 'wes-1')).status).toBe(201);
    expect(codes([await create(wes, 'wes-2')])).toEqual(['store_limit_reached']);
    const patch = await admin.request('PATCH', '/api/v1/users/wes', { storeLimit: 2 });
    expect(patch.status, patch.text).toBe(200);
    expect((await create(wes, 'wes-2')).status).toBe(201);
  });

  it('stores provisioning at once are capped per user, with Retry-After', async () => {
    await deleteAllStores();
    const busy = await api({
      limits: { storeLimit: 10, globalStoreCap: 100, provisioningPerUser: 2 },
      rateLimits: { create: { max: 1000, windowMs: day } },
    });
    const badmin = await signIn(busy);
    const x = await createMember(badmin, 'xan');
    const xan = await signIn(busy, x.username, x.password);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => create(xan, `xan-${i}`)));
    const got = codes(answers);
    expect(count(got, 'created')).toBe(2);
    expect(count(got, 'too_many_provisioning')).toBe(8);
    const refused = answers.find((a) => a.status === 429)!;
    expect(refused.headers.get('retry-after')).toBe('30');
    await deleteAllStores();
  });
});

describe('rate limits', () => {
  it('answer 429 with Retry-After and RateLimit headers, and audit the refusal', async () => {
    const server = await api({ rateLimits: { general: { max: 10, windowMs: day } } });
    const admin = await signIn(server);
    const y = await createMember(admin, 'yara');
    const yara = await signIn(server, y.username, y.password);
    const answers: Answer[] = [];
    for (let i = 0; i < 12; i++) answers.push(await yara.request('GET', '/api/v1/stores'));
    expect(answers.slice(0, 10).map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(answers[0]!.headers.get('ratelimit-limit')).toBe('10');
    expect(answers.slice(0, 10).map((a) => Number(a.headers.get('ratelimit-remaining')))).toEqual([
      9, 8, 7, 6, 5, 4, 3, 2, 1, 0,
    ]);
    const refused = answers[10]!;
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.body).toMatchObject({
      error: { code: 'rate_limited', details: { limit: 'general', max: 10 } },
    });
    expect((refused.body as { error: { message: string } }).error.message).toMatch(/Try again in \d+ s/);
    const audit = await admin.request<{
      entries: { actor: string; outcome: string; status: number; details: { limit?: string } }[];
    }>('GET', '/api/v1/audit?actor=yara&outcome=refused');
    expect(audit.body.entries.filter((e) => e.status === 429 && e.details.limit === 'general')).toHaveLength(
      2,
    );
  });

  it('failed logins lock the account, whatever the password, and say for how long', async () => {
    const server = await api({ rateLimits: { loginFailuresPerAccount: { max: 3, windowMs: day } } });
    const admin = await signIn(server);
    const z = await createMember(admin, 'zoe');
    const guest = new Caller(server.url);
    for (let i = 0; i < 3; i++) expect((await guest.login('zoe', `wrong-password-${i}`)).status).toBe(401);
    const locked = await guest.login('zoe', z.password);
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({
      error: { code: 'rate_limited', details: { limit: 'failed logins per account' } },
    });
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another account from the same IP is not locked by zoe's failures.
    expect((await new Caller(server.url).login('admin', server.adminPassword)).status).toBe(200);
  });

  it('hold across two API processes that share one PostgreSQL', async () => {
    pg = await startPostgres(await mkdtemp(join(tmpdir(), 'storeplane-api-pg-')));
    const shared = await mkdtemp(join(tmpdir(), 'storeplane-api-shared-'));
    const config = { rateLimits: { general: { max: 10, windowMs: day } } };
    // Both start at once on a fresh database with the same first-admin password: one creates it.
    const adminPassword = `admin-${Date.now()}-shared`;
    const start = () =>
      new ApiProcess({
        kubeconfig: c.kubeconfig,
        config,
        databaseUrl: pg!.url,
        dataDir: shared,
        adminPassword,
      }).start();
    const [one, two] = await Promise.all([start(), start()]);
    apis.push(one, two);
    const admin = await signIn(one);
    await createMember(admin, 'ari').then(async (u) => {
      const onOne = await signIn(one, u.username, u.password);
      const onTwo = new Caller(two.url);
      onTwo.cookie = onOne.cookie; // the session is in the shared database
      onTwo.csrf = onOne.csrf;
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++)
        statuses.push((await (i % 2 ? onTwo : onOne).request('GET', '/api/v1/stores')).status);
      expect(statuses).toEqual([...Array(10).fill(200), 429, 429]);
    });
  });
});

describe('Idempotency-Key', () => {
  let server: ApiProcess;
  let ida: Caller;
  let admin: Caller;

  beforeAll(async () => {
    await deleteAllStores();
    server = await api({ limits: { storeLimit: 20, globalStoreCap: 100, provisioningPerUser: 100 } });
    admin = await signIn(server);
    const u = await createMember(admin, 'ida');
    ida = await signIn(server, u.username, u.password);
  });

  it('the same key and body replay the first response, marked Idempotent-Replayed', async () => {
    const first = await create(ida, 'ida-one', { 'idempotency-key': 'key-1' });
    expect(first.status, first.text).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await create(ida, 'ida-one', { 'idempotency-key': 'key-1' });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('location')).toBe('/api/v1/stores/ida-one');
    expect(again.body).toEqual(first.body);
    // Without the key the same request is a conflict: the key is what made it safe.
    expect(codes([await create(ida, 'ida-one')])).toEqual(['name_taken']);
  });

  it('the same key with another body is 422, and nothing is created', async () => {
    const other = await create(ida, 'ida-two', { 'idempotency-key': 'key-1' });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ error: { code: 'idempotency_key_reused' } });
    expect((await storesOf('ida')).map((s) => s.metadata.name)).toEqual(['ida-one']);
  });

  it('two concurrent requests with one key create one store and answer alike', async () => {
    const answers = await Promise.all([
      create(ida, 'ida-race', { 'idempotency-key': 'key-race' }),
      create(ida, 'ida-race', { 'idempotency-key': 'key-race' }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([201, 201]);
    expect(answers.map((a) => a.headers.get('idempotent-replayed')).sort()).toEqual(['true', null].sort());
    expect((await storesOf('ida')).map((s) => s.metadata.name).sort()).toEqual(['ida-one', 'ida-race']);
  });

  it('keys belong to their user: another user’s same key is a new request', async () => {
    const u = await createMember(admin, 'ivo');
    const ivo = await signIn(server, u.username, u.password);
    const a = await create(ivo, 'ivo-one', { 'idempotency-key': 'key-1' });
    expect(a.status, a.text).toBe(201);
    expect(a.headers.get('idempotent-replayed')).toBeNull();
  });

  it('a refusal that may pass later (429) is not replayed', async () => {
    const busy = await api({
      limits: { storeLimit: 20, globalStoreCap: 100, provisioningPerUser: 0 },
    });
    const badmin = await signIn(busy);
    const u = await createMember(badmin, 'jay');
    const jay = await signIn(busy, u.username, u.password);
    const first = await create(jay, 'jay-one', { 'idempotency-key': 'k' });
    expect(first.status).toBe(429);
    const second = await create(jay, 'jay-one', { 'idempotency-key': 'k' });
    expect(second.status).toBe(429);
    expect(second.headers.get('idempotent-replayed')).toBeNull();
  });
});

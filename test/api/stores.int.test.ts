import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreDetail, StoreSummary } from '../../src/api/stores/view.ts';
import { OperatorProcess, type PrivateCluster, privateCluster } from '../operator/harness.ts';
import { ApiProcess, Caller, callerHeaders, createMember, EventReader, signIn } from './harness.ts';

/**
 * The API in front of the real operator and the real engine charts on the simulated cluster: a
 * member creates a store of each engine, watches them reach Ready by polling and over SSE, reads
 * them, reveals credentials, retries, deletes one; a second member can reach none of it.
 */
let c: PrivateCluster;
let operator: OperatorProcess;
let api: ApiProcess;
let admin: Caller;
let mia: Caller;
let ned: Caller;
let stream: EventReader;
const secrets: string[] = [];
const names = { medusa: 'mias-bikes', woocommerce: 'mias-books' } as const;

beforeAll(async () => {
  c = await privateCluster();
  operator = new OperatorProcess(c, ['--resync-seconds', '5']);
  await operator.start(); // installs the Store CRD
  api = await new ApiProcess({ kubeconfig: c.kubeconfig }).start();
  admin = await signIn(api);
  const miaUser = await createMember(admin, 'mia');
  const nedUser = await createMember(admin, 'ned');
  secrets.push(api.adminPassword, miaUser.password, nedUser.password);
  mia = await signIn(api, miaUser.username, miaUser.password);
  ned = await signIn(api, nedUser.username, nedUser.password);
  secrets.push(mia.cookie.split('=')[1]!, mia.csrf, ned.cookie.split('=')[1]!);
  stream = new EventReader(`${api.url}/api/v1/stores/stream`, callerHeaders(mia));
  await stream.waitFor((e) => e.event === 'snapshot');
}, 180_000);

afterAll(async () => {
  stream?.close();
  await api?.stop();
  await operator?.stop();
  await c?.stop();
});

const get = (who: Caller, name: string) => who.request<StoreDetail>('GET', `/api/v1/stores/${name}`);

async function waitForPhase(name: string, phase: string, timeoutMs = 240_000): Promise<StoreDetail> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const a = await get(mia, name);
    last = a.body;
    if (a.status === 200 && a.body.phase === phase) return a.body;
    await sleep(1000);
  }
  throw new Error(`${name} never reached ${phase}; last: ${JSON.stringify(last).slice(0, 2000)}`);
}

describe('a member provisions stores through the API', () => {
  it('creates a Medusa and a WooCommerce store: 201, Location, Pending, owner is the caller', async () => {
    for (const [engine, name] of Object.entries(names)) {
      const a = await mia.request<StoreSummary>('POST', '/api/v1/stores', {
        name,
        displayName: `Mia's ${engine === 'medusa' ? 'Bikes' : 'Books'}`,
        engine,
      });
      expect(a.status, a.text).toBe(201);
      expect(a.headers.get('location')).toBe(`/api/v1/stores/${name}`);
      expect(a.body).toMatchObject({ name, engine, owner: 'mia', plan: 'small', phase: 'Pending' });
      // Read-your-writes: the very next read has it, whether or not the watch has brought it yet.
      expect((await get(mia, name)).status).toBe(200);
    }
    const list = await mia.request<{ stores: StoreSummary[] }>('GET', '/api/v1/stores');
    expect(list.body.stores.map((s) => s.name).sort()).toEqual(Object.values(names).sort());
  });

  it('both reach Ready, seen by polling GET and over the SSE stream', async () => {
    const [medusa, woo] = await Promise.all([
      waitForPhase(names.medusa, 'Ready'),
      waitForPhase(names.woocommerce, 'Ready'),
    ]);
    for (const s of [medusa, woo]) {
      expect(s.url).toMatch(new RegExp(`^https?://${s.name}\\.`));
      expect(s.adminUrl).toMatch(new RegExp(`^https?://${s.name}\\.`));
      expect(Date.parse(s.createdAt)).toBeLessThanOrEqual(Date.parse(s.readyAt!));
      expect(s.provisioningSeconds).toBeGreaterThan(0);
      expect(s.pipeline.map((p) => [p.stage, p.state])).toEqual([
        ['namespace', 'done'],
        ['guardrails', 'done'],
        ['credentials', 'done'],
        ['release', 'done'],
        ['workloads', 'done'],
        ['setup', 'done'],
      ]);
      expect(s.history.length).toBeGreaterThanOrEqual(1);
    }
    for (const name of Object.values(names)) {
      const ready = await stream.waitFor((e) => {
        const d = e.data as { type?: string; store?: StoreSummary };
        return e.event === 'store' && d.store?.name === name && d.store.phase === 'Ready'
          ? d.store
          : undefined;
      }, 30_000);
      expect(ready.url).toBeTruthy();
    }
    // Only mia's stores ever reach her stream.
    const seen = new Set(
      stream.events.flatMap((e) =>
        e.event === 'snapshot'
          ? (e.data as { stores: StoreSummary[] }).stores.map((s) => s.owner)
          : [(e.data as { store: StoreSummary }).store.owner],
      ),
    );
    expect([...seen]).toEqual(['mia']);
  });

  it('lists them with URLs and times, filtered by engine and phase', async () => {
    const all = await mia.request<{ stores: StoreSummary[] }>('GET', '/api/v1/stores');
    expect(all.body.stores).toHaveLength(2);
    for (const s of all.body.stores) {
      expect(s).toMatchObject({ phase: 'Ready', owner: 'mia' });
      expect(s.url && s.adminUrl && s.createdAt && s.readyAt).toBeTruthy();
    }
    const medusa = await mia.request<{ stores: StoreSummary[] }>(
      'GET',
      '/api/v1/stores?engine=medusa&phase=Ready',
    );
    expect(medusa.body.stores.map((s) => s.name)).toEqual([names.medusa]);
    const page = await mia.request<{ stores: StoreSummary[]; continue?: string }>(
      'GET',
      '/api/v1/stores?limit=1',
    );
    expect(page.body.stores).toHaveLength(1);
    const next = await mia.request<{ stores: StoreSummary[]; continue?: string }>(
      'GET',
      `/api/v1/stores?limit=1&continue=${page.body.continue}`,
    );
    expect(next.body.stores.map((s) => s.name)).not.toEqual(page.body.stores.map((s) => s.name));
    expect(next.body.continue).toBeUndefined();
  });

  it('shows Kubernetes Events of the store and its namespace', async () => {
    const a = await mia.request<{ events: { reason: string; object: string }[] }>(
      'GET',
      `/api/v1/stores/${names.medusa}/events`,
    );
    expect(a.status).toBe(200);
    expect(a.body.events.some((e) => e.object === `Store/${names.medusa}`)).toBe(true);
    expect(a.body.events.some((e) => !e.object.startsWith('Store/'))).toBe(true);
  });

  it('reveals the store admin login to its owner, uncached, equal to the Secret', async () => {
    const a = await mia.request<{ username: string; password: string; adminUrl: string }>(
      'POST',
      `/api/v1/stores/${names.woocommerce}/credentials/reveal`,
    );
    expect(a.status, a.text).toBe(200);
    expect(a.headers.get('cache-control')).toBe('no-store');
    const secret = await c.kubectl([
      'get',
      'secret',
      '-n',
      `store-${names.woocommerce}`,
      'store-credentials',
      '-o',
      'json',
    ]);
    const data = (JSON.parse(secret.stdout) as { data: Record<string, string> }).data;
    expect(a.body.password).toBe(Buffer.from(data['admin-password']!, 'base64').toString());
    expect(a.body.username).toBe(Buffer.from(data['admin-user']!, 'base64').toString());
    secrets.push(a.body.password);
  });

  it('a second member reaches none of it: every route is 404 and nothing changes', async () => {
    const before = await c.getStore(names.medusa);
    const tries: [string, string][] = [
      ['GET', `/api/v1/stores/${names.medusa}`],
      ['GET', `/api/v1/stores/${names.medusa}/events`],
      ['POST', `/api/v1/stores/${names.medusa}/retry`],
      ['POST', `/api/v1/stores/${names.medusa}/credentials/reveal`],
      ['DELETE', `/api/v1/stores/${names.medusa}`],
    ];
    for (const [method, path] of tries) {
      const a = await ned.request(method, path);
      expect(a.status, `${method} ${path}: ${a.text}`).toBe(404);
      // The same answer as for a store that does not exist.
      const missing = await ned.request(method, path.replace(names.medusa, 'no-such-store'));
      expect(missing.status).toBe(404);
      const error = (r: { body: unknown }) => (r.body as { error: { code: string; message: string } }).error;
      expect(error(a).code).toBe(error(missing).code);
      expect(error(a).message).toBe(error(missing).message.replace('no-such-store', names.medusa));
      expect(error(a).message).toBe(`No store named "${names.medusa}" (or it is not yours).`);
    }
    const list = await ned.request<{ stores: StoreSummary[] }>('GET', '/api/v1/stores');
    expect(list.body.stores).toEqual([]);
    const asOwner = await ned.request<{ stores: StoreSummary[] }>('GET', '/api/v1/stores?owner=mia');
    expect(asOwner.body.stores).toEqual([]);
    const nedStream = new EventReader(`${api.url}/api/v1/stores/stream`, callerHeaders(ned));
    const snapshot = await nedStream.waitFor((e) => (e.event === 'snapshot' ? e.data : undefined));
    expect(snapshot).toEqual({ stores: [] });
    // A change to mia's store while ned listens never reaches him.
    await mia.request('POST', `/api/v1/stores/${names.medusa}/retry`);
    await sleep(1500);
    expect(nedStream.events.filter((e) => e.event === 'store')).toEqual([]);
    nedStream.close();
    const after = await c.getStore(names.medusa);
    expect(after.metadata.deletionTimestamp).toBeUndefined();
    expect(after.metadata.annotations?.['storeplane.dev/requested-at']).toBeDefined(); // mia's retry, not ned's
    expect(before.metadata.uid).toBe(after.metadata.uid);
    const nedAudit = await ned.request<{ entries: { action: string; outcome: string; status: number }[] }>(
      'GET',
      '/api/v1/audit',
    );
    const refused = nedAudit.body.entries.filter((e) => e.outcome === 'refused' && e.status === 404);
    expect(refused.map((e) => e.action).sort()).toEqual(
      [
        'store.credentials.reveal',
        'store.credentials.reveal',
        'store.delete',
        'store.delete',
        'store.retry',
        'store.retry',
      ].sort(),
    );
  });

  it('a name in use by anyone is 409, without naming its owner', async () => {
    const a = await ned.request('POST', '/api/v1/stores', {
      name: names.medusa,
      displayName: 'Ned Bikes',
      engine: 'medusa',
    });
    expect(a.status).toBe(409);
    expect(a.body).toMatchObject({ error: { code: 'name_taken', details: { field: 'name' } } });
    expect(a.text).not.toMatch(/\bmia\b/);
    const derived = await ned.request('POST', '/api/v1/stores', {
      displayName: 'Mias Bikes',
      engine: 'medusa',
    });
    expect(derived.status).toBe(409);
    expect((derived.body as { error: { message: string } }).error.message).toMatch(/from the display name/);
  });

  it('retry sets the requested-at annotation', async () => {
    const a = await mia.request<StoreSummary>('POST', `/api/v1/stores/${names.woocommerce}/retry`);
    expect(a.status, a.text).toBe(202);
    const store = await c.getStore(names.woocommerce);
    expect(Date.parse(store.metadata.annotations?.['storeplane.dev/requested-at'] ?? '')).toBeGreaterThan(
      Date.now() - 60_000,
    );
  });

  it('delete: 202, Deleting until everything it owned is gone, then gone from API and cluster', async () => {
    const name = names.woocommerce;
    const a = await mia.request<StoreSummary>('DELETE', `/api/v1/stores/${name}`);
    expect(a.status, a.text).toBe(202);
    expect(a.body.phase).toBe('Deleting');
    const deadline = Date.now() + 180_000;
    let sawDeleting = false;
    for (;;) {
      const g = await get(mia, name);
      if (g.status === 404) {
        // Never reported gone while its namespace still exists.
        const ns = await c.kubectl(['get', 'namespace', `store-${name}`, '-o', 'name']);
        expect(ns.stdout).toBe('');
        expect(ns.stderr).toContain('NotFound');
        break;
      }
      expect(g.body.phase).toBe('Deleting');
      sawDeleting = true;
      if (Date.now() > deadline) throw new Error(`${name} still there: ${g.text.slice(0, 1000)}`);
      await sleep(500);
    }
    expect(sawDeleting).toBe(true);
    const store = await c.kubectl(['get', 'store', name, '-o', 'name']);
    expect(store.stderr).toContain('NotFound');
    await stream.waitFor((e) => {
      const d = e.data as { type?: string; store?: StoreSummary };
      return e.event === 'store' && d.type === 'delete' && d.store?.name === name ? true : undefined;
    }, 10_000);
    const list = await mia.request<{ stores: StoreSummary[] }>('GET', '/api/v1/stores');
    expect(list.body.stores.map((s) => s.name)).toEqual([names.medusa]);
  });

  it('the audit log holds each action with its actor and outcome', async () => {
    const a = await admin.request<{
      entries: { actor: string; action: string; target: string; outcome: string }[];
    }>('GET', '/api/v1/audit?actor=mia');
    const mine = a.body.entries.map((e) => `${e.actor} ${e.action} ${e.target} ${e.outcome}`);
    for (const line of [
      `mia store.create store:${names.medusa} success`,
      `mia store.create store:${names.woocommerce} success`,
      `mia store.credentials.reveal store:${names.woocommerce} success`,
      `mia store.retry store:${names.woocommerce} success`,
      `mia store.delete store:${names.woocommerce} success`,
    ]) {
      expect(mine).toContain(line);
    }
    const logins = await admin.request<{ entries: { actor: string; action: string; outcome: string }[] }>(
      'GET',
      '/api/v1/audit?action=session.login',
    );
    expect(logins.body.entries.filter((e) => e.outcome === 'success').map((e) => e.actor)).toEqual(
      expect.arrayContaining(['admin', 'mia', 'ned']),
    );
  });

  it('no password, session, token or credential appears in logs, the audit log or any response but the reveal', async () => {
    const audit = await admin.request('GET', '/api/v1/audit?limit=500');
    const logs = api.logs() + (await operator.logs());
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(8);
      expect(logs.includes(secret), 'a secret in the logs').toBe(false);
      expect(audit.text.includes(secret), 'a secret in the audit log').toBe(false);
      const leaks = Caller.answers.filter(
        (r) =>
          r.text.includes(secret) &&
          !r.url.endsWith('/credentials/reveal') &&
          !r.url.startsWith('POST /api/v1/session'),
      );
      expect(leaks.map((l) => l.url)).toEqual([]);
    }
  });
});

describe('what the dashboard asks the API', () => {
  it('the platform: its version, the cluster kind (a real cluster unless start says otherwise), engines and plans', async () => {
    const a = await ned.request<{
      version: string;
      cluster: { kind: string; realNode: boolean };
      engines: { engine: string; title: string; description: string; adminPath: string }[];
      plans: { plan: string; cpu: string; memory: string; storage: string }[];
    }>('GET', '/api/v1/platform');
    expect(a.status).toBe(200);
    expect(a.body.cluster).toEqual({ kind: 'kubernetes', realNode: false });
    expect(a.body.engines.map((e) => [e.engine, e.title, e.adminPath])).toEqual([
      ['woocommerce', 'WooCommerce', '/wp-admin/'],
      ['medusa', 'MedusaJS', '/app/'],
    ]);
    for (const e of a.body.engines) expect(e.description.length).toBeGreaterThan(20);
    expect(a.body.plans).toEqual([
      { plan: 'small', cpu: '1', memory: '3Gi', storage: '10Gi' },
      { plan: 'medium', cpu: '3', memory: '6Gi', storage: '30Gi' },
      expect.objectContaining({ plan: 'large' }),
    ]);
    expect((await new Caller(api.url).request('GET', '/api/v1/platform')).status).toBe(401);
  });

  it('a store name: free, taken by anyone (as a create would find), malformed or reserved, in words', async () => {
    const check = (who: Caller, name: string) =>
      who.request<{ name: string; available: boolean; problem?: string }>(
        'GET',
        `/api/v1/store-names/${encodeURIComponent(name)}`,
      );
    expect((await check(ned, 'neds-new-shop')).body).toEqual({ name: 'neds-new-shop', available: true });
    // mia's store: ned cannot see it, but could not create it either (names are cluster-wide).
    expect((await check(ned, names.medusa)).body).toEqual({
      name: names.medusa,
      available: false,
      problem: `The name "${names.medusa}" is taken: choose another.`,
    });
    expect((await check(ned, 'Bad_Name')).body.problem).toMatch(
      /^Store name must consist of lower-case letters/,
    );
    expect((await check(ned, 'ab')).body.problem).toMatch(/3 to 30 characters/);
    expect((await check(ned, 'api')).body.problem).toBe(
      '"api" is reserved for the platform; choose another name.',
    );
    const long = await check(ned, 'x'.repeat(100));
    expect(long.status).toBe(400);
  });

  it('the overview is for admins only, and counts the stores that exist', async () => {
    const refused = await mia.request<{ error: { code: string } }>('GET', '/api/v1/overview');
    expect(refused.status).toBe(403);
    const o = await admin.request<{
      stores: number;
      byEngine: Record<string, number>;
      cap: { used: number; limit: number };
    }>('GET', '/api/v1/overview');
    expect(o.status).toBe(200);
    const all = await admin.request<{ stores: { engine: string }[] }>('GET', '/api/v1/stores?limit=500');
    expect(o.body.stores).toBe(all.body.stores.length);
    expect(o.body.cap).toEqual({ used: all.body.stores.length, limit: 200 });
    expect(o.body.byEngine.medusa).toBe(all.body.stores.filter((s) => s.engine === 'medusa').length);
  });
});

describe('the audit log keeps refusals, not the sign-in page asking who is there', () => {
  it('an anonymous "who am I?" is not audited; an anonymous call of anything else is', async () => {
    const whoAmI = await fetch(`${api.url}/api/v1/session`);
    expect(whoAmI.status).toBe(401);
    const stores = await fetch(`${api.url}/api/v1/stores`);
    expect(stores.status).toBe(401);
    // The audit line is written after the answer: wait for the one that must be there.
    let ids: (string | null)[] = [];
    for (let i = 0; i < 50 && !ids.includes(stores.headers.get('x-request-id')); i++) {
      if (i) await sleep(100);
      const log = await admin.request<{ entries: { requestId: string | null }[] }>(
        'GET',
        '/api/v1/audit?limit=50',
      );
      ids = log.body.entries.map((e) => e.requestId);
    }
    expect(ids).toContain(stores.headers.get('x-request-id'));
    expect(ids).not.toContain(whoAmI.headers.get('x-request-id'));
  });
});

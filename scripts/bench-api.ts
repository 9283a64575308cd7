// The platform API under load (issue 10's benchmark; prints figures and writes JSON; not a test):
//   npm run bench:api -- [--stores 1000] [--rate 500] [--seconds 20] [--changes 30] [--postgres]
//                        [--out test-results/bench-api.json]
// With N Stores (a Ready-looking status each) in a private simulated cluster and one API process,
// it sends GET /api/v1/stores (a page of 100, as an admin sees all stores) at a fixed rate, open
// loop (a request every 1/rate s whether or not earlier ones have answered, so a slow server shows
// as latency, not as a lower rate), and times Store status changes to their SSE events.
// Run it on a quiet machine: the load generator shares the cores with the API.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { makeClients } from '../src/kube/clients.ts';
import { installStoreCrd } from '../src/store/install-crd.ts';
import type { Store } from '../src/store/schema.ts';
import { startPostgres, type Postgres } from '../test/medusa/harness/postgres.ts';
import { privateCluster } from '../test/operator/harness.ts';
import { ApiProcess, EventReader, signIn } from '../test/api/harness.ts';

const { values } = parseArgs({
  options: {
    stores: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '20' },
    changes: { type: 'string', default: '30' },
    postgres: { type: 'boolean', default: false },
    out: { type: 'string', default: 'test-results/bench-api.json' },
  },
});
const storeCount = Number(values.stores);
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const say = (line: string) => process.stderr.write(`[bench:api] ${line}\n`);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
};
const ms = (x: number) => Math.round(x * 100) / 100;

const c = await privateCluster();
let pg: Postgres | undefined;
let api: ApiProcess | undefined;
try {
  const clients = await makeClients(c.kc, { timeoutMs: 60_000 });
  await installStoreCrd(clients);
  say(`creating ${storeCount} stores with a Ready status ...`);
  const t0 = Date.now();
  const now = new Date().toISOString();
  const group = '/apis/storeplane.dev/v1alpha1/stores';
  const one = async (i: number) => {
    const name = `bench-${String(i).padStart(4, '0')}`;
    await clients.raw.request('POST', group, {
      body: {
        apiVersion: 'storeplane.dev/v1alpha1',
        kind: 'Store',
        metadata: { name },
        spec: {
          engine: i % 2 ? 'medusa' : 'woocommerce',
          displayName: `Bench ${i}`,
          owner: `user-${i % 50}`,
          plan: 'small',
        },
      },
    });
    await clients.raw.request('PATCH', `${group}/${name}/status`, {
      contentType: 'application/merge-patch+json',
      body: { status: readyStatus(name, now) },
    });
  };
  for (let i = 0; i < storeCount; i += 20)
    await Promise.all(Array.from({ length: Math.min(20, storeCount - i) }, (_, k) => one(i + k)));
  say(`created in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  if (values.postgres) pg = await startPostgres(await mkdtemp(join(tmpdir(), 'storeplane-bench-pg-')));
  api = await new ApiProcess({
    kubeconfig: c.kubeconfig,
    databaseUrl: pg?.url,
    // The limits are not what is measured here.
    config: { rateLimits: { general: { max: 1_000_000_000, windowMs: 60_000 } } },
  }).start();
  const admin = await signIn(api);
  const token = await admin.request<{ token: string }>('POST', '/api/v1/tokens', {
    name: 'bench',
    scopes: ['stores:read', 'admin'],
  });
  const auth = `Bearer ${token.body.token}`;
  const url = new URL(`${api.url}/api/v1/stores?limit=100`);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const get = () =>
    new Promise<{ status: number; ms: number }>((resolve) => {
      const start = performance.now();
      const req = request(url, { agent, headers: { authorization: auth } }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - start }));
      });
      req.on('error', () => resolve({ status: 0, ms: performance.now() - start }));
      req.end();
    });
  const check = await fetch(url, { headers: { authorization: auth } });
  const page = (await check.json()) as { stores?: unknown[] };
  if (check.status !== 200 || page.stores?.length !== Math.min(100, storeCount)) {
    throw new Error(`GET /api/v1/stores answered ${check.status} with ${page.stores?.length} stores`);
  }
  say('warming up for 3 s ...');
  await load(get, rate, 3);
  say(`GET /api/v1/stores?limit=100 at ${rate}/s for ${seconds} s ...`);
  const before = await histogram(api.url);
  const run = await load(get, rate, seconds);
  const server = serverSide(before, await histogram(api.url));
  const ok = run.results.filter((r) => r.status === 200).map((r) => r.ms);
  const list = {
    requests: run.results.length,
    achievedRatePerSecond: Math.round(run.results.length / run.seconds),
    errors: run.results.length - ok.length,
    p50Ms: ms(pct(ok, 50)),
    p90Ms: ms(pct(ok, 90)),
    p99Ms: ms(pct(ok, 99)),
    maxMs: ms(Math.max(...ok)),
    // The API's own request-duration histogram for this route (no client or network in it):
    // the share of requests answered within each bucket, and the bucket that holds the p99.
    server,
  };
  say(`list: ${JSON.stringify(list)}`);

  say(`status change -> SSE event, ${values.changes} changes ...`);
  const stream = new EventReader(`${api.url}/api/v1/stores/stream`, { authorization: auth });
  await stream.waitFor((e) => e.event === 'snapshot');
  const latencies: number[] = [];
  for (let i = 0; i < Number(values.changes); i++) {
    const name = `bench-${String(i % storeCount).padStart(4, '0')}`;
    const marker = `bench change ${i}`;
    const sent = Date.now();
    await clients.raw.request('PATCH', `${group}/${name}/status`, {
      contentType: 'application/merge-patch+json',
      body: {
        status: {
          phase: i % 2 ? 'Provisioning' : 'Ready',
          conditions: readyStatus(name, new Date().toISOString(), marker)!.conditions,
        },
      },
    });
    const at = await stream.waitFor((e) => {
      const d = e.data as { store?: { name: string; message?: string } };
      return e.event === 'store' && d.store?.name === name && d.store.message === marker ? e.at : undefined;
    }, 10_000);
    latencies.push(at - sent);
    await sleep(100);
  }
  stream.close();
  const sse = {
    changes: latencies.length,
    p50Ms: pct(latencies, 50),
    p99Ms: pct(latencies, 99),
    maxMs: Math.max(...latencies),
  };
  say(`sse: ${JSON.stringify(sse)}`);
  const result = {
    when: new Date().toISOString(),
    stores: storeCount,
    database: values.postgres ? 'postgresql' : 'sqlite',
    list: { ...list, targetRatePerSecond: rate, seconds, goalP99Ms: 20 },
    statusChangeToSseEvent: { ...sse, goalMs: 500 },
  };
  await mkdir(dirname(values.out), { recursive: true });
  await writeFile(values.out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  agent.destroy();
  clients.close();
} finally {
  await api?.stop().catch(() => undefined);
  await pg?.stop();
  await c.stop();
}

/** The API's duration histogram for GET /api/v1/stores (status 200): cumulative counts by bucket. */
async function histogram(base: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^storeplane_api_http_request_duration_seconds_bucket\{(.*)\} (\d+)$/.exec(line);
    if (
      !m ||
      !m[1]!.includes('route="/api/v1/stores"') ||
      !m[1]!.includes('method="GET"') ||
      !m[1]!.includes('status="200"')
    )
      continue;
    out.set(/le="([^"]+)"/.exec(m[1]!)![1]!, Number(m[2]));
  }
  return out;
}

function serverSide(before: Map<string, number>, after: Map<string, number>) {
  const total = (after.get('+Inf') ?? 0) - (before.get('+Inf') ?? 0);
  const within: Record<string, number> = {};
  let p99BucketMs: number | undefined;
  for (const [le, n] of after) {
    if (le === '+Inf') continue;
    const share = total ? (n - (before.get(le) ?? 0)) / total : 0;
    within[`${Number(le) * 1000}ms`] = Math.round(share * 10_000) / 100;
    if (p99BucketMs === undefined && share >= 0.99) p99BucketMs = Number(le) * 1000;
  }
  return { requests: total, percentWithin: within, p99AtMostMs: p99BucketMs };
}

/** Fires `fn` every 1/rate s for `secs` s, not waiting for answers; returns every result. */
async function load<T>(fn: () => Promise<T>, perSecond: number, secs: number) {
  const results: Promise<T>[] = [];
  const start = performance.now();
  const total = perSecond * secs;
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    results.push(fn());
  }
  const settled = await Promise.all(results);
  return { results: settled, seconds: (performance.now() - start) / 1000 };
}

function readyStatus(name: string, time: string, message = 'The store is ready.'): Store['status'] {
  const cond = (type: string, reason: string, msg = '') => ({
    type,
    status: type === 'Reconciling' || type === 'Stalled' ? 'False' : 'True',
    observedGeneration: 1,
    lastTransitionTime: time,
    reason,
    message: msg,
  });
  return {
    observedGeneration: 1,
    phase: 'Ready',
    url: `http://${name}.localtest.me/`,
    adminUrl: `http://${name}.localtest.me/app/`,
    readyAt: time,
    conditions: [
      cond('Ready', 'StoreReady', message),
      cond('Reconciling', 'StoreReady'),
      cond('Stalled', 'StoreReady'),
      cond('NamespaceReady', 'Applied'),
      cond('GuardrailsReady', 'Applied'),
      cond('CredentialsReady', 'Present'),
      cond('Released', 'InSync'),
      cond('WorkloadsReady', 'AllReady'),
      cond('SetupComplete', 'HooksSucceeded'),
    ],
    history: [
      {
        revision: 1,
        chartVersion: '0.1.0',
        configDigest: 'sha256:0',
        status: 'deployed',
        action: 'install',
        time,
      },
    ],
  } as Store['status'];
}

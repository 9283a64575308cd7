// Operator benchmark on the simulated cluster. Prints figures and writes them as JSON.
//
//   node --import tsx scripts/bench-operator.ts [--out bench/operator.json] [--stores 1000] [--minutes 20]
//
// Measures: create-to-Ready for one store (p50 of 10, one after another); 100 Stores created at
// once until all are Ready; the operator's resident memory once N stores are Ready (N = --stores,
// or as many as are Ready when --minutes of creating them run out); API writes per minute by the
// operator while nothing changes. It is a measurement, not a test: it asserts nothing.
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { Store } from '../src/store/schema.ts';
import {
  OperatorProcess,
  type PrivateCluster,
  privateCluster,
  standInChart,
  storeYaml,
} from '../test/operator/harness.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'test-results/bench-operator.json' },
    stores: { type: 'string', default: '1000' },
    minutes: { type: 'string', default: '20' },
  },
});
const target = Number(values.stores);
const minutes = Number(values.minutes);
const say = (s: string) => process.stdout.write(`${s}\n`);

async function listStores(c: PrivateCluster): Promise<Store[]> {
  const r = (await c.custom.listClusterCustomObject({
    group: 'storeplane.dev',
    version: 'v1alpha1',
    plural: 'stores',
  })) as { items: Store[] };
  return r.items;
}
const ready = (s: Store) =>
  s.status?.phase === 'Ready' && s.status.observedGeneration === s.metadata.generation;

async function applyStores(c: PrivateCluster, names: string[]): Promise<void> {
  for (let i = 0; i < names.length; i += 100) {
    const items = names.slice(i, i + 100).map((n) => JSON.parse(storeYaml(n)));
    const r = await c.kubectl(
      ['apply', '-f', '-'],
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items }),
    );
    if (r.code !== 0) throw new Error(r.stderr);
  }
}

async function waitReady(c: PrivateCluster, names: Set<string>, deadline: number): Promise<number> {
  for (;;) {
    const n = (await listStores(c)).filter((s) => names.has(s.metadata.name) && ready(s)).length;
    if (n === names.size || Date.now() > deadline) return n;
    await sleep(250);
  }
}

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Mutating requests the API server has served, by resource (from its own /metrics). */
async function writesByResource(c: PrivateCluster): Promise<Map<string, number>> {
  const r = await c.kubectl(['get', '--raw', '/metrics']);
  const out = new Map<string, number>();
  for (const line of r.stdout.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const verb = /verb="([A-Z]+)"/.exec(line)?.[1] ?? '';
    if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(verb)) continue;
    const resource = /resource="([^"]*)"/.exec(line)?.[1] ?? '';
    const sub = /subresource="([^"]*)"/.exec(line)?.[1];
    const key = sub ? `${resource}/${sub}` : resource;
    out.set(key, (out.get(key) ?? 0) + Number(line.split(' ').pop()));
  }
  return out;
}

const c = await privateCluster({ count: 20, cpu: '32', memory: '128Gi' });
const operator = new OperatorProcess(c, [
  '--chart',
  `woocommerce=${standInChart}`,
  '--chart',
  `medusa=${standInChart}`,
  '--resync-seconds',
  '30',
]);
const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: { cores: (await import('node:os')).cpus().length },
  concurrency: 4,
};
try {
  await operator.start();

  // 1. One store at a time, 10 times.
  const singles: number[] = [];
  for (let i = 0; i < 10; i++) {
    const name = `single-${i}`;
    const t0 = Date.now();
    await applyStores(c, [name]);
    await waitReady(c, new Set([name]), Date.now() + 300_000);
    singles.push((Date.now() - t0) / 1000);
  }
  singles.sort((a, b) => a - b);
  results.singleCreateToReadySeconds = { p50: singles[4], min: singles[0], max: singles[9], runs: singles };
  say(
    `create-to-Ready, one store: p50 ${singles[4]?.toFixed(2)}s (min ${singles[0]?.toFixed(2)}s, max ${singles[9]?.toFixed(2)}s, 10 runs)`,
  );

  // 2. 100 at once.
  const hundred = Array.from({ length: 100 }, (_, i) => `batch-${String(i).padStart(3, '0')}`);
  const t100 = Date.now();
  await applyStores(c, hundred);
  const got = await waitReady(c, new Set(hundred), Date.now() + 1_800_000);
  results.hundredAtOnceSeconds = (Date.now() - t100) / 1000;
  say(
    `100 stores created at once: ${got}/100 Ready after ${(results.hundredAtOnceSeconds as number).toFixed(1)}s`,
  );

  // 3. Up to `target` Ready stores, or what is Ready after `minutes` of creating them.
  const rest = Array.from(
    { length: Math.max(0, target - 110) },
    (_, i) => `fleet-${String(i).padStart(4, '0')}`,
  );
  const tFleet = Date.now();
  const deadline = tFleet + minutes * 60_000;
  for (let i = 0; i < rest.length && Date.now() < deadline; i += 100)
    await applyStores(c, rest.slice(i, i + 100));
  const all = new Set([...hundred, ...rest, ...Array.from({ length: 10 }, (_, i) => `single-${i}`)]);
  await waitReady(c, all, deadline);
  const readyCount = (await listStores(c)).filter(ready).length;
  await sleep(5000);
  const rss = await rssMiB(operator.child?.pid ?? 0);
  results.fleet = {
    requested: all.size,
    ready: readyCount,
    minutesSpent: (Date.now() - tFleet) / 60_000,
    operatorRssMiB: Math.round(rss),
  };
  say(
    `operator resident memory with ${readyCount} Ready stores (of ${all.size} created${readyCount < all.size ? `, limit ${minutes} min reached` : ''}): ${rss.toFixed(0)} MiB`,
  );

  // 4. Idle writes: only meaningful once every store is Ready, so wait for the stragglers first
  // (at most 15 more minutes), then let things settle and count mutating requests over 2 minutes
  // (4 resyncs).
  const settled = await waitReady(c, all, Date.now() + 900_000);
  results.idleWindowAfterAllReady = settled === all.size;
  if (settled !== all.size)
    say(`only ${settled}/${all.size} stores Ready after 15 more minutes: the idle figure below is not idle`);
  await sleep(20_000);
  const settledRss = await rssMiB(operator.child?.pid ?? 0);
  results.settledOperatorRssMiB = { stores: settled, rssMiB: Math.round(settledRss) };
  say(`operator resident memory once ${settled} stores are Ready and settled: ${settledRss.toFixed(0)} MiB`);
  const before = await writesByResource(c);
  const windowMs = 120_000;
  await sleep(windowMs);
  const after = await writesByResource(c);
  // Who wrote the events in the window (an event write is a create or a count bump).
  const since = new Date(Date.now() - windowMs).toISOString();
  const evList = JSON.parse((await c.kubectl(['get', 'events', '-A', '-o', 'json'])).stdout) as {
    items: {
      reason?: string;
      source?: { component?: string };
      reportingComponent?: string;
      lastTimestamp?: string;
      eventTime?: string;
      series?: { lastObservedTime?: string };
      metadata: { creationTimestamp?: string };
    }[];
  };
  const eventSources: Record<string, number> = {};
  for (const e of evList.items) {
    const at =
      e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? '';
    if (at < since) continue;
    const k = `${e.source?.component || e.reportingComponent || '?'}/${e.reason}`;
    eventSources[k] = (eventSources[k] ?? 0) + 1;
  }
  results.idleEventSources = eventSources;
  say(`events in the idle window by component/reason: ${JSON.stringify(eventSources)}`);
  const delta: Record<string, number> = {};
  for (const [k, v] of after) if (v - (before.get(k) ?? 0) > 0) delta[k] = v - (before.get(k) ?? 0);
  // Node leases and node status are KWOK's heartbeats; leases also hold our leader election.
  const operatorish = Object.entries(delta).filter(
    ([k]) => !k.startsWith('leases') && !k.startsWith('nodes'),
  );
  const perMinute = operatorish.reduce((a, [, v]) => a + v, 0) / (windowMs / 60_000);
  results.idleWritesPerMinute = { excludingLeasesAndNodes: perMinute, byResource: delta };
  say(
    `API writes per minute while nothing changes (all clients, leases and node heartbeats excluded): ${perMinute.toFixed(1)}; by resource over 2 min: ${JSON.stringify(delta)}`,
  );
} finally {
  await operator.stop();
  await c.stop();
}
await mkdir(dirname(values.out), { recursive: true });
await writeFile(values.out, `${JSON.stringify(results, null, 2)}\n`);
say(`wrote ${values.out}`);

// Operator benchmark on the simulated cluster. Prints figures and writes them as JSON.
//
//   node --import tsx scripts/bench-operator.ts [--charts standin,real] [--stores 1000] [--minutes 30]
//        [--resync-seconds 300] [--concurrency 4] [--out test-results/bench-operator.json]
//
// For each chart set (the stand-in chart, and the real engine charts, whose hooks complete on KWOK),
// on a fresh simulated cluster: create-to-Ready of one store (10 in a row: p50, min, max); 100
// Stores created at once until all are Ready; the operator's resident memory once N stores are
// Ready; and, with nothing changing over a whole resync period, the operator's API requests per
// minute (writes, server-side dry runs, reads) and CPU. STOREPLANE_OPERATOR_JS=dist/cli/main.js
// runs the compiled operator (npm run build). A measurement, not a test: it asserts nothing. Run
// it on a quiet machine.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { freePort } from '../src/devcluster/ports.ts';
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
    charts: { type: 'string', default: 'standin,real' },
    stores: { type: 'string', default: '1000' },
    minutes: { type: 'string', default: '30' },
    'resync-seconds': { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '4' },
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
  })) as {
    items: Store[];
  };
  return r.items;
}
const ready = (s: Store) =>
  s.status?.phase === 'Ready' && s.status.observedGeneration === s.metadata.generation;

async function applyStores(
  c: PrivateCluster,
  names: string[],
  engineOf: (i: number) => string,
): Promise<void> {
  for (let i = 0; i < names.length; i += 100) {
    const items = names
      .slice(i, i + 100)
      .map((n, j) => JSON.parse(storeYaml(n, { engine: engineOf(i + j) })));
    const r = await c.kubectl(
      ['apply', '-f', '-'],
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items }),
    );
    if (r.code !== 0) throw new Error(r.stderr);
  }
}

async function waitReady(c: PrivateCluster, names: Set<string>, deadline: number): Promise<number> {
  // Listing 1,000 stores is megabytes of JSON: polling that 4 times a second would load the
  // control plane being measured. Figures are to 0.25 s up to 200 stores, to 2 s beyond.
  const every = names.size > 200 ? 2000 : 250;
  for (;;) {
    const n = (await listStores(c)).filter((s) => names.has(s.metadata.name) && ready(s)).length;
    if (n === names.size || Date.now() > deadline) return n;
    await sleep(every);
  }
}

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Requests the API server has served, by verb and resource (from its own /metrics). */
async function requestCounts(c: PrivateCluster): Promise<Map<string, number>> {
  const r = await c.kubectl(['get', '--raw', '/metrics']);
  const out = new Map<string, number>();
  for (const line of r.stdout.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const verb = /verb="([A-Z]+)"/.exec(line)?.[1] ?? '';
    const dry = /dry_run="([^"]*)"/.exec(line)?.[1] ?? '';
    const resource = /resource="([^"]*)"/.exec(line)?.[1] ?? '';
    const sub = /subresource="([^"]*)"/.exec(line)?.[1];
    const key = `${verb}${dry ? ' (dry run)' : ''} ${sub ? `${resource}/${sub}` : resource}`;
    out.set(key, (out.get(key) ?? 0) + Number(line.split(' ').pop()));
  }
  return out;
}

/** The operator's own count of its API requests (storeplane_kube_requests_total). */
async function operatorRequests(port: number): Promise<Map<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('storeplane_kube_requests_total{')) continue;
    const verb = /verb="([^"]*)"/.exec(line)?.[1] ?? '';
    const resource = /resource="([^"]*)"/.exec(line)?.[1] ?? '';
    const dry = /dry_run="true"/.test(line);
    const key = `${verb}${dry ? ' (dry run)' : ''} ${resource}`;
    out.set(key, (out.get(key) ?? 0) + Number(line.split(' ').pop()));
  }
  return out;
}

/** Jiffies the whole machine spent busy and in total so far (/proc/stat). */
async function machineJiffies(): Promise<{ busy: number; total: number }> {
  const f =
    (await readFile('/proc/stat', 'utf8')).split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - (f[3] ?? 0) - (f[4] ?? 0), total };
}

/**
 * CPU seconds by program (the comm of each live process, plus what the finished children of the
 * named ones have used), to say where a phase's CPU went: API server, etcd, KWOK, the operator,
 * its helm (`operator children`).
 */
async function cpuByProgram(names: Map<number, string>): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const pid of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const comm = names.get(Number(pid)) ?? /\((.*)\) /.exec(stat)?.[1] ?? '';
    const f = stat.split(') ')[1]?.split(' ') ?? [];
    if (!comm || f.length < 15) continue;
    out.set(comm, (out.get(comm) ?? 0) + (Number(f[11]) + Number(f[12])) / 100);
    // Finished children only of the processes named (the operator's helm, the benchmark's
    // kubectl): another process's reaped children may have run before the phase began.
    if (names.has(Number(pid)))
      out.set(`${comm} children`, (out.get(`${comm} children`) ?? 0) + (Number(f[13]) + Number(f[14])) / 100);
  }
  return out;
}

/** What a phase cost: the machine's busy share and the CPU seconds of its top programs. */
async function phaseCost<T>(
  names: Map<number, string>,
  run: () => Promise<T>,
): Promise<{ value: T; cost: Record<string, unknown> }> {
  const [m0, p0, t0] = [await machineJiffies(), await cpuByProgram(names), Date.now()];
  const value = await run();
  const [m1, p1] = [await machineJiffies(), await cpuByProgram(names)];
  const seconds = (Date.now() - t0) / 1000;
  const top = [...p1]
    .map(([k, v]) => [k, v - (p0.get(k) ?? 0)] as const)
    .filter(([, v]) => v >= 1)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10);
  return {
    value,
    cost: {
      seconds,
      machineBusyPercent: Math.round((100 * (m1.busy - m0.busy)) / Math.max(1, m1.total - m0.total)),
      cpuSecondsByProgram: Object.fromEntries(top.map(([k, v]) => [k, Math.round(v)])),
    },
  };
}

const costLine = (cost: Record<string, unknown>) =>
  `  machine ${String(cost.machineBusyPercent)}% busy; CPU s by program: ${Object.entries(
    cost.cpuSecondsByProgram as Record<string, number>,
  )
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}`;

/** Seconds the operator's helm children have run so far (storeplane_helm_action_seconds_sum). */
async function helmSeconds(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('storeplane_helm_action_seconds_sum{'))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

const diff = (after: Map<string, number>, before: Map<string, number>) => {
  const d: Record<string, number> = {};
  for (const [k, v] of after) if (v - (before.get(k) ?? 0) > 0) d[k] = v - (before.get(k) ?? 0);
  return d;
};

/**
 * User + system CPU seconds of a process (/proc/<pid>/stat, clock ticks of 1/100 s): its own, and
 * with its finished children (the helm processes it ran and waited for).
 */
async function cpuSeconds(pid: number): Promise<{ own: number; withHelm: number }> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
  const own = (Number(fields[11]) + Number(fields[12])) / 100;
  return { own, withHelm: own + (Number(fields[13]) + Number(fields[14])) / 100 };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

async function benchOne(mode: 'standin' | 'real'): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = { charts: mode };
  // Room for 1,000 stores of real charts (about five pods each).
  const c = await privateCluster({ count: 40, cpu: '64', memory: '256Gi', pods: 250 });
  const chartArgs =
    mode === 'standin' ? ['--chart', `woocommerce=${standInChart}`, '--chart', `medusa=${standInChart}`] : [];
  const metricsPort = await freePort();
  const operator = new OperatorProcess(c, [
    ...chartArgs,
    '--resync-seconds',
    values['resync-seconds'] ?? '300',
    '--metrics-port',
    String(metricsPort),
    '--concurrency',
    values.concurrency ?? '4',
  ]);
  const engineOf = (i: number) => (i % 2 === 0 ? 'woocommerce' : 'medusa');
  try {
    await operator.start();
    say(
      `\n== ${mode === 'standin' ? 'stand-in chart' : 'real engine charts (woocommerce-store, medusa-store)'} ==`,
    );

    const programs = new Map([
      [operator.child?.pid ?? 0, 'operator'],
      [process.pid, 'benchmark'],
    ]);
    // 1. One store at a time, 10 times (engines alternate).
    // The operator's overhead is what is left once the time its helm children took is taken out
    // (with the real charts, helm waits for the setup hook: the chart's own work).
    const singles: number[] = [];
    const overheads: number[] = [];
    for (let i = 0; i < 10; i++) {
      const name = `single-${i}`;
      const helmBefore = await helmSeconds(metricsPort);
      const t0 = Date.now();
      await applyStores(c, [name], () => engineOf(i));
      await waitReady(c, new Set([name]), Date.now() + 300_000);
      const took = (Date.now() - t0) / 1000;
      singles.push(took);
      overheads.push(took - ((await helmSeconds(metricsPort)) - helmBefore));
    }
    singles.sort((a, b) => a - b);
    overheads.sort((a, b) => a - b);
    results.singleCreateToReadySeconds = {
      p50: percentile(singles, 0.5),
      min: singles[0],
      max: singles.at(-1),
      runs: singles,
      operatorOverheadP50: percentile(overheads, 0.5),
      operatorOverheadRuns: overheads,
    };
    say(
      `create-to-Ready, one store: p50 ${percentile(singles, 0.5).toFixed(2)}s (min ${singles[0]?.toFixed(2)}s, max ${singles.at(-1)?.toFixed(2)}s, 10 runs); without the time in helm: p50 ${percentile(overheads, 0.5).toFixed(2)}s`,
    );

    // 2. 100 at once.
    const hundred = Array.from({ length: 100 }, (_, i) => `batch-${String(i).padStart(3, '0')}`);
    const t100 = Date.now();
    const { value: got, cost: hundredCost } = await phaseCost(programs, async () => {
      await applyStores(c, hundred, engineOf);
      return waitReady(c, new Set(hundred), Date.now() + 1_800_000);
    });
    results.hundredAtOnceSeconds = (Date.now() - t100) / 1000;
    results.hundredAtOnceCost = hundredCost;
    say(
      `100 stores created at once: ${got}/100 Ready after ${(results.hundredAtOnceSeconds as number).toFixed(1)}s`,
    );
    say(costLine(hundredCost));

    // 3. Up to `target` Ready stores, or what is Ready after `minutes` of creating them.
    const rest = Array.from(
      { length: Math.max(0, target - 110) },
      (_, i) => `fleet-${String(i).padStart(4, '0')}`,
    );
    const tFleet = Date.now();
    const deadline = tFleet + minutes * 60_000;
    const all = new Set([...hundred, ...rest, ...Array.from({ length: 10 }, (_, i) => `single-${i}`)]);
    const { value: readyCount, cost: fleetCost } = await phaseCost(programs, async () => {
      for (let i = 0; i < rest.length && Date.now() < deadline; i += 100)
        await applyStores(c, rest.slice(i, i + 100), engineOf);
      return waitReady(c, all, deadline);
    });
    results.fleet = {
      requested: all.size,
      ready: readyCount,
      minutesSpent: (Date.now() - tFleet) / 60_000,
      cost: fleetCost,
    };
    say(`${readyCount}/${all.size} stores Ready after ${((Date.now() - tFleet) / 60_000).toFixed(1)} min`);
    say(costLine(fleetCost));

    // 4. Settled: memory, and what the operator asks of the API server while nothing changes (its
    // own request counter). First one whole resync period, so every store has had its first
    // steady look since it became Ready; then a window of another whole period.
    await sleep(Number(values['resync-seconds']) * 1000 + 30_000);
    const pid = operator.child?.pid ?? 0;
    const rss = await rssMiB(pid);
    results.settledOperatorRssMiB = { stores: readyCount, rssMiB: Math.round(rss) };
    say(`operator resident memory with ${readyCount} Ready stores, settled: ${rss.toFixed(0)} MiB`);
    const windowMs = Math.max(120_000, Number(values['resync-seconds']) * 1000 + 60_000);
    const minutesOf = windowMs / 60_000;
    const serverBefore = await requestCounts(c);
    const mineBefore = await operatorRequests(metricsPort);
    const cpuBefore = await cpuSeconds(pid);
    await sleep(windowMs);
    const server = diff(await requestCounts(c), serverBefore);
    const mine = diff(await operatorRequests(metricsPort), mineBefore);
    const cpuAfter = await cpuSeconds(pid);
    const cpu = cpuAfter.own - cpuBefore.own;
    const cpuWithHelm = cpuAfter.withHelm - cpuBefore.withHelm;
    const perMinute = (pick: (k: string) => boolean) =>
      Object.entries(mine)
        .filter(([k]) => pick(k) && !/ leases$/.test(k))
        .reduce((a, [, v]) => a + v, 0) / minutesOf;
    const idle = {
      windowMinutes: minutesOf,
      writesPerMinute: perMinute((k) => /^(POST|PUT|PATCH|DELETE) /.test(k) && !k.includes('(dry run)')),
      dryRunsPerMinute: perMinute((k) => k.includes('(dry run)')),
      readsPerMinute: perMinute((k) => /^(GET|LIST) /.test(k)),
      cpuSecondsPerMinute: cpu / minutesOf,
      cpuSecondsPerMinuteWithHelm: cpuWithHelm / minutesOf,
      operatorRequests: mine,
      apiServerAllClients: server,
    };
    results.idle = idle;
    say(
      `the operator while nothing changes, over ${minutesOf.toFixed(1)} min (its lease renewals left out): ${idle.writesPerMinute.toFixed(1)} writes/min, ${idle.dryRunsPerMinute.toFixed(1)} dry-run applies/min, ${idle.readsPerMinute.toFixed(1)} reads/min, ${idle.cpuSecondsPerMinute.toFixed(2)} CPU s/min (${idle.cpuSecondsPerMinuteWithHelm.toFixed(2)} with its helm children)`,
    );
    say(`  its requests: ${JSON.stringify(mine)}`);
    const rssAfter = await rssMiB(pid);
    results.operatorRssAfterIdleMiB = Math.round(rssAfter);
    say(`operator resident memory after the idle window: ${rssAfter.toFixed(0)} MiB`);
  } finally {
    await operator.stop();
    await c.stop();
  }
  return results;
}

const all: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: { cores: (await import('node:os')).cpus().length },
  concurrency: Number(values.concurrency),
  stores: target,
  resyncSeconds: Number(values['resync-seconds']),
  runs: [] as unknown[],
};
for (const mode of (values.charts ?? '').split(',').filter(Boolean) as ('standin' | 'real')[])
  (all.runs as unknown[]).push(await benchOne(mode));
await mkdir(dirname(values.out), { recursive: true });
await writeFile(values.out, `${JSON.stringify(all, null, 2)}\n`);
say(`wrote ${values.out}`);

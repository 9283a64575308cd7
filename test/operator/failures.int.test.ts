import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeNodes } from '../../src/devcluster/nodes.ts';
import {
  OperatorProcess,
  type PrivateCluster,
  isReady,
  privateCluster,
  standInChart,
  storeYaml,
  waitForStore,
} from './harness.ts';
import type { Store } from '../../src/store/schema.ts';

let c: PrivateCluster;
let operator: OperatorProcess | undefined;
const charts = [
  '--chart',
  `woocommerce=${standInChart}`,
  '--chart',
  `medusa=${standInChart}`,
  '--retry-budget',
  '2',
  // Two tries, no minimum time: these tests want the Stall a retry budget ends in.
  '--retry-window-seconds',
  '0',
];

async function runOperator(extra: string[] = []) {
  await operator?.stop();
  operator = new OperatorProcess(c, [...charts, ...extra]);
  await operator.start();
}

const stalled = (s: Store) =>
  s.status?.conditions?.some((x) => x.type === 'Stalled' && x.status === 'True') ?? false;
const retry = (name: string) =>
  c.kubectl([
    'annotate',
    'store',
    name,
    '--overwrite',
    `storeplane.dev/requested-at=${new Date().toISOString()}`,
  ]);

beforeAll(async () => {
  // Small nodes: 1 CPU each, so a "large" store's 2-CPU web pod fits nowhere.
  c = await privateCluster({ count: 2, cpu: '1', memory: '8Gi' });
});
afterAll(async () => {
  await operator?.stop();
  await c?.stop();
});

describe('failures a person can act on', () => {
  it('a plan that cannot be scheduled ends Failed with the reason and a fix; retry works once capacity exists', async () => {
    await runOperator();
    await c.kubectl(['apply', '-f', '-'], storeYaml('too-big', { plan: 'large' }));
    const failed = await waitForStore(c, 'too-big', stalled, 120_000, 'Stalled');
    expect(failed.status?.phase).toBe('Failed');
    expect(failed.status?.lastFailure?.reason).toBe('Unschedulable');
    expect(failed.status?.lastFailure?.message).toMatch(
      /cannot be scheduled: 0\/2 nodes are available: 2 Insufficient cpu/,
    );
    expect(failed.status?.lastFailure?.fix).toMatch(
      /Add nodes or capacity, or make nodes schedulable again; if no node could ever fit plan "large", choose a smaller plan. Then retry./,
    );
    const ready = failed.status?.conditions?.find((x) => x.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    const events = await c.kubectl([
      'get',
      'events',
      '-n',
      'default',
      '--field-selector',
      'involvedObject.name=too-big,type=Warning',
      '-o',
      'jsonpath={.items[*].reason}',
    ]);
    expect(events.stdout).toContain('Unschedulable');

    // Remove the cause: a node with room. A stalled store waits for a human...
    const [big] = fakeNodes({ count: 1, cpu: '8', memory: '32Gi', pods: 110 });
    await c.core.createNode({ body: { ...big, metadata: { ...big?.metadata, name: 'kwok-node-big' } } });
    await sleep(4000);
    expect((await c.getStore('too-big')).status?.phase).toBe('Failed');
    // ...until asked to retry.
    await retry('too-big');
    const healed = await waitForStore(c, 'too-big', isReady, 120_000, 'Ready after retry');
    expect(healed.status?.activity?.map((a) => a.reason)).toContain('RetryRequested');
    expect(healed.status?.lastFailure).toBeUndefined();
  });

  it('workloads over the plan quota end Failed with QuotaExceeded; retry works after the quota is fixed', async () => {
    const tight = join(c.dataDir, 'tight-plans.yaml');
    await writeFile(tight, 'small:\n  quota:\n    requests.cpu: 150m\n');
    await runOperator(['--plans', tight]);
    await c.kubectl(['apply', '-f', '-'], storeYaml('over-quota'));
    const failed = await waitForStore(c, 'over-quota', stalled, 120_000, 'Stalled');
    expect(failed.status?.phase).toBe('Failed');
    expect(failed.status?.lastFailure?.reason).toBe('QuotaExceeded');
    // Which pods the quota took in before the refusal varies (the web pod, 100m; the setup hook's
    // pod, 50m, can come before the database pod): the message must be the quota's own sum.
    const message = failed.status?.lastFailure?.message ?? '';
    const refusal =
      /exceeded quota: store-quota, requested: requests\.cpu=(\d+)m, used: requests\.cpu=(\d+)m, limited: requests\.cpu=150m/.exec(
        message,
      );
    expect(refusal, message).not.toBeNull();
    const [requested, used] = [Number(refusal?.[1]), Number(refusal?.[2])];
    expect([50, 100]).toContain(requested);
    expect([100, 150]).toContain(used);
    expect(requested + used).toBeGreaterThan(150);
    expect(failed.status?.lastFailure?.fix).toMatch(/Choose a larger plan/);

    await runOperator(); // the operator's plans are fixed
    await retry('over-quota');
    const healed = await waitForStore(c, 'over-quota', isReady, 180_000, 'Ready after retry');
    const quota = await c.core.readNamespacedResourceQuota({
      name: 'store-quota',
      namespace: 'store-over-quota',
    });
    expect(quota.spec?.hard?.['requests.cpu']).toBe('1');
    expect(healed.status?.failures).toBeUndefined();
  });

  it('a setup hook that can never run fails within seconds, not at the Helm timeout', async () => {
    // No ephemeral storage: the web and database pods ask for none, the post-install setup Job's
    // pod asks for some and is refused, and Helm would wait for it until its 600 s timeout. (A pod
    // count left a race: a setup pod made before the web pod ran, and the web pod took its place.)
    const twoPods = join(c.dataDir, 'no-scratch.yaml');
    await writeFile(twoPods, "small:\n  quota:\n    requests.ephemeral-storage: '0'\n");
    await runOperator(['--plans', twoPods]);
    const t0 = Date.now();
    await c.kubectl(['apply', '-f', '-'], storeYaml('hook-blocked'));
    const failed = await waitForStore(c, 'hook-blocked', stalled, 150_000, 'Stalled');
    expect(failed.status?.lastFailure?.reason).toBe('QuotaExceeded');
    expect(failed.status?.lastFailure?.message).toMatch(
      /exceeded quota: store-quota.*requested: requests\.ephemeral-storage=16Mi/,
    );
    expect(failed.status?.failures).toBe(2);
    process.stderr.write(`[failures test] hook-blocked store Stalled after ${(Date.now() - t0) / 1000}s\n`);
    // Helm was stopped, not killed: no revision is left pending-*.
    const h = await c.helm(['history', 'hook-blocked', '-n', 'store-hook-blocked', '-o', 'json']);
    const revisions = JSON.parse(h.stdout) as { status: string }[];
    expect(revisions.length).toBeGreaterThan(0);
    for (const r of revisions) expect(r.status).not.toMatch(/^pending-/);
    await runOperator();
  });

  it('an unavailable chart version is refused at once (Stalled, no retries)', async () => {
    await c.kubectl(['apply', '-f', '-'], storeYaml('old-version', { version: '9.9.9' }));
    const s = await waitForStore(c, 'old-version', stalled, 60_000, 'Stalled');
    expect(s.status?.lastFailure).toMatchObject({
      reason: 'VersionUnavailable',
      fix: expect.stringMatching(/Set spec\.version to 0\.1\.0/),
    });
    expect(s.status?.failures).toBe(1);
    const ns = await c.core.readNamespace({ name: 'store-old-version' });
    expect(ns.metadata?.name).toBe('store-old-version');
    const h = await c.helm(['history', 'old-version', '-n', 'store-old-version']);
    expect(h.stderr).toMatch(/release: not found/);
  });
});

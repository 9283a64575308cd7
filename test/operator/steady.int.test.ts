import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/devcluster/ports.ts';
import type { Store } from '../../src/store/schema.ts';
import {
  condition,
  helmHistory,
  isReady,
  isStalled,
  metricSum,
  OperatorProcess,
  type PrivateCluster,
  privateCluster,
  storeEvents,
  storeYaml,
  waitFor,
  waitForStore,
} from './harness.ts';

/**
 * Stores of both engines on the real engine charts, looked after over time: resyncs every 2 s,
 * a 20 s deadline and a retry budget of one try, so any false failure Stalls at once.
 */
let c: PrivateCluster;
let operator: OperatorProcess;
let metricsPort: number;
const woo = 'steady-woo';
const med = 'steady-med';
const deadlineSeconds = 20;

beforeAll(async () => {
  c = await privateCluster();
  metricsPort = await freePort();
  operator = new OperatorProcess(c, [
    '--metrics-port',
    String(metricsPort),
    '--resync-seconds',
    '2',
    '--deadline-seconds',
    String(deadlineSeconds),
    '--retry-budget',
    '1',
    '--retry-window-seconds',
    '0',
  ]);
  await operator.start();
  await c.kubectl(['apply', '-f', '-'], storeYaml(woo, { engine: 'woocommerce' }));
  await c.kubectl(['apply', '-f', '-'], storeYaml(med, { engine: 'medusa' }));
  await waitForStore(c, woo, isReady, 150_000, 'Ready');
  await waitForStore(c, med, isReady, 150_000, 'Ready');
});
afterAll(async () => {
  await operator?.stop();
  await c?.stop();
});

const driftEvents = async (name: string) =>
  (await storeEvents(c, name)).filter((e) => /Drift|Upgraded|Degraded/.test(e.reason));

describe('a Ready store on the real charts, left alone', () => {
  // Fault 2: an env var with an empty value in the WooCommerce chart was "drift" on every pass,
  // so every Ready store looped through helm upgrades and setup Jobs.
  it('stays at one Helm revision over many resyncs, with no drift Event and no status write', async () => {
    const before = await Promise.all([c.getStore(woo), c.getStore(med)]);
    await sleep(14_000); // seven resyncs
    for (const [i, name] of [woo, med].entries()) {
      expect(await helmHistory(c, name), name).toEqual([
        expect.objectContaining({ revision: 1, status: 'deployed' }),
      ]);
      expect(await driftEvents(name), name).toEqual([]);
      const now = await c.getStore(name);
      expect(now.metadata.resourceVersion, `${name} status was rewritten`).toBe(
        before[i]?.metadata.resourceVersion,
      );
    }
    expect(await operator.logs()).not.toMatch(/"level":50/);
  });
});

describe('what a steady store costs', () => {
  // A ResourceQuota's usage changes with every pod and Service (each WP-Cron run, say). Its
  // status is not drift: a pass after such a change needs no dry-run apply of the quota.
  it('a quota whose usage changed costs no dry-run apply over the next resyncs', async () => {
    const ns = `store-${woo}`;
    const dryRuns = () =>
      metricSum(metricsPort, 'storeplane_kube_requests_total', 'resource="resourcequotas"', 'dry_run="true"');
    const used = async () =>
      (await c.kubectl(['get', 'resourcequota', '-n', ns, '-o', 'jsonpath={.items[0].status.used.services}']))
        .stdout;
    const servicesBefore = await used();
    const before = await dryRuns();
    const svc = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'usage-probe', namespace: ns },
      spec: { ports: [{ port: 80 }], selector: { app: 'nothing' } },
    });
    expect((await c.kubectl(['apply', '-f', '-'], svc)).code).toBe(0);
    await waitFor(
      'the quota to count the Service',
      used,
      (n) => Number(n) === Number(servicesBefore) + 1,
      30_000,
    );
    await sleep(6_000); // three resyncs
    expect(await dryRuns(), 'dry-run applies of the quota').toBe(before);
    expect((await c.kubectl(['delete', 'service', 'usage-probe', '-n', ns])).code).toBe(0);
  });
});

describe('drift, seen the way the API server sees it', () => {
  it('a NetworkPolicy widened by kubectl patch is closed again', async () => {
    const ns = `store-${woo}`;
    const patch = await c.kubectl([
      'patch',
      'networkpolicy',
      'default-deny',
      '-n',
      ns,
      '--type',
      'merge',
      '-p',
      '{"spec":{"ingress":[{}]}}',
    ]);
    expect(patch.code).toBe(0);
    await waitFor(
      'the default-deny policy to be closed again',
      async () => {
        const np = await c.kubectl([
          'get',
          'networkpolicy',
          'default-deny',
          '-n',
          ns,
          '-o',
          'jsonpath={.spec}',
        ]);
        return JSON.parse(np.stdout) as Record<string, unknown>;
      },
      (spec) => !('ingress' in spec),
    );
    // The Event is written when the pass ends, a moment after the repair.
    await waitFor(
      'the DriftRepaired Event',
      async () => (await storeEvents(c, woo)).map((e) => `${e.reason}: ${e.message}`),
      (events) =>
        events.some((e) =>
          /^DriftRepaired: guardrails restored: NetworkPolicy default-deny was changed by kubectl-patch/.test(
            e,
          ),
        ),
    );
    // A guardrail repair is ours to do: no new Helm revision.
    expect(await helmHistory(c, woo)).toHaveLength(1);
  });

  it('an edited Deployment (a field changed, a variable added) is restored by one repairing revision', async () => {
    const ns = `store-${med}`;
    const deploy = `${med}-server`;
    const image = (
      await c.kubectl([
        'get',
        'deploy',
        deploy,
        '-n',
        ns,
        '-o',
        'jsonpath={.spec.template.spec.containers[0].image}',
      ])
    ).stdout;
    // One write with both edits (a strategic merge by container and variable name): two
    // separate writes could each be repaired on their own, which is right but not this case.
    const edit = {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'server', image: 'example.org/evil:1', env: [{ name: 'INJECTED', value: '1' }] },
            ],
          },
        },
      },
    };
    const patched = await c.kubectl([
      'patch',
      'deployment',
      deploy,
      '-n',
      ns,
      '--type',
      'strategic',
      '--patch',
      JSON.stringify(edit),
    ]);
    expect(patched.code, patched.stderr).toBe(0);
    await waitFor(
      'the Deployment to be restored',
      async () => {
        const d = await c.kubectl(['get', 'deploy', deploy, '-n', ns, '-o', 'json']);
        return JSON.parse(d.stdout) as {
          spec: { template: { spec: { containers: { image: string; env?: { name: string }[] }[] } } };
        };
      },
      (d) => {
        const ctr = d.spec.template.spec.containers[0];
        return ctr?.image === image && !(ctr.env ?? []).some((e) => e.name === 'INJECTED');
      },
    );
    const s = await waitForStore(
      c,
      med,
      (x) => isReady(x) && condition(x, 'Drifted')?.status === 'False',
      60_000,
      'Ready after the repair',
    );
    expect(condition(s, 'Drifted')).toMatchObject({ status: 'False', reason: 'NoDriftDetected' });
    const history = await helmHistory(c, med);
    expect(history.map((h) => h.status)).toEqual(['superseded', 'deployed']);
    expect(history.at(-1)?.description).toMatch(/repairing drift: Deployment steady-med-server was changed/);
    const reasons = (await storeEvents(c, med)).map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['DriftDetected', 'Upgraded']));
  });

  it('after a repair the store is quiet again', async () => {
    const revisions = [(await helmHistory(c, woo)).length, (await helmHistory(c, med)).length];
    await sleep(8_000);
    expect([(await helmHistory(c, woo)).length, (await helmHistory(c, med)).length]).toEqual(revisions);
  });
});

// Fault 1: a Ready store was marked Failed, then Stalled, when a pod restarted, because the
// provisioning deadline was never reset at Ready.
describe('a Ready store older than its deadline loses a pod', () => {
  it('is Degraded while the pod cannot come back, never Failed or Stalled, then Ready again', async () => {
    const created = new Date((await c.getStore(woo)).metadata.creationTimestamp ?? 0).getTime();
    const wait = created + (deadlineSeconds + 2) * 1000 - Date.now();
    if (wait > 0) await sleep(wait);
    const nodes = (await c.core.listNode()).items.map((n) => n.metadata?.name ?? '');
    for (const n of nodes) await c.kubectl(['cordon', n]);
    const del = await c.kubectl([
      'delete',
      'pod',
      '-n',
      `store-${woo}`,
      '-l',
      'storeplane.dev/role=web',
      '--wait=false',
    ]);
    expect(del.code).toBe(0);
    const seen = new Set<string>();
    // Watch until past the deadline again and until the cause is known (the scheduler's verdict
    // counts after 15 s), all the while never Failed, never Stalled.
    const until = Date.now() + (deadlineSeconds + 60) * 1000;
    const pastDeadline = Date.now() + (deadlineSeconds + 2) * 1000;
    let last: Store | undefined;
    while (Date.now() < until) {
      last = await c.getStore(woo);
      seen.add(last.status?.phase ?? '?');
      expect(isStalled(last), JSON.stringify(last.status)).toBe(false);
      if (Date.now() > pastDeadline && last.status?.lastFailure?.reason === 'Unschedulable') break;
      await sleep(300);
    }
    expect([...seen].filter((p) => p !== 'Ready' && p !== 'Degraded')).toEqual([]);
    expect(seen.has('Degraded')).toBe(true);
    expect(last?.status?.phase).toBe('Degraded');
    expect(last?.status?.lastFailure?.reason).toBe('Unschedulable');
    expect(last?.status?.failures).toBeUndefined();
    for (const n of nodes) await c.kubectl(['uncordon', n]);
    await waitForStore(c, woo, isReady, 60_000, 'Ready after the pod came back');
    const reasons = (await storeEvents(c, woo)).map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['Degraded', 'Unschedulable', 'Recovered']));
    expect(reasons).not.toContain('ProvisioningTimeout');
  });
});

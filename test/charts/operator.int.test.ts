import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OperatorProcess, type PrivateCluster, privateCluster, storeYaml } from '../operator/harness.ts';
import { charts } from './charts.ts';

/**
 * The operator with no --chart flags finds charts/<engine>-store (src/operator/charts.ts) and
 * provisions a store of each engine with it, guardrails and all, to Ready.
 */
let c: PrivateCluster;
let operator: OperatorProcess;

beforeAll(async () => {
  c = await privateCluster();
  operator = new OperatorProcess(c, ['--resync-seconds', '3']);
  await operator.start();
});
afterAll(async () => {
  await operator?.stop();
  await c?.stop();
});

describe.each(charts)('the operator provisions a $engine store with charts/$name', (chart) => {
  const name = `chart-${chart.engine.slice(0, 3)}`;
  const namespace = `store-${name}`;

  it('reaches Ready: namespace, guardrails, credentials, release of the engine chart, setup', async () => {
    const apply = await c.kubectl(['apply', '-f', '-'], storeYaml(name, { engine: chart.engine }));
    expect(apply.stderr).toBe('');
    const wait = await c.kubectl(['wait', '--for=condition=Ready', `store/${name}`, '--timeout=150s']);
    expect(wait.stderr).toBe('');
    expect(wait.stdout).toContain('condition met');

    const store = await c.getStore(name);
    const conditions = Object.fromEntries((store.status?.conditions ?? []).map((x) => [x.type, x.status]));
    expect(conditions).toMatchObject({
      Ready: 'True',
      GuardrailsReady: 'True',
      CredentialsReady: 'True',
      Released: 'True',
      WorkloadsReady: 'True',
      SetupComplete: 'True',
    });
    const list = await c.helm(['list', '-n', namespace, '-o', 'json']);
    const releases = JSON.parse(list.stdout) as { name: string; chart: string; status: string }[];
    expect(releases).toEqual([
      expect.objectContaining({ name, chart: `${chart.name}-0.1.0`, status: 'deployed' }),
    ]);
    expect(await operator.logs()).not.toContain('using the stand-in chart');

    // The long-running pods carry the role labels the operator's guardrails select on.
    const pods = (await c.core.listNamespacedPod({ namespace })).items.filter(
      (p) => !p.metadata?.ownerReferences?.some((o) => o.kind === 'Job'), // hook and cron runs come and go
    );
    const roles = new Set(pods.map((p) => p.metadata?.labels?.['storeplane.dev/role']));
    expect(roles).toEqual(new Set(['web', 'database']));
  });

  it('deleting the Store removes its namespace with the release and volumes', async () => {
    const del = await c.kubectl(['delete', 'store', name, '--wait=true', '--timeout=150s']);
    expect(del.stderr).toBe('');
    const gone = await c.kubectl(['wait', '--for=delete', `namespace/${namespace}`, '--timeout=150s']);
    expect(gone.code).toBe(0);
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { upgradeArgs } from '../../src/helm/args.ts';
import { testCluster } from '../cluster/testing.ts';
import {
  charts,
  parseManifests,
  parseQuantity,
  plans,
  podsOf,
  podTotals,
  type PodSpec,
  resourceKeys,
} from './charts.ts';
import { failedCreates, prepareStore } from './releases.ts';

/**
 * An upgrade or a node drain rolls a store's workloads. For every engine chart and every plan,
 * in a namespace with exactly the operator's guardrails for that plan and the values the
 * operator sends: install the way the operator does, restart every Deployment and StatefulSet
 * of the release, then run the setup/seed hook again with everything up (a helm upgrade). The
 * API server must never refuse a pod (no FailedCreate event: quota exceeded or anything else).
 *
 * Two moments need more room than the simulated cluster shows reliably, so the test checks it
 * from the API server's own figures (the quota's usage with everything up):
 * - an upgrade that changes the pod templates runs the hook while the workloads roll (the
 *   operator's helm upgrade does not --wait), and while a pod is replaced the quota can count it
 *   twice for a moment (the old pod until the quota controller releases it, the new one from its
 *   admission; seen here refusing the Medusa seed pod with the database pod counted twice):
 *   room for the hook pod plus the largest workload pod once more;
 * - a node drain evicts every pod at once, and each ReplicaSet creates the replacement while the
 *   evicted pod terminates and still counts (whatever the strategy; a StatefulSet waits): room
 *   for every Deployment's pod once more. Simulated nodes delete pods at once, so this one can
 *   only be computed here.
 * The combinations run side by side, each in its own namespace.
 */
const c = testCluster();
const dir = mkdtempSync(join(tmpdir(), 'storeplane-rollout-'));
const namespaces: string[] = [];
afterAll(async () => {
  for (const ns of namespaces) await c.core.deleteNamespace({ name: ns }).catch(() => {});
});

const combinations = charts.flatMap((chart) => plans.map((plan) => ({ chart, plan, name: chart.name })));

/** Long-running pods of the release (not Job runs): uid -> component. */
async function workloadPods(namespace: string, release: string): Promise<Map<string, string>> {
  const pods = await c.core.listNamespacedPod({
    namespace,
    labelSelector: `app.kubernetes.io/instance=${release}`,
  });
  return new Map(
    pods.items
      .filter((p) => !p.metadata?.ownerReferences?.some((o) => o.kind === 'Job'))
      .map((p) => [p.metadata?.uid ?? '', p.metadata?.labels?.['app.kubernetes.io/component'] ?? '']),
  );
}

const show = (key: string, v: number) =>
  key.endsWith('cpu') ? `${Math.round(v * 1000)}m` : `${Math.round(v / 2 ** 20)}Mi`;

describe.concurrent('every Deployment and StatefulSet rolls within the plan quota', () => {
  it.for(combinations)('$name on the $plan plan', async ({ chart, plan }, { expect }) => {
    const store = await prepareStore(c, chart, { dir, plan, prefix: `ro-${chart.engine.slice(0, 3)}` });
    const { release, namespace } = store;
    namespaces.push(namespace);
    const mine = `app.kubernetes.io/instance=${release}`;
    const upgrade = () =>
      c.helm(
        ...upgradeArgs({
          release,
          namespace,
          chart: chart.dir,
          helmMajor: 4,
          timeoutSeconds: 150,
          configDigest: 'sha256:0',
          description: 'test',
        }),
        '-f',
        store.valuesFile,
      );
    const rolloutStatus = async (workloads: string[]) => {
      for (const w of workloads) {
        const r = await c.kubectl('rollout', 'status', w, '-n', namespace, '--timeout=120s');
        expect(r.stderr, `${w} rollout`).toBe('');
        expect(r.code, `${w} rollout`).toBe(0);
      }
    };

    // The operator's own install: helm upgrade --install without --wait (the hook runs at once).
    const install = await upgrade();
    expect(install.stderr).toBe('');
    expect(install.code).toBe(0);
    const list = await c.kubectl('get', 'deployment,statefulset', '-n', namespace, '-l', mine, '-o', 'name');
    const workloads = list.stdout.trim().split('\n').sort();
    expect(workloads).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^statefulset\.apps\//),
        expect.stringMatching(/^deployment\.apps\//),
      ]),
    );
    await rolloutStatus(workloads);
    const installed = await workloadPods(namespace, release);
    expect(installed.size).toBe(workloads.length);

    // The room an upgrade and a drain need, from the API server's figures.
    const quota = await c.core.readNamespacedResourceQuota({ name: 'store-quota', namespace });
    expect(Number(quota.status?.used?.pods)).toBe(installed.size);
    const hooks = await c.helm('get', 'hooks', release, '-n', namespace);
    const hook = podsOf(parseManifests(hooks.stdout)).find((p) => p.hook?.includes('post-upgrade'));
    expect(hook?.source).toBe(`Job/${release}-${chart.hookJob}`);
    const deployments = (await c.apps.listNamespacedDeployment({ namespace, labelSelector: mine })).items;
    const statefulSets = (await c.apps.listNamespacedStatefulSet({ namespace, labelSelector: mine })).items;
    // One pod more at most: no Deployment surges, StatefulSets replace one pod at a time.
    for (const d of deployments) expect(d.spec?.strategy?.type, d.metadata?.name).toBe('Recreate');
    for (const s of statefulSets) {
      expect(s.spec?.podManagementPolicy, s.metadata?.name).toBe('OrderedReady');
      expect(s.spec?.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1, s.metadata?.name).toBe(1);
    }
    const templates = [...deployments, ...statefulSets].map(
      (w) => w.spec?.template.spec as unknown as PodSpec,
    );
    const deploymentPods = deployments.map((d) => d.spec?.template.spec as unknown as PodSpec);
    for (const [kind, resource] of resourceKeys) {
      const key = `${kind}.${resource}` as const;
      const used = parseQuantity(quota.status?.used?.[key] ?? NaN);
      const hard = parseQuantity(quota.status?.hard?.[key] ?? NaN);
      const room = (what: string, extra: [string, number][]) => {
        const need = extra.reduce((sum, [, v]) => sum + v, used);
        const terms = extra.map(([name, v]) => `${show(key, v)} ${name}`).join(' + ');
        expect
          .soft(
            need,
            `${what}, ${key}: ${show(key, used)} in use + ${terms} = ${show(key, need)}, quota ${show(key, hard)}`,
          )
          .toBeLessThanOrEqual(hard + 1e-9);
      };
      // An upgrade: the hook pod, and one workload pod counted twice while it is replaced.
      room('upgrade', [
        ['hook', podTotals(hook?.spec as PodSpec)[key]],
        ['largest pod', Math.max(...templates.map((t) => podTotals(t)[key]))],
      ]);
      // A node drain: every ReplicaSet replaces its evicted pod at once, while the old one
      // terminates and still counts; a StatefulSet waits until its pod is gone.
      room(
        'drain',
        deploymentPods.map((t, i) => [`${deployments[i]?.metadata?.name ?? ''} again`, podTotals(t)[key]]),
      );
    }

    // kubectl rollout restart of every workload, one after another (at once, races would decide).
    for (const w of workloads) {
      const restart = await c.kubectl('rollout', 'restart', w, '-n', namespace);
      expect(restart.code, restart.stderr).toBe(0);
      await rolloutStatus([w]);
    }
    const restarted = await workloadPods(namespace, release);
    // Every pod was replaced: the same components, none of the old pods.
    expect([...restarted.values()].sort()).toEqual([...installed.values()].sort());
    for (const uid of restarted.keys()) expect(installed.has(uid)).toBe(false);
    expect(await failedCreates(c, namespace), 'after the restarts').toEqual([]);

    // The hook with everything up: a helm upgrade runs it again, and waits for it.
    const again = await upgrade();
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    const status = JSON.parse((await c.helm('status', release, '-n', namespace, '-o', 'json')).stdout) as {
      version: number;
      hooks?: { kind: string; name: string; last_run?: { phase?: string } }[];
    };
    expect(status.version).toBe(2);
    expect(status.hooks?.find((h) => h.kind === 'Job')).toMatchObject({
      name: `${release}-${chart.hookJob}`,
      last_run: { phase: 'Succeeded' },
    });
    expect(await failedCreates(c, namespace), 'after the hook').toEqual([]);
  });
});

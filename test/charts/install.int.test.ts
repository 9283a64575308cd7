import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NetworkingV1Api } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { upgradeArgs } from '../../src/helm/args.ts';
import { engineDrivers, releaseValues } from '../../src/store/engines.ts';
import type { Store } from '../../src/store/schema.ts';
import { eventually, testCluster, uniqueName } from '../cluster/testing.ts';
import { charts, parseQuantity, storeNamespace } from './charts.ts';
import { failedCreates } from './releases.ts';

const c = testCluster();
const networking = c.kc.makeApiClient(NetworkingV1Api);
const tempDir = mkdtempSync(join(tmpdir(), 'storeplane-chart-install-'));
const namespaces: string[] = [];
afterAll(async () => {
  for (const ns of namespaces) await c.core.deleteNamespace({ name: ns }).catch(() => {});
});

interface HelmStatus {
  info: { status: string };
  version: number;
  hooks?: {
    name: string;
    kind: string;
    events: string[];
    last_run?: { phase?: string; started_at?: string };
  }[];
}

/** Values the chart gets on top of what the operator passes: Medusa also runs its optional Redis. */
const extraValues: Record<string, { values: object; workloads: string[] }> = {
  woocommerce: { values: {}, workloads: [] },
  medusa: { values: { redis: { enabled: true } }, workloads: ['redis'] },
};

async function helmStatus(release: string, namespace: string): Promise<HelmStatus> {
  const r = await c.helm('status', release, '-n', namespace, '-o', 'json');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as HelmStatus;
}

describe.each(charts)('$name on a store namespace with the operator guardrails', (chart) => {
  const release = uniqueName(chart.engine.slice(0, 3));
  let namespace = '';
  let values = '';
  let firstSetupRun = '';

  it('helm install --wait: pods Ready, hook Job complete, volumes bound, quota respected', async () => {
    // Pod Security restricted for both engines (the operator enforces baseline for WooCommerce
    // today): every pod the charts create must pass it.
    namespace = await storeNamespace(c.kc, chart, release, { plan: 'small', enforce: 'restricted' });
    namespaces.push(namespace);
    // The operator's credentials Secret, made by the operator's own generators.
    const credentials = Object.fromEntries(
      Object.entries(engineDrivers[chart.engine].credentials).map(([k, make]) => [k, make()]),
    );
    await c.core.createNamespacedSecret({
      namespace,
      body: { metadata: { name: 'store-credentials' }, type: 'Opaque', stringData: credentials },
    });
    // The values the operator passes (src/store/engines.ts releaseValues), as a 0600 file.
    const store = {
      apiVersion: 'storeplane.dev/v1alpha1',
      kind: 'Store',
      metadata: { name: release },
      spec: {
        engine: chart.engine,
        displayName: `Alice's "Store" ${release}`,
        owner: 'alice@example.com',
        plan: 'small',
      },
    } as Store;
    const operatorValues = releaseValues(store, {
      baseDomain: '127.0.0.1.nip.io',
      tls: false,
      ingressClassName: 'nginx',
    });
    values = join(tempDir, `${release}.json`);
    writeFileSync(values, JSON.stringify({ ...operatorValues, ...extraValues[chart.engine]?.values }), {
      mode: 0o600,
    });

    const install = await c.helm(
      'install',
      release,
      chart.dir,
      '-n',
      namespace,
      '-f',
      values,
      '--wait',
      '--timeout',
      // Under the test's own 180 s budget, so a stuck install fails with helm's message.
      '150s',
    );
    expect(install.stderr).toBe('');
    expect(install.code).toBe(0);
    // NOTES.txt tells the person where the store is and how to check it.
    expect(install.stdout).toContain(`Storefront:  http://${release}.127.0.0.1.nip.io/`);
    expect(install.stdout).toContain(`helm test ${release} -n ${namespace} --logs`);

    const status = await helmStatus(release, namespace);
    expect(status.info.status).toBe('deployed');
    firstSetupRun = status.hooks?.find((h) => h.kind === 'Job')?.last_run?.started_at ?? '';
    expect(firstSetupRun).not.toBe('');
    const hooks = (status.hooks ?? []).map((h) => [h.kind, h.name, h.last_run?.phase || 'not run']);
    // The test pod hook exists but only runs on `helm test`.
    expect(hooks).toEqual(
      expect.arrayContaining([
        ['Job', `${release}-${chart.hookJob}`, 'Succeeded'],
        ['Pod', `${release}-order-check`, 'not run'],
      ]),
    );

    const pods = (await c.core.listNamespacedPod({ namespace })).items.filter(
      (p) => p.metadata?.labels?.['app.kubernetes.io/instance'] === release,
    );
    const running = pods.filter((p) => !p.metadata?.ownerReferences?.some((o) => o.kind === 'Job'));
    expect(running.map((p) => p.metadata?.labels?.['app.kubernetes.io/component']).sort()).toEqual(
      [...Object.keys(chart.workloads), ...(extraValues[chart.engine]?.workloads ?? [])].sort(),
    );
    for (const p of running) {
      const ready = p.status?.conditions?.find((cnd) => cnd.type === 'Ready')?.status;
      expect(ready, p.metadata?.name).toBe('True');
    }
    const pvcs = (await c.core.listNamespacedPersistentVolumeClaim({ namespace })).items;
    expect(pvcs.length).toBe(chart.volumes);
    for (const pvc of pvcs) expect(pvc.status?.phase, pvc.metadata?.name).toBe('Bound');

    const quota = await eventually('quota usage of the release', async () => {
      const q = await c.core.readNamespacedResourceQuota({ name: 'store-quota', namespace });
      return Number(q.status?.used?.pods ?? 0) >= running.length ? q : undefined;
    });
    for (const [k, used] of Object.entries(quota.status?.used ?? {})) {
      expect(parseQuantity(used), k).toBeLessThanOrEqual(parseQuantity(quota.status?.hard?.[k] ?? '0'));
    }
  });

  it('Pod Security restricted admits every pod: workloads, hook Job, a cron run, the helm test pod', async () => {
    const ns = await c.core.readNamespace({ name: namespace });
    expect(ns.metadata?.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    // The workloads and the hook Job ran in the install above. A CronJob run, now rather than on
    // its schedule: a Job from the CronJob's template (owned by it, so uninstall removes it).
    const cronJobs = (
      await c.batch.listNamespacedCronJob({
        namespace,
        labelSelector: `app.kubernetes.io/instance=${release}`,
      })
    ).items.map((cj) => cj.metadata?.name ?? '');
    expect(cronJobs).toEqual(chart.engine === 'woocommerce' ? [`${release}-cron`] : []);
    for (const cronJob of cronJobs) {
      const job = `${cronJob}-now`;
      const create = await c.kubectl('create', 'job', job, `--from=cronjob/${cronJob}`, '-n', namespace);
      expect(create.code, create.stderr).toBe(0);
      const done = await c.kubectl(
        'wait',
        '--for=condition=complete',
        `job/${job}`,
        '-n',
        namespace,
        '--timeout=60s',
      );
      expect(done.code, `${done.stderr} ${(await failedCreates(c, namespace)).join('; ')}`).toBe(0);
    }
    // helm test creates the order-check pod. The simulated nodes run no container, so it never
    // finishes and helm gives up after the timeout; what counts here is that the pod was admitted.
    const test = await c.helm('test', release, '-n', namespace, '--timeout', '10s');
    expect(test.stderr).not.toMatch(/forbidden|PodSecurity/);
    expect(test.stderr).toContain('context deadline exceeded');
    const check = await c.core.readNamespacedPod({ name: `${release}-order-check`, namespace });
    expect(check.status?.phase).toBe('Running');
    expect(await failedCreates(c, namespace)).toEqual([]);
    await c.core.deleteNamespacedPod({ name: `${release}-order-check`, namespace });
  });

  it("the operator's own helm upgrade --install (server-side apply, no --wait) re-runs the hook Job", async () => {
    const args = upgradeArgs({
      release,
      namespace,
      chart: chart.dir,
      helmMajor: 4,
      timeoutSeconds: 150,
      configDigest: 'sha256:0123456789abcdef0123456789abcdef',
      description: 'Storeplane upgrade: test',
    });
    const upgrade = await c.helm(...args, '-f', values);
    expect(upgrade.stderr).toBe('');
    expect(upgrade.code).toBe(0);
    const status = await helmStatus(release, namespace);
    expect(status.version).toBe(2);
    expect(status.info.status).toBe('deployed');
    const job = status.hooks?.find((h) => h.kind === 'Job');
    expect(job?.events).toEqual(['post-install', 'post-upgrade']);
    expect(job?.last_run?.phase).toBe('Succeeded');
    expect(job?.last_run?.started_at).not.toBe(firstSetupRun);
  });

  it('helm uninstall leaves nothing of the release behind but its data volumes', async () => {
    const volumes = (await c.core.listNamespacedPersistentVolumeClaim({ namespace })).items;
    expect(volumes).toHaveLength(chart.volumes);
    const uninstall = await c.helm('uninstall', release, '-n', namespace, '--wait', '--timeout', '90s');
    expect(uninstall.code).toBe(0);
    const mine = { labelSelector: `app.kubernetes.io/instance=${release}` };
    await eventually(
      'every object of the release to be gone',
      async () => {
        const left = [
          ...(await c.apps.listNamespacedDeployment({ namespace, ...mine })).items,
          ...(await c.apps.listNamespacedStatefulSet({ namespace, ...mine })).items,
          ...(await c.batch.listNamespacedJob({ namespace, ...mine })).items,
          ...(await c.batch.listNamespacedCronJob({ namespace, ...mine })).items,
          ...(await c.core.listNamespacedPod({ namespace })).items,
          ...(await c.core.listNamespacedService({ namespace })).items,
          ...(await c.core.listNamespacedConfigMap({ namespace, ...mine })).items,
          ...(await networking.listNamespacedIngress({ namespace })).items,
          ...(await networking.listNamespacedNetworkPolicy({ namespace, ...mine })).items,
          ...(await c.core.listNamespacedSecret({ namespace, labelSelector: 'owner=helm' })).items,
        ];
        return left.length === 0 ? true : undefined;
      },
      60_000,
    );
    // The volumes stay until the namespace goes (store deletion): an accidental uninstall must
    // not delete a store's data (chart README, "Volumes"); volumes.int.test.ts reinstalls onto them.
    const kept = (await c.core.listNamespacedPersistentVolumeClaim({ namespace })).items;
    expect(kept.map((p) => p.metadata?.uid).sort()).toEqual(volumes.map((p) => p.metadata?.uid).sort());
    // The guardrails and the operator's Secret stay: they belong to the operator.
    const policies = (await networking.listNamespacedNetworkPolicy({ namespace })).items;
    expect(policies.map((p) => p.metadata?.name).sort()).toEqual([
      'allow-dns',
      'allow-ingress-to-acme-solver',
      'allow-ingress-to-web',
      'allow-web-egress-to-database',
      'allow-web-to-database',
      'default-deny',
    ]);
    await c.core.readNamespacedSecret({ name: 'store-credentials', namespace });
    const list = await c.helm('list', '-n', namespace, '-o', 'json');
    expect(JSON.parse(list.stdout)).toEqual([]);
  });
});

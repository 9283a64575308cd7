import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/devcluster/ports.ts';
import {
  OperatorProcess,
  type PrivateCluster,
  isReady,
  privateCluster,
  standInChart,
  storeYaml,
  waitForStore,
} from './harness.ts';

let c: PrivateCluster;
let operator: OperatorProcess;
let metricsPort = 0;

beforeAll(async () => {
  c = await privateCluster();
  metricsPort = await freePort();
  operator = new OperatorProcess(c, [
    '--metrics-port',
    String(metricsPort),
    '--chart',
    `woocommerce=${standInChart}`,
    '--chart',
    `medusa=${standInChart}`,
    '--resync-seconds',
    '3',
  ]);
  await operator.start();
});
afterAll(async () => {
  await operator?.stop();
  await c?.stop();
});

const revisions = async (name: string) => {
  const r = await c.helm(['history', name, '-n', `store-${name}`, '-o', 'json']);
  return JSON.parse(r.stdout || '[]') as { revision: number; status: string }[];
};

describe('a Store applied with kubectl', () => {
  it('reaches Ready with its namespace, guardrails, credentials and release', async () => {
    const apply = await c.kubectl(['apply', '-f', '-'], storeYaml('shop-one'));
    expect(apply.stderr).toBe('');
    expect(apply.stdout).toContain('store.storeplane.dev/shop-one created');
    const wait = await c.kubectl(['wait', '--for=condition=Ready', 'store/shop-one', '--timeout=120s']);
    expect(wait.stdout).toContain('condition met');

    const store = await c.getStore('shop-one');
    expect(store.status?.phase).toBe('Ready');
    expect(store.status?.url).toBe('http://shop-one.127.0.0.1.nip.io/');
    expect(store.status?.adminUrl).toBe('http://shop-one.127.0.0.1.nip.io/wp-admin/');
    expect(store.metadata.finalizers).toContain('storeplane.dev/finalizer');
    const types = Object.fromEntries((store.status?.conditions ?? []).map((x) => [x.type, x.status]));
    expect(types).toMatchObject({
      Ready: 'True',
      NamespaceReady: 'True',
      GuardrailsReady: 'True',
      CredentialsReady: 'True',
      Released: 'True',
      WorkloadsReady: 'True',
      SetupComplete: 'True',
    });
    expect(types.Reconciling).toBeUndefined();
    expect(store.status?.history?.[0]).toMatchObject({ revision: 1, status: 'deployed', action: 'install' });

    const ns = await c.core.readNamespace({ name: 'store-shop-one' });
    expect(ns.metadata?.labels).toMatchObject({
      'storeplane.dev/store': 'shop-one',
      'storeplane.dev/owner': 'alice_example.com',
      'storeplane.dev/engine': 'woocommerce',
      'app.kubernetes.io/managed-by': 'storeplane',
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
    const quota = await c.core.readNamespacedResourceQuota({
      name: 'store-quota',
      namespace: 'store-shop-one',
    });
    expect(quota.spec?.hard).toMatchObject({
      'requests.cpu': '1',
      'limits.memory': '6Gi',
      'services.loadbalancers': '0',
    });
    const lr = await c.core.readNamespacedLimitRange({ name: 'store-limits', namespace: 'store-shop-one' });
    expect(lr.spec?.limits[0]?.max).toEqual({ cpu: '1', memory: '2Gi' });
    const policies = await c.kubectl(['get', 'networkpolicies', '-n', 'store-shop-one', '-o', 'name']);
    expect(policies.stdout.trim().split('\n').sort()).toEqual([
      'networkpolicy.networking.k8s.io/allow-dns',
      'networkpolicy.networking.k8s.io/allow-ingress-to-acme-solver',
      'networkpolicy.networking.k8s.io/allow-ingress-to-web',
      'networkpolicy.networking.k8s.io/allow-web-egress-to-database',
      'networkpolicy.networking.k8s.io/allow-web-to-database',
      'networkpolicy.networking.k8s.io/default-deny',
    ]);
    const sa = await c.core.readNamespacedServiceAccount({
      name: 'store-workload',
      namespace: 'store-shop-one',
    });
    expect(sa.automountServiceAccountToken).toBe(false);
    const secret = await c.core.readNamespacedSecret({
      name: 'store-credentials',
      namespace: 'store-shop-one',
    });
    expect(Object.keys(secret.data ?? {})).toContain('admin-password');
    expect(Buffer.from(secret.data?.['db-password'] ?? '', 'base64').length).toBeGreaterThanOrEqual(24);
    expect(await revisions('shop-one')).toEqual([
      expect.objectContaining({ revision: 1, status: 'deployed' }),
    ]);

    // Events on the Store tell the story, and never carry a credential.
    const events = await c.kubectl([
      'get',
      'events',
      '-n',
      'default',
      '--field-selector',
      'involvedObject.name=shop-one',
      '-o',
      'json',
    ]);
    const reasons = (JSON.parse(events.stdout).items as { reason: string; message: string }[]).map(
      (e) => e.reason,
    );
    expect(reasons).toEqual(
      expect.arrayContaining(['Provisioning', 'CredentialsGenerated', 'Installed', 'Ready']),
    );
    const passwords = Object.values(secret.data ?? {}).map((v) => Buffer.from(v, 'base64').toString());
    for (const p of passwords.filter((p) => p.length > 12))
      expect(events.stdout + (await operator.logs())).not.toContain(p);
  });

  it('applied twice changes nothing; a plan change upgrades exactly once', async () => {
    const again = await c.kubectl(['apply', '-f', '-'], storeYaml('shop-one'));
    expect(again.stdout).toContain('unchanged');
    await new Promise((r) => setTimeout(r, 5000)); // more than one resync period
    expect((await revisions('shop-one')).length).toBe(1);

    await c.kubectl(['apply', '-f', '-'], storeYaml('shop-one', { plan: 'medium' }));
    const store = await waitForStore(
      c,
      'shop-one',
      (s) => isReady(s) && s.metadata.generation === 2,
      120_000,
      'Ready at generation 2',
    );
    expect(store.status?.history?.[0]).toMatchObject({ revision: 2, action: 'upgrade' });
    const quota = await c.core.readNamespacedResourceQuota({
      name: 'store-quota',
      namespace: 'store-shop-one',
    });
    expect(quota.spec?.hard?.['requests.cpu']).toBe('3');
    await new Promise((r) => setTimeout(r, 5000));
    expect((await revisions('shop-one')).map((r) => r.revision)).toEqual([1, 2]);
  });

  it('repairs a deleted Deployment, Secret and guardrail; leaves an untouched store alone', async () => {
    await c.kubectl(['apply', '-f', '-'], storeYaml('shop-calm', { engine: 'medusa' }));
    await waitForStore(c, 'shop-calm', isReady, 120_000, 'Ready');
    const calmBefore = (await revisions('shop-calm')).length;

    const original = await c.core.readNamespacedSecret({
      name: 'store-credentials',
      namespace: 'store-shop-one',
    });
    await c.kubectl(['delete', 'deployment', 'shop-one-web', '-n', 'store-shop-one']);
    await c.kubectl(['delete', 'secret', 'store-credentials', '-n', 'store-shop-one']);
    await c.kubectl(['delete', 'networkpolicy', 'default-deny', '-n', 'store-shop-one']);

    await waitForStore(
      c,
      'shop-one',
      (s) =>
        isReady(s) &&
        (s.status?.activity ?? []).some((a) => a.reason === 'DriftDetected') &&
        s.status?.conditions?.find((x) => x.type === 'Drifted')?.reason === 'NoDriftDetected',
      60_000,
      'drift repaired',
    );
    const d = await c.kubectl(['get', 'deployment', 'shop-one-web', '-n', 'store-shop-one', '-o', 'name']);
    expect(d.stdout.trim()).toBe('deployment.apps/shop-one-web');
    await c
      .kubectl(['get', 'networkpolicy', 'default-deny', '-n', 'store-shop-one'])
      .then((r) => expect(r.code).toBe(0));
    // The credentials come back with the same values the database was set up with, never new ones.
    const restored = await c.core.readNamespacedSecret({
      name: 'store-credentials',
      namespace: 'store-shop-one',
    });
    expect(restored.metadata?.uid).not.toBe(original.metadata?.uid);
    expect(restored.data).toEqual(original.data);
    const store = await c.getStore('shop-one');
    expect(store.status?.activity?.map((a) => a.reason)).toEqual(
      expect.arrayContaining(['DriftRepaired', 'DriftDetected']),
    );
    expect((await revisions('shop-calm')).length).toBe(calmBefore);
  });

  it('deletion removes the namespace, PVCs and release secrets; the name can be reused at once', async () => {
    const pvcs = await c.core.listNamespacedPersistentVolumeClaim({ namespace: 'store-shop-one' });
    expect(pvcs.items.length).toBe(1);
    const del = await c.kubectl(['delete', 'store', 'shop-one', '--timeout=120s']);
    expect(del.code).toBe(0);
    const ns = await c.core.readNamespace({ name: 'store-shop-one' }).catch((e: { code?: number }) => e.code);
    expect(ns).toBe(404);
    const releaseSecrets = await c.kubectl([
      'get',
      'secrets',
      '-A',
      '-l',
      'owner=helm,name=shop-one',
      '-o',
      'name',
    ]);
    expect(releaseSecrets.stdout.trim()).toBe('');
    const vault = await c.kubectl(['get', 'secret', 'store-shop-one-credentials', '-n', 'storeplane-system']);
    expect(vault.code).not.toBe(0);

    await c.kubectl(['apply', '-f', '-'], storeYaml('shop-one'));
    const again = await waitForStore(c, 'shop-one', isReady, 120_000, 'Ready after re-creation');
    expect(again.status?.history?.[0]?.revision).toBe(1);
  });

  it('exposes Prometheus metrics: stores by phase, provisioning time, queue depth, helm durations', async () => {
    const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toMatch(/^storeplane_stores\{phase="Ready",engine="woocommerce"\} [1-9]/m);
    expect(body).toMatch(/^storeplane_stores\{phase="Ready",engine="medusa"\} 1$/m);
    expect(body).toMatch(
      /^storeplane_store_provisioning_seconds_count\{engine="woocommerce",outcome="ready"\} [1-9]/m,
    );
    expect(body).toMatch(/^storeplane_workqueue_depth \d+$/m);
    expect(body).toMatch(/^storeplane_helm_action_seconds_count\{action="upgrade",outcome="ok"\} [1-9]/m);
    expect(body).toMatch(/^storeplane_helm_action_seconds_count\{action="uninstall",outcome="ok"\} 1$/m);
    expect(body).toContain('# TYPE storeplane_reconcile_errors_total counter');
    expect(body).toMatch(/^storeplane_leader 1$/m);
  });

  it('says whether it is ready, and as what, at /readyz; /healthz answers', async () => {
    const ready = await fetch(`http://127.0.0.1:${metricsPort}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, role: 'leader', pending: [] });
    expect((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).status).toBe(200);
  });
});

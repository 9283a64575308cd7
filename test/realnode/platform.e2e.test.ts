import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreDetail, StoreSummary } from '../../src/api/stores/view.ts';
import { ensureImages } from '../../src/devcluster/images/build.ts';
import { imageRefs } from '../../src/devcluster/images/refs.ts';
import { nodeName } from '../../src/devcluster/realnode/configs.ts';
import { readState } from '../../src/devcluster/state.ts';
import { Caller } from '../api/harness.ts';
import { waitFor } from '../operator/harness.ts';
import { onRealNode, realNode } from './helpers.ts';

/**
 * The platform as users install it, running for real: the platform image (built without a
 * registry, laid out as the Dockerfile lays it out) in pods on the real node, installed by the
 * platform chart. Its pods pass their real readiness probes, `helm test` passes in a pod, one
 * operator replica leads, and the operator inside its pod provisions a Medusa store, with the
 * real engine chart, that the API inside its pod shows Ready and then deletes.
 */
const { info, skip, cluster } = realNode();
const root = join(import.meta.dirname, '..', '..');
const chart = join(root, 'charts', 'storeplane');
const ns = 'storeplane-system';
const store = 'podshop';
const run = promisify(execFile);

describe.skipIf(skip)(`the platform chart on the real node (${skip ?? 'for real'})`, () => {
  const c = cluster!;
  let api: Caller;
  let apiUrl = '';

  beforeAll(async () => {
    const [image] = await ensureImages(['platform'], {
      nodeBinDir: info.binDir,
      log: (line) => process.stderr.write(`[real node] ${line}\n`),
    });
    await run('ctr', [
      '--address',
      join(info.nodeDir, 'containerd', 'containerd.sock'),
      '--namespace',
      'k8s.io',
      'images',
      'import',
      image!.archive,
    ]);
    // Earlier suites installed the CRD with the operator; Helm adopts it when told it is its own
    // (as a cluster that started with `kubectl apply -f deploy/crds` does: docs/upgrade-rollback.md).
    for (const args of [
      [
        'annotate',
        '--overwrite',
        'crd',
        'stores.storeplane.dev',
        `meta.helm.sh/release-name=storeplane`,
        `meta.helm.sh/release-namespace=${ns}`,
      ],
      ['label', '--overwrite', 'crd', 'stores.storeplane.dev', 'app.kubernetes.io/managed-by=Helm'],
    ])
      await c.kubectl(args);
    await c.kubectl(['create', 'namespace', ns]);
    // Pods reach the API server through the kubernetes Service, DNAT'ed to its real port, which
    // is what the egress policy sees.
    const apiServerPort = Number(new URL((await readState(info.dataDir))?.server ?? '').port);
    const values = {
      image: { repository: imageRefs.platform.split(':')[0], tag: 'dev', pullPolicy: 'Never' },
      baseDomain: 'localhost',
      operator: { replicas: 2, ...onRealNode },
      api: { replicas: 1, ...onRealNode },
      engines: { medusa: { valuesFile: 'values-devnode.yaml' } },
      database: { type: 'sqlite', sqlite: { size: '1Gi', storageClass: 'local-path' } },
      ingress: { enabled: true, className: 'storeplane-dev', host: 'storeplane.localhost' },
      networkPolicy: { enabled: true, apiServerPorts: [443, apiServerPort] },
    };
    const r = await c.helm(
      ['install', 'storeplane', chart, '-n', ns, '-f', '-', '--wait', '--timeout', '6m'],
      yaml.dump(values),
    );
    if (r.code !== 0) {
      const pods = await c.kubectl(['get', 'pods', '-n', ns, '-o', 'wide']);
      const events = await c.kubectl(['get', 'events', '-n', ns, '--sort-by=.lastTimestamp']);
      throw new Error(`helm install failed: ${r.stderr}\n${pods.stdout}\n${events.stdout.slice(-4000)}`);
    }
    const svc = await c.core.readNamespacedService({ name: 'storeplane-api', namespace: ns });
    // The Service's ClusterIP answers from this host too (kube-proxy on the real node).
    apiUrl = `http://${svc.spec?.clusterIP}:80`;
    const secret = await c.core.readNamespacedSecret({ name: 'storeplane-initial-admin', namespace: ns });
    api = new Caller(apiUrl);
    // Ready pods are not yet a routed Service: until kube-proxy has the endpoints, the ClusterIP
    // refuses connections (its REJECT rule for a Service without endpoints).
    await waitFor(
      'the API Service to answer on its ClusterIP',
      () =>
        fetch(`${apiUrl}/readyz`).then(
          (r) => r.status,
          (err: Error) => String((err.cause as Error | undefined)?.message ?? err),
        ),
      (status) => status === 200,
      60_000,
    );
    const login = await api.login('admin', Buffer.from(secret.data?.password ?? '', 'base64').toString());
    expect(login.status, login.text).toBe(200);
  }, 900_000);

  afterAll(async () => {
    if (!c) return;
    await c.helm(['uninstall', 'storeplane', '-n', ns, '--wait', '--timeout', '2m']);
    await c.kubectl(['delete', 'namespace', ns, '--wait=true', '--timeout=120s']);
  });

  it('runs its pods for real: ready by their probes, as uid 65532 on a read-only root', async () => {
    const pods = (await c.core.listNamespacedPod({ namespace: ns })).items.filter(
      (p) => p.metadata?.labels?.['app.kubernetes.io/part-of'] === 'storeplane',
    );
    expect(pods.map((p) => p.metadata?.labels?.['app.kubernetes.io/component']).sort()).toEqual([
      'api',
      'operator',
      'operator',
    ]);
    for (const p of pods) {
      expect(p.spec?.nodeName, p.metadata?.name).toBe(nodeName);
      expect(p.status?.containerStatuses?.[0]?.ready, p.metadata?.name).toBe(true);
      // A real runtime's container id, not KWOK's.
      expect(p.status?.containerStatuses?.[0]?.containerID).toMatch(/^containerd:\/\//);
    }
    const ready = await fetch(`${apiUrl}/readyz`);
    expect(await ready.json()).toEqual({ ready: true, checks: { database: true, stores: true } });
  });

  it('one operator replica leads (its Lease), the other stands by', async () => {
    const lease = await waitFor(
      'the operator Lease held',
      () =>
        c.kubectl(['get', 'lease', 'storeplane-operator', '-n', ns, '-o', 'jsonpath={.spec.holderIdentity}']),
      (r) => r.stdout.startsWith('storeplane-operator-'),
      60_000,
    );
    const names = (
      await c.core.listNamespacedPod({ namespace: ns, labelSelector: 'app.kubernetes.io/component=operator' })
    ).items.map((p) => p.metadata?.name);
    expect(names).toContain(lease.stdout);
  });

  it('helm test passes in a pod: the API is ready, serves the dashboard, refuses anonymous calls', async () => {
    const r = await c.helm(['test', 'storeplane', '-n', ns, '--timeout', '3m', '--logs']);
    expect(r.stdout).toContain('ok: the API is ready (database and Store cache)');
    expect(r.stdout).toContain('ok: the dashboard is served');
    expect(r.stdout).toContain('ok: an anonymous store list is refused');
    expect(r.code, r.stderr).toBe(0);
  });

  it(
    'the operator in its pod provisions a Medusa store that the API in its pod shows Ready, then deletes it',
    { timeout: 960_000 },
    async () => {
      const t0 = Date.now();
      const created = await api.request<StoreSummary>('POST', '/api/v1/stores', {
        name: store,
        displayName: 'Pod Shop',
        engine: 'medusa',
      });
      expect(created.status, created.text).toBe(201);
      const ready = await waitFor(
        `${store} Ready`,
        () => api.request<StoreDetail>('GET', `/api/v1/stores/${store}`),
        (g) => g.body.phase === 'Ready' || g.body.phase === 'Failed',
        900_000,
      );
      expect(ready.body.phase, ready.text.slice(0, 3000)).toBe('Ready');
      process.stderr.write(
        `[real node] in-cluster platform: store create-to-Ready ${((Date.now() - t0) / 1000).toFixed(1)}s\n`,
      );
      const pods = (await c.core.listNamespacedPod({ namespace: `store-${store}` })).items;
      expect(
        pods.some((p) =>
          p.status?.containerStatuses?.some((s) => s.containerID?.startsWith('containerd://')),
        ),
      ).toBe(true);

      const deleted = await api.request<StoreSummary>('DELETE', `/api/v1/stores/${store}`);
      expect(deleted.status).toBe(202);
      await waitFor(
        'the store gone',
        () => api.request('GET', `/api/v1/stores/${store}`),
        (g) => g.status === 404,
        300_000,
      );
      const gone = await c.kubectl(['get', 'namespace', `store-${store}`, '-o', 'name']);
      expect(gone.stderr).toContain('NotFound');
    },
  );
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { upgradeArgs } from '../../src/helm/args.ts';
import { eventually, testCluster } from '../cluster/testing.ts';
import { charts } from './charts.ts';
import { type PreparedStore, prepareStore } from './releases.ts';

/**
 * A store's data volumes outlive anything but the deletion of the store (which deletes its
 * namespace): deleting the database StatefulSet, the operator's repair (a helm upgrade that
 * recreates it) and an accidental helm uninstall all keep them, and the release binds the same
 * volumes again.
 */
const c = testCluster();
const dir = mkdtempSync(join(tmpdir(), 'storeplane-volumes-'));
const namespaces: string[] = [];
afterAll(async () => {
  for (const ns of namespaces) await c.core.deleteNamespace({ name: ns }).catch(() => {});
});

/**
 * A StatefulSet with the retention policy the charts used to have (whenDeleted: Delete). Deleted
 * together with the chart's, its volume going away shows the controller-manager has acted on the
 * deletion, so the chart's volume still being there afterwards means something.
 */
const control = `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: control-db}
spec:
  serviceName: control-db
  replicas: 1
  selector: {matchLabels: {app: control-db}}
  persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete, whenScaled: Delete}
  template:
    metadata: {labels: {app: control-db}}
    spec:
      serviceAccountName: store-workload
      automountServiceAccountToken: false
      securityContext: {runAsNonRoot: true, runAsUser: 1000, seccompProfile: {type: RuntimeDefault}}
      containers:
        - name: db
          image: registry.invalid/control:1
          resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {cpu: 10m, memory: 16Mi}}
          securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
          volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 100Mi}}}
`;

async function claims(
  namespace: string,
): Promise<Map<string, { uid: string; phase: string; deleting: boolean }>> {
  const list = await c.core.listNamespacedPersistentVolumeClaim({ namespace });
  return new Map(
    list.items.map((p) => [
      p.metadata?.name ?? '',
      {
        uid: p.metadata?.uid ?? '',
        phase: p.status?.phase ?? '',
        deleting: Boolean(p.metadata?.deletionTimestamp),
      },
    ]),
  );
}

const uids = (m: Map<string, { uid: string }>) => Object.fromEntries([...m].map(([k, v]) => [k, v.uid]));

describe.each(charts)('$name keeps its data volumes', (chart) => {
  let store: PreparedStore;
  let original: Record<string, string> = {};
  const dbClaim = () => `data-${store.release}-db-0`;
  // The operator's own helm call (install, upgrade and repair alike).
  const apply = () =>
    c.helm(
      ...upgradeArgs({
        release: store.release,
        namespace: store.namespace,
        chart: chart.dir,
        helmMajor: 4,
        timeoutSeconds: 150,
        configDigest: 'sha256:0',
        description: 'test',
      }),
      '-f',
      store.valuesFile,
    );
  const applied = async () => {
    const r = await apply();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const status = await c.kubectl(
      'rollout',
      'status',
      `statefulset/${store.release}-db`,
      '-n',
      store.namespace,
      '--timeout=120s',
    );
    expect(status.code).toBe(0);
  };
  /** The database pod mounts the claim named data-<release>-db-0: the volume, by its uid. */
  const dbPodClaim = async () => {
    const pod = await c.core.readNamespacedPod({ name: `${store.release}-db-0`, namespace: store.namespace });
    return pod.spec?.volumes?.find((v) => v.name === 'data')?.persistentVolumeClaim?.claimName;
  };

  it('deleting the database StatefulSet keeps its volume; the repair binds the same one', async () => {
    store = await prepareStore(c, chart, { dir, prefix: `vol-${chart.engine.slice(0, 3)}` });
    namespaces.push(store.namespace);
    await applied();
    const bound = await eventually('the volumes of the release to be Bound', async () => {
      const m = await claims(store.namespace);
      return m.size === chart.volumes && [...m.values()].every((p) => p.phase === 'Bound') ? m : undefined;
    });
    expect(bound.has(dbClaim())).toBe(true);
    original = uids(bound);

    const file = join(dir, `${store.release}-control.yaml`);
    writeFileSync(file, control);
    expect((await c.kubectl('apply', '-n', store.namespace, '-f', file)).code).toBe(0);
    await eventually('the control volume to be Bound', async () =>
      (await claims(store.namespace)).get('data-control-db-0')?.phase === 'Bound' ? true : undefined,
    );

    const del = await c.kubectl(
      'delete',
      'statefulset',
      `${store.release}-db`,
      'control-db',
      '-n',
      store.namespace,
    );
    expect(del.code).toBe(0);
    await eventually('the garbage collector to delete the control volume', async () =>
      (await claims(store.namespace)).has('data-control-db-0') ? undefined : true,
    );
    // And a little longer, in case the chart's claim is merely later in the queue.
    await new Promise((r) => setTimeout(r, 3000));
    const kept = await claims(store.namespace);
    expect(uids(kept)).toEqual(original);
    expect(kept.get(dbClaim())).toMatchObject({ phase: 'Bound', deleting: false });

    // What the operator does when it sees the StatefulSet gone: re-apply the release.
    await applied();
    expect(await dbPodClaim()).toBe(dbClaim());
    expect(uids(await claims(store.namespace))).toEqual(original);
  });

  it('an accidental helm uninstall keeps the volumes; installing the release again adopts them', async () => {
    const uninstall = await c.helm(
      'uninstall',
      store.release,
      '-n',
      store.namespace,
      '--wait',
      '--timeout',
      '90s',
    );
    expect(uninstall.code).toBe(0);
    const statefulSets = await c.apps.listNamespacedStatefulSet({ namespace: store.namespace });
    expect(statefulSets.items).toEqual([]);
    const kept = await claims(store.namespace);
    expect(uids(kept)).toEqual(original);
    for (const [name, p] of kept) expect(p, name).toMatchObject({ phase: 'Bound', deleting: false });

    await applied();
    expect(await dbPodClaim()).toBe(dbClaim());
    expect(uids(await claims(store.namespace))).toEqual(original);
    const list = JSON.parse((await c.helm('list', '-n', store.namespace, '-o', 'json')).stdout) as {
      status: string;
    }[];
    expect(list.map((r) => r.status)).toEqual(['deployed']);
  });

  it('deleting the store (helm uninstall, then the namespace) removes them', async () => {
    expect((await c.helm('uninstall', store.release, '-n', store.namespace, '--wait')).code).toBe(0);
    await c.core.deleteNamespace({ name: store.namespace });
    const gone = await c.kubectl('wait', '--for=delete', `namespace/${store.namespace}`, '--timeout=120s');
    expect(gone.code).toBe(0);
    // The StorageClass reclaims (deletes) the volumes once their claims are gone.
    await eventually('the persistent volumes of the store to be deleted', async () => {
      const volumes = await c.core.listPersistentVolume();
      return volumes.items.some((v) => v.spec?.claimRef?.namespace === store.namespace) ? undefined : true;
    });
  });
});

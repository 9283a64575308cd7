import type { V1Container } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, eventually, statusOf, testCluster, uniqueName } from './testing.ts';

const c = testCluster();
const pause: V1Container = {
  name: 'main',
  image: 'registry.k8s.io/pause:3.10',
  resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
};
const labels = (app: string) => ({ app });

describe('the simulated cluster runs workloads like Kubernetes', () => {
  let ns: string;
  beforeAll(async () => {
    ns = await createNamespace(c.kc, uniqueName('workloads'));
  });
  afterAll(async () => {
    await c.core.deleteNamespace({ name: ns }).catch(() => {});
  });

  it('a Deployment becomes Available with Ready pods scheduled on KWOK nodes', async () => {
    await c.apps.createNamespacedDeployment({
      namespace: ns,
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 3,
          selector: { matchLabels: labels('web') },
          template: { metadata: { labels: labels('web') }, spec: { containers: [pause] } },
        },
      },
    });
    const deployment = await eventually('Deployment web Available', async () => {
      const d = await c.apps.readNamespacedDeployment({ name: 'web', namespace: ns });
      const available = d.status?.conditions?.find((x) => x.type === 'Available');
      return available?.status === 'True' && d.status?.readyReplicas === 3 ? d : undefined;
    });
    expect(deployment.status?.availableReplicas).toBe(3);
    const pods = (await c.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=web' })).items;
    expect(pods).toHaveLength(3);
    for (const pod of pods) {
      expect(pod.spec?.nodeName).toMatch(/^kwok-node-\d+$/);
      expect(pod.status?.phase).toBe('Running');
      expect(pod.status?.podIP).toMatch(/^10\.244\./);
      expect(pod.status?.conditions?.find((x) => x.type === 'Ready')?.status).toBe('True');
    }
  });

  it('a Job runs to completion', async () => {
    await c.batch.createNamespacedJob({
      namespace: ns,
      body: {
        metadata: { name: 'once' },
        spec: {
          completions: 2,
          backoffLimit: 1,
          template: { spec: { restartPolicy: 'Never', containers: [pause] } },
        },
      },
    });
    const job = await eventually('Job once Complete', async () => {
      const j = await c.batch.readNamespacedJob({ name: 'once', namespace: ns });
      return j.status?.conditions?.some((x) => x.type === 'Complete' && x.status === 'True') ? j : undefined;
    });
    expect(job.status?.succeeded).toBe(2);
    expect(job.status?.failed ?? 0).toBe(0);
  });

  it('a StatefulSet with a volumeClaimTemplate becomes Ready with bound PVCs', async () => {
    await c.core.createNamespacedService({
      namespace: ns,
      body: {
        metadata: { name: 'db' },
        spec: { clusterIP: 'None', selector: labels('db'), ports: [{ port: 5432 }] },
      },
    });
    await c.apps.createNamespacedStatefulSet({
      namespace: ns,
      body: {
        metadata: { name: 'db' },
        spec: {
          serviceName: 'db',
          replicas: 2,
          selector: { matchLabels: labels('db') },
          template: {
            metadata: { labels: labels('db') },
            spec: { containers: [{ ...pause, volumeMounts: [{ name: 'data', mountPath: '/data' }] }] },
          },
          volumeClaimTemplates: [
            {
              metadata: { name: 'data' },
              spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } } },
            },
          ],
        },
      },
    });
    await eventually('StatefulSet db Ready', async () => {
      const s = await c.apps.readNamespacedStatefulSet({ name: 'db', namespace: ns });
      return s.status?.readyReplicas === 2 && s.status?.currentRevision === s.status?.updateRevision
        ? s
        : undefined;
    });
    const claims = (await c.core.listNamespacedPersistentVolumeClaim({ namespace: ns })).items;
    expect(claims.map((p) => p.metadata?.name).sort()).toEqual(['data-db-0', 'data-db-1']);
    for (const claim of claims) {
      expect(claim.status?.phase).toBe('Bound');
      // The default StorageClass was filled in by admission, and a real PV backs the claim.
      expect(claim.spec?.storageClassName).toBeTruthy();
      const pv = await c.core.readPersistentVolume({ name: claim.spec?.volumeName ?? '' });
      expect(pv.spec?.claimRef?.name).toBe(claim.metadata?.name);
      expect(pv.status?.phase).toBe('Bound');
    }
  });

  it('deleting a namespace finishes and removes everything in it', async () => {
    const victim = await createNamespace(c.kc, uniqueName('doomed'));
    await c.apps.createNamespacedDeployment({
      namespace: victim,
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 2,
          selector: { matchLabels: labels('web') },
          template: { metadata: { labels: labels('web') }, spec: { containers: [pause] } },
        },
      },
    });
    await c.core.createNamespacedPersistentVolumeClaim({
      namespace: victim,
      body: {
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      },
    });
    await c.core.createNamespacedSecret({
      namespace: victim,
      body: { metadata: { name: 's' }, stringData: { a: 'b' } },
    });
    const pvName = await eventually('PVC data Bound', async () => {
      const p = await c.core.readNamespacedPersistentVolumeClaim({ name: 'data', namespace: victim });
      return p.status?.phase === 'Bound' ? p.spec?.volumeName : undefined;
    });
    await eventually('2 Running pods', async () => {
      const pods = (await c.core.listNamespacedPod({ namespace: victim })).items;
      return pods.filter((p) => p.status?.phase === 'Running').length === 2 ? true : undefined;
    });

    await c.core.deleteNamespace({ name: victim });
    await eventually(
      `namespace ${victim} gone`,
      async () => {
        try {
          await c.core.readNamespace({ name: victim });
          return undefined;
        } catch (err) {
          return statusOf(err) === 404 ? true : undefined;
        }
      },
      120_000,
    );
    expect((await c.core.listNamespacedPod({ namespace: victim })).items).toHaveLength(0);
    expect((await c.core.listNamespacedPersistentVolumeClaim({ namespace: victim })).items).toHaveLength(0);
    expect((await c.core.listNamespacedSecret({ namespace: victim })).items).toHaveLength(0);
    // Reclaim policy Delete: the volume goes with its claim.
    await eventually(`PV ${pvName} deleted`, async () => {
      try {
        await c.core.readPersistentVolume({ name: pvName ?? '' });
        return undefined;
      } catch (err) {
        return statusOf(err) === 404 ? true : undefined;
      }
    });
  });
});

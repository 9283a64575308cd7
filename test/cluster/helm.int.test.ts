import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, statusOf, testCluster, uniqueName } from './testing.ts';

const c = testCluster();
const chart = join(import.meta.dirname, 'fixtures', 'smoke-chart');

describe('helm against the simulated cluster', () => {
  const ns = uniqueName('helm');
  const release = 'smoke';
  afterAll(async () => {
    await c.core.deleteNamespace({ name: ns }).catch(() => {});
  });

  it('helm install --wait brings up a Deployment, Service, PVC and hook Job', async () => {
    const install = await c.helm(
      'install',
      release,
      chart,
      '-n',
      ns,
      '--create-namespace',
      '--wait',
      '--timeout',
      '3m',
    );
    expect(install.stderr).toBe('');
    expect(install.code).toBe(0);

    const list = await c.helm('list', '-n', ns, '-o', 'json');
    const releases = JSON.parse(list.stdout) as { name: string; status: string; revision: string }[];
    expect(releases).toEqual([expect.objectContaining({ name: release, status: 'deployed', revision: '1' })]);

    const d = await c.apps.readNamespacedDeployment({ name: `${release}-web`, namespace: ns });
    expect(d.status?.readyReplicas).toBe(2);
    const pvc = await c.core.readNamespacedPersistentVolumeClaim({ name: `${release}-data`, namespace: ns });
    expect(pvc.status?.phase).toBe('Bound');
    const svc = await c.core.readNamespacedService({ name: `${release}-web`, namespace: ns });
    expect(svc.spec?.clusterIP).toMatch(/^10\.96\./);

    // The post-install hook Job ran and succeeded (helm then deleted it: hook-succeeded).
    const status = await c.helm('status', release, '-n', ns, '-o', 'json');
    const hooks =
      (JSON.parse(status.stdout) as { hooks?: { name: string; last_run?: { phase?: string } }[] }).hooks ??
      [];
    expect(hooks.map((h) => [h.name, h.last_run?.phase])).toEqual([[`${release}-setup`, 'Succeeded']]);
  });

  it('helm uninstall removes everything the release made', async () => {
    const uninstall = await c.helm('uninstall', release, '-n', ns, '--wait', '--timeout', '2m');
    expect(uninstall.code).toBe(0);
    expect((await c.apps.listNamespacedDeployment({ namespace: ns })).items).toHaveLength(0);
    expect((await c.core.listNamespacedService({ namespace: ns })).items).toHaveLength(0);
    expect((await c.batch.listNamespacedJob({ namespace: ns })).items).toHaveLength(0);
    expect(
      (await c.core.listNamespacedSecret({ namespace: ns, labelSelector: 'owner=helm' })).items,
    ).toHaveLength(0);
    await eventually('PVC and pods gone', async () => {
      const pvcs = (await c.core.listNamespacedPersistentVolumeClaim({ namespace: ns })).items;
      const pods = (await c.core.listNamespacedPod({ namespace: ns })).items;
      return pvcs.length === 0 && pods.length === 0 ? true : undefined;
    });
    const list = await c.helm('list', '-n', ns, '-o', 'json');
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
    await expect(
      c.core.readNamespacedPersistentVolumeClaim({ name: `${release}-data`, namespace: ns }),
    ).rejects.toSatisfy((err) => statusOf(err) === 404);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/schema.ts';
import {
  condition,
  helmHistory,
  isReady,
  isStalled,
  OperatorProcess,
  type PrivateCluster,
  privateCluster,
  storeEvents,
  storeYaml,
  waitForStore,
} from './harness.ts';

/**
 * Fault 4: on the real charts, volume sizes follow the plan, a StatefulSet's volume claim
 * templates are immutable, and the refusal was read as missing RBAC. A plan change must work
 * for both engines: quota and resources change, volumes grow only where the StorageClass allows
 * it (by patching the claim), and a shrink is refused before anything changes.
 */
let c: PrivateCluster;
let operator: OperatorProcess;
const woo = 'plan-woo';
const med = 'plan-med';

beforeAll(async () => {
  c = await privateCluster();
  operator = new OperatorProcess(c, ['--resync-seconds', '3']);
  await operator.start();
  await c.kubectl(['apply', '-f', '-'], storeYaml(woo, { engine: 'woocommerce', plan: 'small' }));
  await c.kubectl(['apply', '-f', '-'], storeYaml(med, { engine: 'medusa', plan: 'small' }));
  await waitForStore(c, woo, isReady, 150_000, 'Ready');
  await waitForStore(c, med, isReady, 150_000, 'Ready');
});
afterAll(async () => {
  await operator?.stop();
  await c?.stop();
});

const setPlan = (name: string, plan: string) =>
  c.kubectl(['patch', 'store', name, '--type', 'merge', '-p', JSON.stringify({ spec: { plan } })]);
const readyAt = (generation: number) => (s: Store) => isReady(s) && s.metadata.generation === generation;
const json = async <T>(args: string[]) => JSON.parse((await c.kubectl([...args, '-o', 'json'])).stdout) as T;
type Pvc = { spec: { resources: { requests: { storage: string } } } };
type Sts = { spec: { volumeClaimTemplates: { spec: { resources: { requests: { storage: string } } } }[] } };
type Deploy = {
  spec: { template: { spec: { containers: { resources: { requests: { cpu: string } } }[] } } };
};
const claimSize = async (name: string, claim: string) =>
  (await json<Pvc>(['get', 'pvc', claim, '-n', `store-${name}`])).spec.resources.requests.storage;
const templateSize = async (name: string) =>
  (await json<Sts>(['get', 'statefulset', `${name}-db`, '-n', `store-${name}`])).spec.volumeClaimTemplates[0]
    ?.spec.resources.requests.storage;
const quotaCpu = async (name: string) =>
  (
    await json<{ spec: { hard: Record<string, string> } }>([
      'get',
      'resourcequota',
      'store-quota',
      '-n',
      `store-${name}`,
    ])
  ).spec.hard['requests.cpu'];

describe('a plan change on a StorageClass that cannot expand volumes', () => {
  it('WooCommerce small -> medium: quota and resources change, volumes keep their size, and it says so', async () => {
    expect((await setPlan(woo, 'medium')).code).toBe(0);
    const s = await waitForStore(c, woo, readyAt(2), 120_000, 'Ready on plan medium');
    expect(isStalled(s)).toBe(false);
    expect(await quotaCpu(woo)).toBe('3');
    const web = await json<Deploy>(['get', 'deploy', `${woo}-web`, '-n', `store-${woo}`]);
    expect(web.spec.template.spec.containers[0]?.resources.requests.cpu).toBe('250m');
    // The claim template was never edited (immutable), and the claims could not grow.
    expect(await templateSize(woo)).toBe('2Gi');
    expect(await claimSize(woo, `data-${woo}-db-0`)).toBe('2Gi');
    expect(await claimSize(woo, `${woo}-uploads`)).toBe('2Gi');
    const notExpanded = (await storeEvents(c, woo))
      .filter((e) => e.reason === 'VolumeNotExpanded')
      .map((e) => e.message);
    expect(notExpanded).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /database volume data-plan-woo-db-0 stays at 2Gi \(plan asks for 10Gi\): StorageClass kwok-volume does not allow volume expansion/,
        ),
        expect.stringMatching(/uploads volume plan-woo-uploads stays at 2Gi \(plan asks for 5Gi\)/),
      ]),
    );
    expect((await storeEvents(c, woo)).map((e) => e.reason)).not.toContain('DriftRepaired');
    expect((await helmHistory(c, woo)).map((h) => h.status)).toEqual(['superseded', 'deployed']);
  });
});

describe('a plan change on a StorageClass that can expand volumes', () => {
  beforeAll(async () => {
    const r = await c.kubectl([
      'patch',
      'storageclass',
      'kwok-volume',
      '-p',
      '{"allowVolumeExpansion":true}',
    ]);
    expect(r.code).toBe(0);
  });

  it('Medusa small -> large: the database claim grows by a patch; its template stays as it was made', async () => {
    expect((await setPlan(med, 'large')).code).toBe(0);
    await waitForStore(c, med, readyAt(2), 120_000, 'Ready on plan large');
    expect(await quotaCpu(med)).toBe('5');
    expect(await claimSize(med, `data-${med}-db-0`)).toBe('30Gi');
    expect(await templateSize(med)).toBe('2Gi');
    const events = await storeEvents(c, med);
    expect(events.map((e) => `${e.reason}: ${e.message}`)).toContainEqual(
      'VolumeExpanded: the database volume data-plan-med-db-0 grows from 2Gi to 30Gi',
    );
    const s = await waitForStore(
      c,
      med,
      (x) => x.status?.volumes?.[0]?.size === '30Gi',
      30_000,
      'the new size in status',
    );
    expect(s.status?.volumes).toEqual([{ what: 'database', claim: 'data-plan-med-db-0', size: '30Gi' }]);
  });

  it('WooCommerce medium -> large: the chart grows its own claim, the operator the database claim', async () => {
    expect((await setPlan(woo, 'large')).code).toBe(0);
    await waitForStore(c, woo, readyAt(3), 120_000, 'Ready on plan large');
    expect(await claimSize(woo, `${woo}-uploads`)).toBe('20Gi');
    expect(await claimSize(woo, `data-${woo}-db-0`)).toBe('30Gi');
    expect(await templateSize(woo)).toBe('2Gi');
  });

  it('a shrink is refused up front: Stalled with the reason, nothing changed', async () => {
    const revisions = (await helmHistory(c, med)).length;
    expect((await setPlan(med, 'small')).code).toBe(0);
    const s = await waitForStore(c, med, isStalled, 60_000, 'Stalled');
    expect(condition(s, 'Stalled')?.reason).toBe('VolumeShrinkRefused');
    expect(s.status?.phase).toBe('Failed');
    expect(s.status?.lastFailure?.message).toBe(
      'plan small would shrink the database volume data-plan-med-db-0 from 30Gi to 2Gi; volumes never shrink, so nothing was changed',
    );
    expect(s.status?.lastFailure?.fix).toMatch(
      /Set spec.plan back to a plan with at least 30Gi of database storage/,
    );
    expect(await quotaCpu(med)).toBe('5');
    expect(await helmHistory(c, med)).toHaveLength(revisions);
    // Back to the plan it has: Ready again, no new revision.
    expect((await setPlan(med, 'large')).code).toBe(0);
    await waitForStore(c, med, readyAt(4), 60_000, 'Ready on plan large again');
    expect(await helmHistory(c, med)).toHaveLength(revisions);
  });
});

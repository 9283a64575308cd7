import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRelease, encodeRelease } from '../../src/helm/storage.ts';
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
  waitFor,
  waitForStore,
} from './harness.ts';

/**
 * Fault 9: deleting a database StatefulSet by accident deleted its volume, and drift repair then
 * set up an empty shop over it and called that repaired. Fault 11: a release left `uninstalling`
 * by a killed helm was waited on forever while the store still showed Ready. Real charts.
 */
let c: PrivateCluster;
let operator: OperatorProcess;
const shop = 'safe-shop';
const other = 'half-gone';

beforeAll(async () => {
  c = await privateCluster();
  operator = new OperatorProcess(c, ['--resync-seconds', '2']);
  await operator.start();
  await c.kubectl(['apply', '-f', '-'], storeYaml(shop, { engine: 'medusa' }));
  await c.kubectl(['apply', '-f', '-'], storeYaml(other, { engine: 'woocommerce' }));
  await waitForStore(c, shop, isReady, 150_000, 'Ready');
  await waitForStore(c, other, isReady, 150_000, 'Ready');
});
afterAll(async () => {
  await operator?.stop();
  await c?.stop();
});

const ns = `store-${shop}`;
const claim = `data-${shop}-db-0`;
const claimUid = async () =>
  (await c.core.readNamespacedPersistentVolumeClaim({ name: claim, namespace: ns })).metadata?.uid;

describe('the database StatefulSet deleted by accident', () => {
  it('keeps its volume; the repair brings the StatefulSet back on the same claim', async () => {
    const uid = await claimUid();
    expect(uid).toBeDefined();
    const del = await c.kubectl(['delete', 'statefulset', `${shop}-db`, '-n', ns, '--wait=true']);
    expect(del.code).toBe(0);
    await waitFor(
      'the StatefulSet to be back and Ready',
      () =>
        c.kubectl(['get', 'statefulset', `${shop}-db`, '-n', ns, '-o', 'jsonpath={.status.readyReplicas}']),
      (r) => r.stdout === '1',
      90_000,
    );
    expect(await claimUid()).toBe(uid);
    const s = await waitForStore(
      c,
      shop,
      (x) => isReady(x) && condition(x, 'Drifted')?.status === 'False',
      60_000,
      'Ready',
    );
    expect(s.status?.volumes).toEqual([{ what: 'database', claim, size: '2Gi' }]);
    const events = await storeEvents(c, shop);
    expect(events.map((e) => `${e.reason}: ${e.message}`)).toContainEqual(
      expect.stringMatching(/^DriftDetected: StatefulSet safe-shop-db was deleted/),
    );
  });
});

describe("the store's data volume itself is lost", () => {
  it('stops the store with the reason and a fix, and sets up nothing in its place', async () => {
    const revisions = (await helmHistory(c, shop)).length;
    // The claim goes away (it stays Terminating while the database pod uses it).
    const del = await c.kubectl(['delete', 'pvc', claim, '-n', ns, '--wait=false']);
    expect(del.code).toBe(0);
    const s = await waitForStore(c, shop, isStalled, 60_000, 'Stalled');
    expect(condition(s, 'Stalled')?.reason).toBe('DataVolumeLost');
    expect(s.status?.phase).toBe('Failed');
    expect(s.status?.lastFailure?.message).toBe(
      `the store's database volume (PersistentVolumeClaim ${claim}) is being deleted; Storeplane will not set up an empty store in its place`,
    );
    expect(s.status?.lastFailure?.fix).toMatch(
      /Restore the data into a PersistentVolumeClaim named data-safe-shop-db-0/,
    );
    // The claim disappears once nothing uses it (the StatefulSet and its pod gone too, as after a
    // node loss); the stopped store repairs nothing, and still nothing is installed over it.
    await c.kubectl(['delete', 'statefulset', `${shop}-db`, '-n', ns, '--cascade=foreground', '--wait=true']);
    await waitFor(
      'the claim to be gone',
      () => c.kubectl(['get', 'pvc', claim, '-n', ns]),
      (r) => r.code !== 0,
      60_000,
    );
    await c.kubectl(['annotate', 'store', shop, '--overwrite', `storeplane.dev/requested-at=${Date.now()}`]);
    const again = await waitForStore(
      c,
      shop,
      (x) => isStalled(x) && x.status?.lastFailure?.message?.includes('is gone') === true,
      60_000,
      'Stalled again after a retry',
    );
    expect(again.status?.lastFailure?.reason).toBe('DataVolumeLost');
    expect(await helmHistory(c, shop)).toHaveLength(revisions);
  });
});

describe('a release left uninstalling by a helm that died', () => {
  it('is unlocked (marked failed, nothing uninstalled) and upgraded: the workloads come back', async () => {
    const namespace = `store-${other}`;
    const [newest] = (await helmHistory(c, other)).slice(-1);
    const record = `sh.helm.release.v1.${other}.v${newest?.revision}`;
    // What a helm uninstall killed halfway leaves: the record says uninstalling, objects are going.
    const secret = await c.core.readNamespacedSecret({ name: record, namespace });
    const rel = decodeRelease(Buffer.from(secret.data?.release ?? '', 'base64').toString('utf8'));
    rel.info.status = 'uninstalling';
    await c.core.replaceNamespacedSecret({
      name: record,
      namespace,
      body: {
        ...secret,
        metadata: { ...secret.metadata, labels: { ...secret.metadata?.labels, status: 'uninstalling' } },
        data: { release: Buffer.from(encodeRelease(rel)).toString('base64') },
      },
    });
    await c.kubectl(['delete', 'deployment', `${other}-web`, '-n', namespace, '--wait=true']);

    const s = await waitForStore(
      c,
      other,
      (x) => isReady(x) && (x.status?.history?.[0]?.revision ?? 0) > (newest?.revision ?? 0),
      120_000,
      'Ready on a new revision',
    );
    expect(s.status?.history?.[0]?.status).toBe('deployed');
    const history = await helmHistory(c, other);
    // Marked failed (then superseded by the upgrade), never uninstalled or rolled back.
    expect(history.at(-2)).toMatchObject({
      revision: newest?.revision,
      description: "Release unlocked from stale 'uninstalling' state by Storeplane",
    });
    expect(history.at(-1)).toMatchObject({
      status: 'deployed',
      description: expect.stringMatching(/^Storeplane upgrade/),
    });
    const reasons = (await storeEvents(c, other)).map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['ReleaseUnlocked', 'Upgraded']));
    const web = await c.kubectl(['get', 'deployment', `${other}-web`, '-n', namespace, '-o', 'name']);
    expect(web.code).toBe(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  condition,
  isReady,
  isStalled,
  OperatorProcess,
  type PrivateCluster,
  privateCluster,
  standInChart,
  storeYaml,
  waitFor,
  waitForStore,
} from './harness.ts';

/** Fault 10: ownership by the Store's UID; per-store admin names. */
let c: PrivateCluster;
let operator: OperatorProcess;

beforeAll(async () => {
  c = await privateCluster();
  operator = new OperatorProcess(c, [
    '--chart',
    `woocommerce=${standInChart}`,
    '--chart',
    `medusa=${standInChart}`,
  ]);
  await operator.start();
});
afterAll(async () => {
  await operator?.stop();
  await c?.stop();
});

const secretValue = async (namespace: string, key: string) =>
  Buffer.from(
    (await c.core.readNamespacedSecret({ name: 'store-credentials', namespace })).data?.[key] ?? '',
    'base64',
  ).toString('utf8');

describe('a namespace is the Store’s by its UID, not by its labels', () => {
  it('a namespace labelled as the store’s but owned by someone else is never taken', async () => {
    await c.kubectl(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: 'store-lookalike',
          labels: { 'app.kubernetes.io/managed-by': 'storeplane', 'storeplane.dev/store': 'lookalike' },
          ownerReferences: [
            {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              name: 'someone',
              uid: '6b9b2a9e-0000-4000-8000-000000000001',
            },
          ],
        },
      }),
    );
    await c.kubectl(['apply', '-f', '-'], storeYaml('lookalike'));
    const s = await waitForStore(c, 'lookalike', isStalled, 60_000, 'Stalled');
    expect(condition(s, 'Stalled')?.reason).toBe('NamespaceTaken');
    const ns = await c.core.readNamespace({ name: 'store-lookalike' });
    expect(ns.metadata?.ownerReferences?.map((o) => o.kind)).toEqual(['ConfigMap']);
    // Deleting the store leaves a namespace that is not its own alone.
    await c.kubectl(['delete', 'store', 'lookalike', '--timeout=60s']);
    expect((await c.core.readNamespace({ name: 'store-lookalike' })).metadata?.name).toBe('store-lookalike');
  });

  it('a new store with the name of a deleted one waits for the old namespace and gets its own, with new credentials', async () => {
    const name = 'reborn';
    await c.kubectl(['apply', '-f', '-'], storeYaml(name));
    const first = await waitForStore(c, name, isReady, 120_000, 'Ready');
    const oldNs = await c.core.readNamespace({ name: `store-${name}` });
    expect(oldNs.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Store', uid: first.metadata.uid });
    const oldPassword = await secretValue(`store-${name}`, 'admin-password');
    // Gone without its cleanup (someone removed the finalizer): the namespace and the vault copy stay.
    await c.kubectl([
      'patch',
      'store',
      name,
      '--type',
      'json',
      '-p',
      '[{"op":"remove","path":"/metadata/finalizers"}]',
    ]);
    await c.kubectl(['delete', 'store', name, '--wait=true']);
    await c.kubectl(['apply', '-f', '-'], storeYaml(name));
    const second = await waitForStore(c, name, isReady, 180_000, 'the new store Ready');
    expect(second.metadata.uid).not.toBe(first.metadata.uid);
    const newNs = await c.core.readNamespace({ name: `store-${name}` });
    expect(newNs.metadata?.uid).not.toBe(oldNs.metadata?.uid);
    expect(newNs.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Store', uid: second.metadata.uid });
    expect(await secretValue(`store-${name}`, 'admin-password')).not.toBe(oldPassword);
    expect(second.status?.activity?.map((a) => a.reason)).toContain('CredentialsGenerated');
  });
});

describe('store credentials', () => {
  it('have a generated admin name per store, never a name every store shares', async () => {
    for (const n of ['admin-a', 'admin-b']) await c.kubectl(['apply', '-f', '-'], storeYaml(n));
    for (const n of ['admin-a', 'admin-b']) await waitForStore(c, n, isReady, 120_000, 'Ready');
    const a = await secretValue('store-admin-a', 'admin-user');
    const b = await secretValue('store-admin-b', 'admin-user');
    expect(a).toMatch(/^admin-[0-9a-f]{8}$/);
    expect(b).toMatch(/^admin-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    await waitFor(
      'a second look at the same store keeps its name',
      () => secretValue('store-admin-a', 'admin-user'),
      (v) => v === a,
    );
  });
});

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClients } from '../../src/kube/clients.ts';
import { installStoreCrd } from '../../src/store/install-crd.ts';
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
const rbac = join(import.meta.dirname, '..', '..', 'deploy', 'rbac', 'operator.yaml');

beforeAll(async () => {
  c = await privateCluster({ count: 1 });
  await installStoreCrd(await makeClients(c.kc));
  const applied = await c.kubectl(['apply', '-f', rbac]);
  expect(applied.code).toBe(0);
  // A kubeconfig that authenticates as the operator's ServiceAccount, nothing more.
  const token = await c.core.createNamespacedServiceAccountToken({
    name: 'storeplane-operator',
    namespace: 'storeplane-system',
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const admin = JSON.parse(await (await import('node:fs/promises')).readFile(c.kubeconfig, 'utf8'));
  admin.users[0].user = { token: token.status?.token };
  const saKubeconfig = join(c.dataDir, 'operator.kubeconfig');
  await writeFile(saKubeconfig, JSON.stringify(admin), { mode: 0o600 });
  operator = new OperatorProcess({ ...c, kubeconfig: saKubeconfig }, [
    '--chart',
    `woocommerce=${standInChart}`,
    '--skip-crd-install',
    '--store-role-binding',
    'storeplane-store-manager:storeplane-system/storeplane-operator',
  ]);
  await operator.start();
});
afterAll(async () => {
  await operator?.stop();
  await c?.stop();
});

describe('the operator with only the RBAC of deploy/rbac/operator.yaml', () => {
  it('provisions and deletes a store', async () => {
    await c.kubectl(['apply', '-f', '-'], storeYaml('least-priv'));
    const s = await waitForStore(c, 'least-priv', isReady, 120_000, 'Ready');
    expect(s.status?.history?.[0]?.status).toBe('deployed');
    const rb = await c.kubectl([
      'get',
      'rolebinding',
      'storeplane-operator',
      '-n',
      'store-least-priv',
      '-o',
      'jsonpath={.roleRef.name}',
    ]);
    expect(rb.stdout).toBe('storeplane-store-manager');
    const del = await c.kubectl(['delete', 'store', 'least-priv', '--timeout=120s']);
    expect(del.code).toBe(0);
    expect(
      await c.core.readNamespace({ name: 'store-least-priv' }).catch((e: { code?: number }) => e.code),
    ).toBe(404);
  });

  it('cannot touch what it does not own', async () => {
    const as = ['--as', 'system:serviceaccount:storeplane-system:storeplane-operator'];
    const checks: [string[], string][] = [
      [['auth', 'can-i', 'get', 'secrets', '-n', 'kube-system', ...as], 'no'],
      [['auth', 'can-i', 'create', 'deployments', '-n', 'default', ...as], 'no'],
      [['auth', 'can-i', 'create', 'clusterrolebindings', ...as], 'no'],
      [['auth', 'can-i', 'bind', 'clusterroles/cluster-admin', ...as], 'no'],
      [['auth', 'can-i', 'bind', 'clusterroles/storeplane-store-manager', ...as], 'yes'],
      [['auth', 'can-i', 'delete', 'nodes', ...as], 'no'],
    ];
    for (const [args, want] of checks) {
      const r = await c.kubectl(args);
      expect(`${args.slice(2, 5).join(' ')}: ${r.stdout.trim()}`).toBe(
        `${args.slice(2, 5).join(' ')}: ${want}`,
      );
    }
  });
});

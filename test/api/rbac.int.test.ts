import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreDetail, StoreSummary } from '../../src/api/stores/view.ts';
import { makeClients } from '../../src/kube/clients.ts';
import { installStoreCrd } from '../../src/store/install-crd.ts';
import {
  OperatorProcess,
  type PrivateCluster,
  privateCluster,
  run,
  serviceAccountKubeconfig,
  standInChart,
  waitFor,
} from '../operator/harness.ts';
import { ApiProcess, type Caller, createMember, signIn } from './harness.ts';

/**
 * The API with only the RBAC of deploy/rbac/api.yaml: a real `storeplane api` process whose
 * kubeconfig holds nothing but a token of the storeplane-api ServiceAccount, in front of the
 * operator running with its own least-privilege RBAC and binding the API's store reader role in
 * each store namespace. A member creates, watches, reads, retries and deletes a store through it;
 * then the token is shown to reach nothing more (docs/api-rbac.md).
 */
let c: PrivateCluster;
let operator: OperatorProcess;
let api: ApiProcess;
let rita: Caller;
let apiKubeconfig = '';
const rbacDir = join(import.meta.dirname, '..', '..', 'deploy', 'rbac');
const name = 'rbac-shop';
const ns = `store-${name}`;
const apiUser = 'system:serviceaccount:storeplane-system:storeplane-api';

/** The real kubectl, authenticated with a token of the API's ServiceAccount (not impersonation). */
const asApi = (args: string[], stdin?: string) => run(join(c.binDir, 'kubectl'), args, apiKubeconfig, stdin);

beforeAll(async () => {
  c = await privateCluster({ count: 1 });
  const clients = await makeClients(c.kc);
  try {
    await installStoreCrd(clients);
  } finally {
    clients.close();
  }
  const applied = await c.kubectl([
    'apply',
    '-f',
    join(rbacDir, 'operator.yaml'),
    '-f',
    join(rbacDir, 'api.yaml'),
  ]);
  expect(applied.code, applied.stderr).toBe(0);
  const operatorKubeconfig = await serviceAccountKubeconfig(c, 'storeplane-system', 'storeplane-operator');
  apiKubeconfig = await serviceAccountKubeconfig(c, 'storeplane-system', 'storeplane-api');
  operator = new OperatorProcess({ ...c, kubeconfig: operatorKubeconfig }, [
    '--chart',
    `woocommerce=${standInChart}`,
    '--skip-crd-install',
    '--store-role-binding',
    'storeplane-store-manager:storeplane-system/storeplane-operator',
    '--store-role-binding',
    'storeplane-api-store-reader:storeplane-system/storeplane-api',
  ]);
  await operator.start();
  // Ready only once its informer has listed the Stores: the first proof that list is granted.
  api = await new ApiProcess({ kubeconfig: apiKubeconfig }).start();
  const admin = await signIn(api);
  const user = await createMember(admin, 'rita');
  rita = await signIn(api, user.username, user.password);
});

afterAll(async () => {
  await api?.stop();
  await operator?.stop();
  await c?.stop();
});

async function waitForPhase(phase: string, timeoutMs = 150_000): Promise<StoreDetail> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const a = await rita.request<StoreDetail>('GET', `/api/v1/stores/${name}`);
    last = a.text;
    if (a.status === 200 && a.body.phase === phase) return a.body;
    await sleep(1000);
  }
  throw new Error(`${name} never reached ${phase} through the API; last: ${last.slice(0, 2000)}`);
}

describe('the API with only the RBAC of deploy/rbac/api.yaml', () => {
  it('creates a store and sees it through its informer (list + watch)', async () => {
    const a = await rita.request<StoreSummary>('POST', '/api/v1/stores', {
      name,
      displayName: 'RBAC Shop',
      engine: 'woocommerce',
    });
    expect(a.status, a.text).toBe(201);
    expect(a.body).toMatchObject({ name, owner: 'rita', phase: 'Pending' });
    // The informer listed no store at start: this one reaches its cache by the watch.
    await waitFor(
      'the store in the API list',
      () => rita.request<{ stores: StoreSummary[] }>('GET', '/api/v1/stores'),
      (l) => l.body.stores.some((s) => s.name === name),
      15_000,
    );
  });

  it('follows it to Ready; the operator has bound the reader role in its namespace', async () => {
    const ready = await waitForPhase('Ready');
    expect(ready.pipeline.every((p) => p.state === 'done')).toBe(true);
    const bindings = await c.kubectl([
      'get',
      'rolebindings',
      '-n',
      ns,
      '-o',
      'jsonpath={range .items[*]}{.metadata.name}={.roleRef.name}>{.subjects[*].name};{end}',
    ]);
    expect(bindings.stdout.split(';').filter(Boolean).sort()).toEqual([
      'storeplane-api=storeplane-api-store-reader>storeplane-api',
      'storeplane-operator=storeplane-store-manager>storeplane-operator',
    ]);
  });

  it('reads its Events: the Store’s (in default) and its namespace’s', async () => {
    // The API drops a refused namespace list silently, so the namespace's Events showing up is
    // the proof that the per-namespace binding works.
    const events = await waitFor(
      'Store and namespace Events',
      () =>
        rita.request<{ events: { object: string; reason: string }[] }>(
          'GET',
          `/api/v1/stores/${name}/events`,
        ),
      (a) =>
        a.status === 200 &&
        a.body.events.some((e) => e.object === `Store/${name}`) &&
        a.body.events.some((e) => !e.object.startsWith('Store/')),
      30_000,
    );
    expect(events.body.events.length).toBeGreaterThan(1);
  });

  it('reveals its credentials, equal to the store-credentials Secret', async () => {
    const a = await rita.request<{ username: string; password: string }>(
      'POST',
      `/api/v1/stores/${name}/credentials/reveal`,
    );
    expect(a.status, a.text).toBe(200);
    const secret = await c.kubectl(['get', 'secret', '-n', ns, 'store-credentials', '-o', 'json']);
    const data = (JSON.parse(secret.stdout) as { data: Record<string, string> }).data;
    expect(a.body.password).toBe(Buffer.from(data['admin-password']!, 'base64').toString());
  });

  it('retries it (a merge patch of the Store)', async () => {
    const a = await rita.request<StoreSummary>('POST', `/api/v1/stores/${name}/retry`);
    expect(a.status, a.text).toBe(202);
    const store = await c.getStore(name);
    expect(Date.parse(store.metadata.annotations?.['storeplane.dev/requested-at'] ?? '')).toBeGreaterThan(
      Date.now() - 60_000,
    );
  });

  it('can do nothing more: what kubectl auth can-i says for its ServiceAccount', async () => {
    const helmSecret = (
      await c.kubectl([
        'get',
        'secrets',
        '-n',
        ns,
        '-l',
        'owner=helm',
        '-o',
        'jsonpath={.items[0].metadata.name}',
      ])
    ).stdout;
    expect(helmSecret).toMatch(/^sh\.helm\.release\.v1\./);
    const stores = 'stores.storeplane.dev';
    // [verb, resource, namespace ('' cluster-wide, '*' all namespaces), extra flags, expected]
    const table: [string, string, string, string[], 'yes' | 'no'][] = [
      // What it needs.
      ['get', stores, '', [], 'yes'],
      ['list', stores, '', [], 'yes'],
      ['watch', stores, '', [], 'yes'],
      ['create', stores, '', [], 'yes'],
      ['patch', stores, '', [], 'yes'],
      ['delete', stores, '', [], 'yes'],
      ['list', 'events', 'default', [], 'yes'],
      ['list', 'events', ns, [], 'yes'],
      ['get', 'secrets/store-credentials', ns, [], 'yes'],
      // Stores: no replace, no status, no bulk delete.
      ['update', stores, '', [], 'no'],
      ['update', stores, '', ['--subresource=status'], 'no'],
      ['patch', stores, '', ['--subresource=status'], 'no'],
      ['deletecollection', stores, '', [], 'no'],
      // Secrets: store-credentials of store namespaces only, by name, never listed.
      ['get', 'secrets/store-credentials', 'kube-system', [], 'no'],
      ['get', 'secrets/store-credentials', 'default', [], 'no'],
      ['get', 'secrets/store-credentials', 'storeplane-system', [], 'no'],
      ['get', 'secrets/store-credentials', 'store-not-made-by-the-operator', [], 'no'],
      ['get', `secrets/${helmSecret}`, ns, [], 'no'],
      ['get', 'secrets', ns, [], 'no'],
      ['list', 'secrets', ns, [], 'no'],
      ['watch', 'secrets', ns, [], 'no'],
      ['list', 'secrets', '*', [], 'no'],
      ['get', 'secrets', 'kube-system', [], 'no'],
      ['update', 'secrets/store-credentials', ns, [], 'no'],
      // Namespaces and workloads: the operator's, not the API's.
      ['create', 'namespaces', '', [], 'no'],
      ['delete', 'namespaces', '', [], 'no'],
      ['patch', 'namespaces', '', [], 'no'],
      ['get', 'pods', ns, [], 'no'],
      ['list', 'pods', '*', [], 'no'],
      ['create', 'pods', ns, ['--subresource=exec'], 'no'],
      ['get', 'configmaps', ns, [], 'no'],
      ['list', 'deployments.apps', ns, [], 'no'],
      // Events: read where Stores' Events are, write nowhere.
      ['list', 'events', '*', [], 'no'],
      ['list', 'events', 'kube-system', [], 'no'],
      ['watch', 'events', ns, [], 'no'],
      ['create', 'events', 'default', [], 'no'],
      // No way to widen its own rights.
      ['create', 'rolebindings.rbac.authorization.k8s.io', ns, [], 'no'],
      ['bind', 'clusterroles/storeplane-api-store-reader', '', [], 'no'],
      ['create', 'clusterrolebindings.rbac.authorization.k8s.io', '', [], 'no'],
      ['impersonate', 'serviceaccounts', '*', [], 'no'],
      ['create', 'serviceaccounts/token', 'storeplane-system', [], 'no'],
    ];
    const rows: string[] = [];
    for (const [verb, resource, where, extra, want] of table) {
      const scope = where === '' ? [] : where === '*' ? ['--all-namespaces'] : ['-n', where];
      const r = await c.kubectl(['auth', 'can-i', verb, resource, ...scope, ...extra, '--as', apiUser]);
      const got = r.stdout.trim();
      const row = `${verb} ${resource}${extra.length ? ` ${extra.join(' ')}` : ''} ${where === '' ? '(cluster)' : where === '*' ? '(all namespaces)' : `-n ${where}`}`;
      rows.push(`${row.padEnd(90)} want ${want.padEnd(3)} got ${got}`);
      expect.soft(got, row).toBe(want);
    }
    process.stdout.write(`can-i as ${apiUser}:\n${rows.join('\n')}\n`);
  });

  it('can do nothing more: requests with its own token are refused', async () => {
    // What an attacker holding the API's token would go for, set up by the cluster admin: a Secret
    // named like a store's credentials outside store namespaces.
    for (const where of ['kube-system', 'default']) {
      const made = await c.kubectl([
        'create',
        'secret',
        'generic',
        'store-credentials',
        '-n',
        where,
        '--from-literal=admin-password=not-yours',
      ]);
      expect(made.code, made.stderr).toBe(0);
    }
    // Its one Secret read works with the token...
    const own = await asApi([
      'get',
      'secret',
      'store-credentials',
      '-n',
      ns,
      '-o',
      'jsonpath={.metadata.name}',
    ]);
    expect(own.stderr).toBe('');
    expect(own.stdout).toBe('store-credentials');
    const store = await c.getStore(name);
    const refused: { what: string; args: string[]; stdin?: string }[] = [
      {
        what: 'store-credentials in kube-system',
        args: ['get', 'secret', 'store-credentials', '-n', 'kube-system'],
      },
      { what: 'store-credentials in default', args: ['get', 'secret', 'store-credentials', '-n', 'default'] },
      { what: 'the Secrets of the store namespace', args: ['get', 'secrets', '-n', ns] },
      { what: 'the Secrets of every namespace', args: ['get', 'secrets', '--all-namespaces'] },
      {
        what: "Helm's release records in the store namespace",
        args: ['get', 'secrets', '-n', ns, '-l', 'owner=helm'],
      },
      {
        what: "the operator's credentials vault",
        args: ['get', 'secrets', '-n', 'storeplane-system'],
      },
      {
        what: "the store's status",
        args: [
          'patch',
          'store',
          name,
          '--subresource=status',
          '--type=merge',
          '-p',
          '{"status":{"phase":"Failed"}}',
        ],
      },
      {
        what: 'replace the Store (update)',
        args: ['replace', '-f', '-'],
        stdin: JSON.stringify({ ...store, metadata: { ...store.metadata, labels: { x: 'y' } } }),
      },
      { what: 'create a namespace', args: ['create', 'namespace', 'api-was-here'] },
      { what: 'delete the store namespace', args: ['delete', 'namespace', ns, '--wait=false'] },
      { what: 'the pods of the store', args: ['get', 'pods', '-n', ns] },
      { what: 'every pod', args: ['get', 'pods', '--all-namespaces'] },
    ];
    for (const r of refused) {
      const got = await asApi(r.args, r.stdin);
      expect.soft(got.code, `${r.what}: should be refused, but: ${got.stdout}`).not.toBe(0);
      expect.soft(got.stderr, r.what).toMatch(/forbidden/i);
      expect.soft(got.stdout, r.what).not.toContain('not-yours');
    }
    // Nothing of it happened.
    const after = await c.getStore(name);
    expect(after.status?.phase).not.toBe('Failed');
    expect(after.metadata.labels?.x).toBeUndefined();
    expect((await c.kubectl(['get', 'namespace', 'api-was-here', '-o', 'name'])).stderr).toMatch(/NotFound/);
    expect((await c.core.readNamespace({ name: ns })).metadata?.deletionTimestamp).toBeUndefined();
  });

  it('deletes it: 202, then gone from the API, the cluster, and with it the API’s binding', async () => {
    const a = await rita.request<StoreSummary>('DELETE', `/api/v1/stores/${name}`);
    expect(a.status, a.text).toBe(202);
    expect(a.body.phase).toBe('Deleting');
    await waitFor(
      'the store gone from the API',
      () => rita.request('GET', `/api/v1/stores/${name}`),
      (g) => g.status === 404,
      150_000,
    );
    expect((await c.kubectl(['get', 'namespace', ns, '-o', 'name'])).stderr).toMatch(/NotFound/);
    expect((await c.kubectl(['get', 'store', name, '-o', 'name'])).stderr).toMatch(/NotFound/);
    const gone = await c.kubectl([
      'auth',
      'can-i',
      'get',
      'secrets/store-credentials',
      '-n',
      ns,
      '--as',
      apiUser,
    ]);
    expect(gone.stdout.trim()).toBe('no');
    // Every call it made was allowed, and its watch never broke: either would be in its log.
    expect(api.logs()).not.toMatch(/forbidden|watch failed/i);
  });
});

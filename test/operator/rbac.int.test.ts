import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClients } from '../../src/kube/clients.ts';
import { namespaceManifest } from '../../src/operator/reconcile/manifests.ts';
import { isTrue } from '../../src/store/conditions.ts';
import { installStoreCrd } from '../../src/store/install-crd.ts';
import type { Store } from '../../src/store/schema.ts';
import {
  OperatorProcess,
  type PrivateCluster,
  isReady,
  privateCluster,
  run,
  serviceAccountKubeconfig,
  standInChart,
  storeYaml,
  waitForStore,
} from './harness.ts';

let c: PrivateCluster;
let operator: OperatorProcess;
let saKubeconfig = '';
const rbac = join(import.meta.dirname, '..', '..', 'deploy', 'rbac', 'operator.yaml');

/** The real kubectl, authenticated with a token of the operator's ServiceAccount (not impersonation). */
const asOperator = (args: string[], stdin?: string) =>
  run(join(c.binDir, 'kubectl'), args, saKubeconfig, stdin);

const operatorSubject = {
  kind: 'ServiceAccount',
  name: 'storeplane-operator',
  namespace: 'storeplane-system',
};
const storeManager = { kind: 'ClusterRole', name: 'storeplane-store-manager' };
/** The API's read-only store role (deploy/rbac/api.yaml), which the operator binds for the API. */
const apiStoreReader = { kind: 'ClusterRole', name: 'storeplane-api-store-reader' };
const apiSubject = { kind: 'ServiceAccount', name: 'storeplane-api', namespace: 'storeplane-system' };

function roleBinding(
  namespace: string,
  name: string,
  roleRef: { kind: string; name: string },
  subjects: Record<string, string>[],
): string {
  return JSON.stringify({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name, namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
    subjects,
  });
}

/** A Secret that Kubernetes fills with a token of the ServiceAccount it names. */
function tokenSecret(namespace: string, name: string, serviceAccount: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/service-account-token',
    metadata: { name, namespace, annotations: { 'kubernetes.io/service-account.name': serviceAccount } },
  });
}

/** The namespace the operator itself would make for a store, with labels changed (null removes one). */
function storeNamespace(store: string, labels: Record<string, string | null> = {}): string {
  const ns = namespaceManifest({
    apiVersion: 'storeplane.dev/v1alpha1',
    kind: 'Store',
    metadata: { name: store },
    spec: { engine: 'medusa', displayName: store, owner: 'eve@example.com', plan: 'small' },
  } as Store);
  const merged: Record<string, string> = { ...ns.metadata?.labels };
  for (const [k, v] of Object.entries(labels)) {
    if (v === null) delete merged[k];
    else merged[k] = v;
  }
  return JSON.stringify({ ...ns, metadata: { ...ns.metadata, labels: merged } });
}

/**
 * A new ValidatingAdmissionPolicy is enforced only once the API server's policy informer has it:
 * retry a request each policy must refuse (a server-side dry run, so nothing is stored if it is
 * not refused yet) until both are refused.
 */
async function waitForPolicies(timeoutMs = 30_000): Promise<void> {
  const probes = [
    {
      args: ['create', 'namespace', 'not-a-store', '--dry-run=server'],
      policy: 'storeplane-operator-namespaces',
    },
    {
      args: ['create', '--dry-run=server', '-f', '-'],
      stdin: roleBinding('kube-system', 'probe', storeManager, [operatorSubject]),
      policy: 'storeplane-operator-rolebindings',
    },
    {
      args: ['create', '--dry-run=server', '-f', '-'],
      stdin: tokenSecret('storeplane-system', 'probe', 'storeplane-operator'),
      policy: 'storeplane-operator-secrets',
    },
  ];
  const deadline = Date.now() + timeoutMs;
  for (const p of probes) {
    for (;;) {
      const r = await asOperator(p.args, p.stdin);
      if (r.code !== 0 && r.stderr.includes(`ValidatingAdmissionPolicy '${p.policy}'`)) break;
      if (Date.now() > deadline)
        throw new Error(`policy ${p.policy} not enforced after ${timeoutMs / 1000}s: ${r.stdout}${r.stderr}`);
      await sleep(250);
    }
  }
}

beforeAll(async () => {
  c = await privateCluster({ count: 1 });
  await installStoreCrd(await makeClients(c.kc));
  const applied = await c.kubectl(['apply', '-f', rbac]);
  expect(applied.code).toBe(0);
  // A kubeconfig that authenticates as the operator's ServiceAccount, nothing more.
  saKubeconfig = await serviceAccountKubeconfig(c, 'storeplane-system', 'storeplane-operator');
  await waitForPolicies();
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

  it('cannot reach beyond store namespaces, even where its RBAC alone would allow it', async () => {
    // What an attacker holding the operator's token would go for, set up by the cluster admin.
    const setup = [
      ['create', 'secret', 'generic', 'crown-jewels', '-n', 'kube-system', '--from-literal=key=not-yours'],
      ['create', 'namespace', 'victim'],
      // Someone else's namespace that merely looks like a store's.
      ['create', 'namespace', 'store-frontend'],
      // A role the operator already holds in its store namespaces, so RBAC's escalation check lets
      // it bind it there: only the admission policy stands in the way.
      ['create', 'clusterrole', 'configmap-reader', '--verb=get', '--resource=configmaps'],
    ];
    for (const args of setup) expect((await c.kubectl(args)).code).toBe(0);
    // A real store namespace, made by the operator (with its own RoleBinding in it).
    expect((await c.kubectl(['apply', '-f', '-'], storeYaml('guarded'))).code).toBe(0);
    await waitForStore(
      c,
      'guarded',
      (s) => isTrue(s.status?.conditions, 'GuardrailsReady'),
      60_000,
      'GuardrailsReady',
    );

    const rbPolicy = /ValidatingAdmissionPolicy 'storeplane-operator-rolebindings'/;
    const secretPolicy = /ValidatingAdmissionPolicy 'storeplane-operator-secrets'/;
    const nsPolicy = /ValidatingAdmissionPolicy 'storeplane-operator-namespaces'/;
    const refusals: { what: string; args: string[]; stdin?: string; why: RegExp[] }[] = [
      {
        what: 'bind storeplane-store-manager to itself in kube-system',
        args: ['create', '-f', '-'],
        stdin: roleBinding('kube-system', 'storeplane-operator', storeManager, [operatorSubject]),
        why: [rbPolicy, /create RoleBinding kube-system\/storeplane-operator: .*only in store namespaces/],
      },
      {
        what: 'bind storeplane-store-manager to itself in a foreign namespace named like a store one',
        args: ['create', '-f', '-'],
        stdin: roleBinding('store-frontend', 'storeplane-operator', storeManager, [operatorSubject]),
        why: [rbPolicy, /namespace store-frontend is not a Storeplane store namespace/],
      },
      {
        what: "bind storeplane-store-manager to the store namespace's default ServiceAccount",
        args: ['create', '-f', '-'],
        stdin: roleBinding('store-guarded', 'backdoor-sa', storeManager, [
          { kind: 'ServiceAccount', name: 'default', namespace: 'store-guarded' },
        ]),
        why: [rbPolicy, /its only subject must be ServiceAccount storeplane-system\/storeplane-operator/],
      },
      {
        what: 'bind storeplane-store-manager to a User',
        args: ['create', '-f', '-'],
        stdin: roleBinding('store-guarded', 'backdoor-user', storeManager, [
          { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'mallory' },
        ]),
        why: [rbPolicy, /its only subject must be ServiceAccount storeplane-system\/storeplane-operator/],
      },
      {
        what: 'bind storeplane-store-manager to itself and a second subject',
        args: ['create', '-f', '-'],
        stdin: roleBinding('store-guarded', 'backdoor-pair', storeManager, [
          operatorSubject,
          { kind: 'ServiceAccount', name: 'default', namespace: 'store-guarded' },
        ]),
        why: [rbPolicy, /its only subject must be ServiceAccount storeplane-system\/storeplane-operator/],
      },
      {
        what: 'bind cluster-admin in a store namespace',
        args: ['create', '-f', '-'],
        stdin: roleBinding('store-guarded', 'root', { kind: 'ClusterRole', name: 'cluster-admin' }, [
          operatorSubject,
        ]),
        // RBAC's own escalation check answers first (it runs before validating admission).
        why: [/is attempting to grant RBAC permissions not currently held/],
      },
      {
        what: 'bind another ClusterRole whose permissions it holds in a store namespace',
        args: ['create', '-f', '-'],
        stdin: roleBinding('store-guarded', 'reader', { kind: 'ClusterRole', name: 'configmap-reader' }, [
          operatorSubject,
        ]),
        why: [
          rbPolicy,
          /roleRef must be ClusterRole storeplane-store-manager or storeplane-api-store-reader,\s+not ClusterRole configmap-reader/,
        ],
      },
      {
        what: "bind the API's store reader role to itself",
        args: ['create', '-f', '-'],
        stdin: roleBinding('store-guarded', 'reader-self', apiStoreReader, [operatorSubject]),
        why: [
          rbPolicy,
          /its only subject must be ServiceAccount storeplane-system\/storeplane-api for ClusterRole storeplane-api-store-reader/,
        ],
      },
      {
        what: "bind the API's store reader role to the store namespace's default ServiceAccount",
        args: ['create', '-f', '-'],
        stdin: roleBinding('store-guarded', 'reader-default', apiStoreReader, [
          { kind: 'ServiceAccount', name: 'default', namespace: 'store-guarded' },
        ]),
        why: [rbPolicy, /its only subject must be ServiceAccount storeplane-system\/storeplane-api/],
      },
      {
        what: "bind the API's store reader role to the API in kube-system",
        args: ['create', '-f', '-'],
        stdin: roleBinding('kube-system', 'storeplane-api', apiStoreReader, [apiSubject]),
        why: [rbPolicy, /only in store namespaces/],
      },
      {
        what: 'bind storeplane-store-manager (every Secret of the namespace) to the API',
        args: ['create', '-f', '-'],
        stdin: roleBinding('store-guarded', 'api-manager', storeManager, [apiSubject]),
        why: [
          rbPolicy,
          /its only subject must be ServiceAccount storeplane-system\/storeplane-operator for ClusterRole storeplane-store-manager/,
        ],
      },
      {
        what: "mint a token of the API's ServiceAccount (which may create and delete Stores)",
        args: ['create', '-f', '-'],
        stdin: tokenSecret('storeplane-system', 'minted-api', 'storeplane-api'),
        why: [
          secretPolicy,
          /may not create a Secret of type kubernetes.io\/service-account-token in storeplane-system: .*ServiceAccount storeplane-api/,
        ],
      },
      {
        what: "mint a token of a store namespace's ServiceAccount",
        args: ['create', '-f', '-'],
        stdin: tokenSecret('store-guarded', 'minted-default', 'default'),
        why: [secretPolicy, /in store-guarded: .*ServiceAccount default/],
      },
      {
        what: 'create namespace evil',
        args: ['create', 'namespace', 'evil'],
        why: [nsPolicy, /create namespace evil: only store namespaces/],
      },
      {
        what: 'create store-x without the managed-by label',
        args: ['create', '-f', '-'],
        stdin: storeNamespace('x', { 'app.kubernetes.io/managed-by': null }),
        why: [nsPolicy, /create namespace store-x: .*app.kubernetes.io\/managed-by=storeplane/],
      },
      {
        what: 'create store-y with Pod Security enforce=privileged',
        args: ['create', '-f', '-'],
        stdin: storeNamespace('y', { 'pod-security.kubernetes.io/enforce': 'privileged' }),
        why: [
          nsPolicy,
          /create namespace store-y: .*pod-security.kubernetes.io\/enforce must be restricted or baseline/,
        ],
      },
      {
        what: 'create store-z without a Pod Security enforce label',
        args: ['create', '-f', '-'],
        stdin: storeNamespace('z', { 'pod-security.kubernetes.io/enforce': null }),
        why: [
          nsPolicy,
          /create namespace store-z: .*pod-security.kubernetes.io\/enforce must be restricted or baseline/,
        ],
      },
      {
        what: 'create store-w with Pod Security audit=privileged',
        args: ['create', '-f', '-'],
        stdin: storeNamespace('w', { 'pod-security.kubernetes.io/audit': 'privileged' }),
        why: [nsPolicy, /create namespace store-w: .*warn and audit must not be privileged/],
      },
      {
        what: 'create store-v labelled as another store',
        args: ['create', '-f', '-'],
        stdin: storeNamespace('v', { 'storeplane.dev/store': 'guarded' }),
        why: [nsPolicy, /create namespace store-v: label storeplane.dev\/store must be v/],
      },
      {
        what: 'label kube-system',
        args: ['label', 'namespace', 'kube-system', 'x=y'],
        why: [nsPolicy, /change namespace kube-system: only store namespaces/],
      },
      {
        what: 'annotate kube-system',
        args: ['annotate', 'namespace', 'kube-system', 'x=y'],
        why: [nsPolicy, /change namespace kube-system: only store namespaces/],
      },
      {
        what: 'label its own namespace storeplane-system',
        args: ['label', 'namespace', 'storeplane-system', 'x=y'],
        why: [nsPolicy, /change namespace storeplane-system: .*the installer/],
      },
      {
        what: 'remove the managed-by label from a store namespace',
        args: ['label', 'namespace', 'store-guarded', 'app.kubernetes.io/managed-by-'],
        why: [nsPolicy, /change namespace store-guarded: .*app.kubernetes.io\/managed-by=storeplane/],
      },
      {
        what: "set a store namespace's Pod Security enforce level to privileged",
        args: [
          'label',
          '--overwrite',
          'namespace',
          'store-guarded',
          'pod-security.kubernetes.io/enforce=privileged',
        ],
        why: [nsPolicy, /change namespace store-guarded: .*pod-security.kubernetes.io\/enforce must be/],
      },
      {
        what: 'relabel a foreign namespace named like a store one into a store namespace',
        args: ['apply', '--server-side', '--force-conflicts', '-f', '-'],
        stdin: storeNamespace('frontend'),
        why: [nsPolicy, /change namespace store-frontend: .*app.kubernetes.io\/managed-by=storeplane/],
      },
      {
        what: 'delete namespace victim',
        args: ['delete', 'namespace', 'victim', '--wait=false'],
        why: [nsPolicy, /delete namespace victim: only store namespaces/],
      },
      {
        what: 'delete a foreign namespace named like a store one',
        args: ['delete', 'namespace', 'store-frontend', '--wait=false'],
        why: [nsPolicy, /delete namespace store-frontend: .*app.kubernetes.io\/managed-by=storeplane/],
      },
    ];
    for (const r of refusals) {
      const got = await asOperator(r.args, r.stdin);
      // Soft, so one run lists every request that got through, not only the first.
      expect.soft(got.code, `${r.what}: should be refused, but: ${got.stdout}`).not.toBe(0);
      for (const why of r.why) expect.soft(got.stderr, r.what).toMatch(why);
    }

    // Nothing of it happened.
    expect((await asOperator(['auth', 'can-i', 'get', 'secrets', '-n', 'kube-system'])).stdout.trim()).toBe(
      'no',
    );
    const jewels = await asOperator(['get', 'secret', 'crown-jewels', '-n', 'kube-system', '-o', 'name']);
    expect(jewels.code).not.toBe(0);
    expect(jewels.stderr).toMatch(/forbidden/);
    for (const [ns, name] of [
      ['kube-system', 'storeplane-operator'],
      ['store-frontend', 'storeplane-operator'],
      ['store-guarded', 'backdoor-sa'],
      ['store-guarded', 'backdoor-user'],
      ['store-guarded', 'backdoor-pair'],
      ['store-guarded', 'root'],
      ['store-guarded', 'reader'],
      ['store-guarded', 'reader-self'],
      ['store-guarded', 'reader-default'],
      ['kube-system', 'storeplane-api'],
      ['store-guarded', 'api-manager'],
    ] as const) {
      const rb = await c.kubectl(['get', 'rolebinding', name, '-n', ns, '-o', 'name']);
      expect(rb.stderr, `RoleBinding ${ns}/${name}`).toMatch(/NotFound/);
    }
    for (const [ns, name] of [
      ['storeplane-system', 'minted-api'],
      ['store-guarded', 'minted-default'],
    ] as const) {
      const minted = await c.kubectl(['get', 'secret', name, '-n', ns, '-o', 'name']);
      expect(minted.stderr, `Secret ${ns}/${name}`).toMatch(/NotFound/);
    }
    for (const ns of ['evil', 'store-x', 'store-y', 'store-z', 'store-w', 'store-v']) {
      expect((await c.kubectl(['get', 'namespace', ns, '-o', 'name'])).stderr, ns).toMatch(/NotFound/);
    }
    for (const ns of ['victim', 'store-frontend']) {
      const live = await c.core.readNamespace({ name: ns });
      expect(live.metadata?.deletionTimestamp, ns).toBeUndefined();
    }
    const guarded = await c.core.readNamespace({ name: 'store-guarded' });
    expect(guarded.metadata?.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'storeplane',
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
    expect((await c.core.readNamespace({ name: 'kube-system' })).metadata?.labels?.x).toBeUndefined();
    expect((await c.core.readNamespace({ name: 'store-frontend' })).metadata?.labels).not.toHaveProperty(
      'app.kubernetes.io/managed-by',
    );

    // The refusals are about what was asked, not blanket ones: what the operator really does passes
    // (server-side dry run: the same authorization and admission, nothing stored).
    const allowed: { what: string; args: string[]; stdin?: string }[] = [
      {
        what: 'bind storeplane-store-manager to itself in a store namespace',
        args: ['create', '--dry-run=server', '-f', '-'],
        stdin: roleBinding('store-guarded', 'storeplane-operator-2', storeManager, [operatorSubject]),
      },
      {
        what: "bind the API's store reader role to the API in a store namespace",
        args: ['create', '--dry-run=server', '-f', '-'],
        stdin: roleBinding('store-guarded', 'storeplane-api', apiStoreReader, [apiSubject]),
      },
      {
        what: 'create the namespace of a new store',
        args: ['create', '--dry-run=server', '-f', '-'],
        stdin: storeNamespace('new-shop'),
      },
      {
        what: "change a store namespace's annotations",
        args: ['annotate', '--dry-run=server', 'namespace', 'store-guarded', 'storeplane.dev/probe=1'],
      },
    ];
    // Nudging a store's ReplicaSets after a retry (an annotation patch) is granted in store namespaces.
    expect(
      (await asOperator(['auth', 'can-i', 'patch', 'replicasets.apps', '-n', 'store-guarded'])).stdout,
    ).toBe('yes\n');
    for (const a of allowed) {
      const got = await asOperator(a.args, a.stdin);
      expect.soft(got.stderr, a.what).toBe('');
      expect.soft(got.code, a.what).toBe(0);
    }

    // The policy binds the operator only: the cluster admin still labels kube-system.
    expect((await c.kubectl(['label', 'namespace', 'kube-system', 'storeplane.dev/probe=admin'])).code).toBe(
      0,
    );
    expect((await c.kubectl(['label', 'namespace', 'kube-system', 'storeplane.dev/probe-'])).code).toBe(0);
  });

  it('cannot touch what it does not own', async () => {
    const as = ['--as', 'system:serviceaccount:storeplane-system:storeplane-operator'];
    const checks: [string[], string][] = [
      [['auth', 'can-i', 'get', 'secrets', '-n', 'kube-system', ...as], 'no'],
      [['auth', 'can-i', 'create', 'deployments', '-n', 'default', ...as], 'no'],
      [['auth', 'can-i', 'create', 'clusterrolebindings', ...as], 'no'],
      [['auth', 'can-i', 'bind', 'clusterroles/cluster-admin', ...as], 'no'],
      [['auth', 'can-i', 'bind', 'clusterroles/storeplane-store-manager', ...as], 'yes'],
      [['auth', 'can-i', 'bind', 'clusterroles/storeplane-api-store-reader', ...as], 'yes'],
      [['auth', 'can-i', 'bind', 'clusterroles/storeplane-api', ...as], 'no'],
      [['auth', 'can-i', 'delete', 'nodes', ...as], 'no'],
      // The cluster-wide list/watch rules for workload metadata include no Secret.
      [['auth', 'can-i', 'list', 'secrets', '--all-namespaces', ...as], 'no'],
      [['auth', 'can-i', 'watch', 'secrets', '--all-namespaces', ...as], 'no'],
    ];
    for (const [args, want] of checks) {
      const r = await c.kubectl(args);
      expect(`${args.slice(2, 5).join(' ')}: ${r.stdout.trim()}`).toBe(
        `${args.slice(2, 5).join(' ')}: ${want}`,
      );
    }
  });
});

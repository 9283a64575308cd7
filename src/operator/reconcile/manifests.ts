import type { RawObject } from '../../kube/raw.ts';
import { engineDrivers, workloadServiceAccount } from '../../store/engines.ts';
import { annotations, labels, managedByValue, storeApiVersion, storeKind } from '../../store/keys.ts';
import { namespaceFor } from '../../store/naming.ts';
import type { PlanLimits } from '../../store/plans.ts';
import type { Store } from '../../store/schema.ts';

/**
 * The objects the operator owns in a store's namespace, as plain JSON (what the API server
 * stores: `from`, `default`, not client-node's renamed fields), applied server-side and compared
 * with the API server's dry-run for drift.
 */

/** Label values allow [A-Za-z0-9._-], at most 63 characters; owners may be e-mail addresses. */
export function labelValue(s: string): string {
  return s
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

export function storeLabels(store: Store): Record<string, string> {
  return {
    [labels.managedBy]: managedByValue,
    [labels.store]: store.metadata.name,
    [labels.owner]: labelValue(store.spec.owner),
    [labels.engine]: store.spec.engine,
  };
}

/** The Store as an owner: the namespace belongs to the Store with this UID, not to a name. */
export function storeOwnerReference(store: Store) {
  return {
    apiVersion: storeApiVersion,
    kind: storeKind,
    name: store.metadata.name,
    uid: store.metadata.uid ?? '',
    controller: true,
  };
}

export function namespaceManifest(store: Store): RawObject {
  const level = engineDrivers[store.spec.engine].podSecurity;
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: namespaceFor(store.metadata.name),
      labels: {
        ...storeLabels(store),
        'pod-security.kubernetes.io/enforce': level,
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/audit': 'restricted',
      },
      annotations: {
        [annotations.owner]: store.spec.owner,
        [annotations.displayName]: store.spec.displayName,
      },
      ...(store.metadata.uid ? { ownerReferences: [storeOwnerReference(store)] } : {}),
    },
  };
}

export interface GuardrailConfig {
  plan: PlanLimits;
  /** Namespaces whose pods may reach the store's web tier (the ingress controller). */
  ingressNamespaces: string[];
}

export interface OperatorBinding {
  clusterRole: string;
  serviceAccount: { name: string; namespace: string };
}

/**
 * A RoleBinding of a ClusterRole to a ServiceAccount in this store namespace, and nowhere else:
 * when the operator runs with a restricted identity, the one that gives it its store ClusterRole
 * (it comes right after the namespace, before the operator reads anything in it); others give,
 * say, the API what it reads here. Named after the ServiceAccount, so each has one binding per
 * store namespace (`storeplane-operator` for the operator's own, as before).
 */
export function operatorBindingManifest(store: Store, binding: OperatorBinding): RawObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: {
      name: binding.serviceAccount.name,
      namespace: namespaceFor(store.metadata.name),
      labels: storeLabels(store),
    },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: binding.clusterRole },
    subjects: [{ kind: 'ServiceAccount', ...binding.serviceAccount }],
  };
}

const dnsPorts = [
  { protocol: 'UDP', port: 53 },
  { protocol: 'TCP', port: 53 },
];

/** The label and port of cert-manager's HTTP-01 solver pods. */
const acmeSolverLabel = 'acme.cert-manager.io/http01-solver';
const acmeSolverPort = 8089;

/** Everything the store namespace gets before the engine is installed (DESIGN.md §6). */
export function guardrailManifests(store: Store, cfg: GuardrailConfig): RawObject[] {
  const namespace = namespaceFor(store.metadata.name);
  const meta = (name: string) => ({ name, namespace, labels: storeLabels(store) });
  const role = (r: string) => ({ matchLabels: { [labels.role]: r } });
  const dbPorts = engineDrivers[store.spec.engine].databasePorts.map((port) => ({ protocol: 'TCP', port }));
  const policy = (name: string, spec: Record<string, unknown>): RawObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(name),
    spec,
  });
  const ingressPeer = {
    namespaceSelector: {
      matchExpressions: [
        { key: 'kubernetes.io/metadata.name', operator: 'In', values: [...cfg.ingressNamespaces] },
      ],
    },
  };
  return [
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: meta('store-quota'),
      spec: { hard: { ...cfg.plan.quota } },
    },
    {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: meta('store-limits'),
      spec: {
        limits: [
          {
            type: 'Container',
            default: { ...cfg.plan.containerDefaults.limit },
            defaultRequest: { ...cfg.plan.containerDefaults.request },
            max: { ...cfg.plan.containerMax },
          },
        ],
      },
    },
    policy('default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    policy('allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: dnsPorts,
        },
      ],
    }),
    policy('allow-ingress-to-web', {
      podSelector: role('web'),
      policyTypes: ['Ingress'],
      ingress: [{ from: [ingressPeer] }],
    }),
    // The web tier reaches the database tier on the database's ports only.
    policy('allow-web-to-database', {
      podSelector: role('database'),
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: role('web') }], ports: dbPorts }],
    }),
    policy('allow-web-egress-to-database', {
      podSelector: role('web'),
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: role('database') }], ports: dbPorts }],
    }),
    // cert-manager proves a store's host to Let's Encrypt (HTTP-01) with a solver pod in the
    // store's namespace, reached through the ingress controller; default-deny would block it and
    // the certificate would never be issued. Nothing else carries this label.
    policy('allow-ingress-to-acme-solver', {
      podSelector: { matchLabels: { [acmeSolverLabel]: 'true' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [ingressPeer], ports: [{ protocol: 'TCP', port: acmeSolverPort }] }],
    }),
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: meta(workloadServiceAccount),
      automountServiceAccountToken: false,
    },
  ];
}

import type {
  KubernetesObject,
  V1LimitRange,
  V1Namespace,
  V1NetworkPolicy,
  V1ResourceQuota,
  V1RoleBinding,
  V1ServiceAccount,
} from '@kubernetes/client-node';
import { workloadServiceAccount } from '../../store/engines.ts';
import { namespaceFor } from '../../store/naming.ts';
import type { PlanLimits } from '../../store/plans.ts';
import type { Store } from '../../store/schema.ts';

export const managedBy = { 'app.kubernetes.io/managed-by': 'storeplane' };
export const storeLabel = 'storeplane.dev/store';
/** Pod label engine charts set so the guardrail policies can tell the tiers apart. */
export const roleLabel = 'storeplane.dev/role';

/** Label values allow [A-Za-z0-9._-], at most 63 characters; owners may be e-mail addresses. */
export function labelValue(s: string): string {
  return s
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

export function storeLabels(store: Store): Record<string, string> {
  return {
    ...managedBy,
    [storeLabel]: store.metadata.name,
    'storeplane.dev/owner': labelValue(store.spec.owner),
    'storeplane.dev/engine': store.spec.engine,
  };
}

/** Pod Security Admission level each engine's images allow (WordPress needs baseline). */
const podSecurity: Record<Store['spec']['engine'], 'restricted' | 'baseline'> = {
  medusa: 'restricted',
  woocommerce: 'baseline',
};

export function namespaceManifest(store: Store): V1Namespace {
  const level = podSecurity[store.spec.engine];
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
        'storeplane.dev/owner': store.spec.owner,
        'storeplane.dev/display-name': store.spec.displayName,
      },
    },
  };
}

export interface GuardrailConfig {
  plan: PlanLimits;
  /** Namespaces whose pods may reach the store's web tier (the ingress controller). */
  ingressNamespaces: string[];
  /** When the operator runs with a restricted identity: bind its store ClusterRole in the namespace. */
  operatorBinding?: { clusterRole: string; serviceAccount: { name: string; namespace: string } };
}

const dnsPorts = [
  { protocol: 'UDP', port: 53 },
  { protocol: 'TCP', port: 53 },
];

/** Everything the store namespace gets before the engine is installed (DESIGN.md §6). */
export function guardrailManifests(store: Store, cfg: GuardrailConfig): KubernetesObject[] {
  const namespace = namespaceFor(store.metadata.name);
  const meta = (name: string) => ({ name, namespace, labels: storeLabels(store) });
  const role = (r: string) => ({ matchLabels: { [roleLabel]: r } });
  const quota: V1ResourceQuota = {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: meta('store-quota'),
    spec: { hard: { ...cfg.plan.quota } },
  };
  const limits: V1LimitRange = {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: meta('store-limits'),
    spec: {
      limits: [
        {
          type: 'Container',
          _default: { ...cfg.plan.containerDefaults.limit },
          defaultRequest: { ...cfg.plan.containerDefaults.request },
          max: { ...cfg.plan.containerMax },
        },
      ],
    },
  };
  const policies: V1NetworkPolicy[] = [
    { metadata: meta('default-deny'), spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } },
    {
      metadata: meta('allow-dns'),
      spec: {
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
      },
    },
    {
      metadata: meta('allow-ingress-to-web'),
      spec: {
        podSelector: role('web'),
        policyTypes: ['Ingress'],
        ingress: [
          {
            _from: [
              {
                namespaceSelector: {
                  matchExpressions: [
                    {
                      key: 'kubernetes.io/metadata.name',
                      operator: 'In',
                      values: [...cfg.ingressNamespaces],
                    },
                  ],
                },
              },
            ],
          },
        ],
      },
    },
    {
      metadata: meta('allow-web-to-database'),
      spec: {
        podSelector: role('database'),
        policyTypes: ['Ingress'],
        ingress: [{ _from: [{ podSelector: role('web') }] }],
      },
    },
    {
      metadata: meta('allow-web-egress-to-database'),
      spec: {
        podSelector: role('web'),
        policyTypes: ['Egress'],
        egress: [{ to: [{ podSelector: role('database') }] }],
      },
    },
  ].map((p) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', ...p }));
  const sa: V1ServiceAccount = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: meta(workloadServiceAccount),
    automountServiceAccountToken: false,
  };
  const objects: KubernetesObject[] = [quota, limits, ...policies, sa];
  if (cfg.operatorBinding) {
    const rb: V1RoleBinding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta('storeplane-operator'),
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: cfg.operatorBinding.clusterRole,
      },
      subjects: [{ kind: 'ServiceAccount', ...cfg.operatorBinding.serviceAccount }],
    };
    objects.unshift(rb);
  }
  return objects;
}

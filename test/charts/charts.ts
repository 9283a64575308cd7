import { join } from 'node:path';
import { CoreV1Api, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import yaml from 'js-yaml';
import { guardrailManifests, namespaceManifest } from '../../src/operator/reconcile/manifests.ts';
import { defaultPlans } from '../../src/store/plans.ts';
import type { Engine, Plan, Store } from '../../src/store/schema.ts';
import { createAll } from '../../src/devcluster/kube.ts';
import { eventually } from '../cluster/testing.ts';

/** The engine charts under test, and what each one is expected to look like. */
export const repoRoot = join(import.meta.dirname, '..', '..');

export interface ChartUnderTest {
  engine: Engine;
  name: string;
  dir: string;
  /** Deployments/StatefulSets the chart always renders: component -> role label. */
  workloads: Record<string, 'web' | 'database'>;
  /** The post-install/post-upgrade hook Job. */
  hookJob: string;
  /** PersistentVolumeClaims of an installed release. */
  volumes: number;
}

export const charts: ChartUnderTest[] = [
  {
    engine: 'woocommerce',
    name: 'woocommerce-store',
    dir: join(repoRoot, 'charts', 'woocommerce-store'),
    workloads: { web: 'web', database: 'database' },
    hookJob: 'setup',
    volumes: 2, // uploads, database
  },
  {
    engine: 'medusa',
    name: 'medusa-store',
    dir: join(repoRoot, 'charts', 'medusa-store'),
    workloads: { server: 'web', storefront: 'web', database: 'database' },
    hookJob: 'seed',
    volumes: 1, // database
  },
];

/** The values sets every chart ships: chart defaults, local cluster, production. */
export const valueSets = { default: [], local: ['values-local.yaml'], prod: ['values-prod.yaml'] } as const;
export type ValueSet = keyof typeof valueSets;
export const plans: Plan[] = ['small', 'medium', 'large'];

export function valuesArgs(chart: ChartUnderTest, set: ValueSet): string[] {
  return valueSets[set].flatMap((f) => ['-f', join(chart.dir, f)]);
}

// --- Kubernetes objects, as far as the tests read them ---

export interface Resources {
  requests?: Record<string, string | number>;
  limits?: Record<string, string | number>;
}
export interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  privileged?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
  seccompProfile?: { type?: string };
}
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string };
    configMapKeyRef?: { name: string; key: string };
  };
}
export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  resources?: Resources;
  securityContext?: SecurityContext;
  startupProbe?: unknown;
  readinessProbe?: unknown;
  livenessProbe?: unknown;
  volumeMounts?: { name: string; mountPath: string }[];
  ports?: { name?: string; containerPort: number; protocol?: string }[];
}
export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  securityContext?: SecurityContext & { fsGroup?: number };
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  volumes?: { name: string; [k: string]: unknown }[];
  restartPolicy?: string;
}
export interface PodTemplate {
  metadata?: { labels?: Record<string, string> };
  spec: PodSpec;
}
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  stringData?: Record<string, string>;
}

export function parseManifests(text: string): K8sObject[] {
  return yaml.loadAll(text).filter((d): d is K8sObject => d !== null && typeof d === 'object');
}

/** A pod the release runs: where it comes from, how many at once, and whether it runs for ever. */
export interface PodInstance {
  source: string;
  labels: Record<string, string>;
  spec: PodSpec;
  replicas: number;
  longRunning: boolean;
  hook?: string;
}

export function podsOf(objects: K8sObject[]): PodInstance[] {
  const pods: PodInstance[] = [];
  for (const o of objects) {
    const source = `${o.kind}/${o.metadata.name}`;
    const hook = o.metadata.annotations?.['helm.sh/hook'];
    const spec = o.spec as Record<string, unknown> | undefined;
    if (o.kind === 'Deployment' || o.kind === 'StatefulSet') {
      const t = spec?.template as PodTemplate;
      pods.push({
        source,
        labels: t.metadata?.labels ?? {},
        spec: t.spec,
        replicas: Number(spec?.replicas ?? 1),
        longRunning: true,
        hook,
      });
    } else if (o.kind === 'Job') {
      const t = spec?.template as PodTemplate;
      pods.push({
        source,
        labels: t.metadata?.labels ?? {},
        spec: t.spec,
        replicas: Number(spec?.parallelism ?? 1),
        longRunning: false,
        hook,
      });
    } else if (o.kind === 'CronJob') {
      const job = (spec?.jobTemplate as { spec: { template: PodTemplate; parallelism?: number } }).spec;
      pods.push({
        source,
        labels: job.template.metadata?.labels ?? {},
        spec: job.template.spec,
        replicas: Number(job.parallelism ?? 1),
        longRunning: false,
        hook,
      });
    } else if (o.kind === 'Pod') {
      pods.push({
        source,
        labels: o.metadata.labels ?? {},
        spec: o.spec as unknown as PodSpec,
        replicas: 1,
        longRunning: false,
        hook,
      });
    }
  }
  return pods;
}

/** A Kubernetes quantity as a number (CPU in cores, memory and storage in bytes). */
export function parseQuantity(q: string | number): number {
  if (typeof q === 'number') return q;
  const m = /^([0-9]+(?:\.[0-9]+)?)(m|k|Ki|M|Mi|G|Gi|T|Ti)?$/.exec(q);
  if (!m) throw new Error(`not a quantity: ${q}`);
  const factor: Record<string, number> = {
    '': 1,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
  };
  return Number(m[1]) * (factor[m[2] ?? ''] ?? NaN);
}

export const resourceKeys = [
  ['requests', 'cpu'],
  ['requests', 'memory'],
  ['limits', 'cpu'],
  ['limits', 'memory'],
] as const;
export type ResourceTotals = Record<
  'requests.cpu' | 'requests.memory' | 'limits.cpu' | 'limits.memory',
  number
>;

/**
 * What a pod counts against a ResourceQuota: per resource, the larger of the sum over its
 * containers and the largest init container (init containers run one at a time, before).
 */
export function podTotals(spec: PodSpec): ResourceTotals {
  const totals = {} as ResourceTotals;
  for (const [kind, resource] of resourceKeys) {
    const of = (c: Container) => {
      const v = c.resources?.[kind]?.[resource];
      if (v === undefined) throw new Error(`container ${c.name} has no ${kind}.${resource}`);
      return parseQuantity(v);
    };
    const sum = spec.containers.reduce((acc, c) => acc + of(c), 0);
    const init = Math.max(0, ...(spec.initContainers ?? []).map(of));
    totals[`${kind}.${resource}`] = Math.max(sum, init);
  }
  return totals;
}

export function allContainers(spec: PodSpec): Container[] {
  return [...(spec.initContainers ?? []), ...spec.containers];
}

/** An image reference is pinned when it has a digest, or a tag other than latest. */
export function isPinned(image: string): boolean {
  if (/@sha256:[a-f0-9]{64}$/.test(image)) return true;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  if (colon < 0) return false;
  const tag = lastSegment.slice(colon + 1);
  return tag !== '' && tag !== 'latest';
}

/**
 * A store namespace as the operator prepares it (src/operator/reconcile/manifests.ts): Pod
 * Security labels, ResourceQuota and LimitRange of the plan, default-deny NetworkPolicies, the
 * workload ServiceAccount. Waits until the quota is in force. Returns the namespace name.
 */
export async function storeNamespace(
  kc: KubeConfig,
  chart: ChartUnderTest,
  storeName: string,
  opts: { plan?: Plan; enforce?: 'restricted' | 'baseline' } = {},
): Promise<string> {
  const plan = opts.plan ?? 'small';
  const store = {
    apiVersion: 'storeplane.dev/v1alpha1',
    kind: 'Store',
    metadata: { name: storeName },
    spec: { engine: chart.engine, displayName: `Store ${storeName}`, owner: 'alice@example.com', plan },
  } as Store;
  const ns = namespaceManifest(store);
  const labels = ns.metadata?.labels ?? {};
  if (opts.enforce) labels['pod-security.kubernetes.io/enforce'] = opts.enforce;
  const namespace = ns.metadata?.name ?? '';
  await createAll(kc, [
    ns,
    ...guardrailManifests(store, { plan: defaultPlans[plan], ingressNamespaces: ['ingress-nginx'] }),
  ] as KubernetesObject[]);
  const core = kc.makeApiClient(CoreV1Api);
  await eventually('the quota status', async () => {
    const q = await core.readNamespacedResourceQuota({ name: 'store-quota', namespace });
    return q.status?.hard ? q : undefined;
  });
  return namespace;
}

import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { pino } from 'pino';
import { ensureBinaries } from '../devcluster/binaries.ts';
import { makeClients } from '../kube/clients.ts';
import { loadKubeConfig } from '../kube/context.ts';
import { defaultOperatorConfig, type OperatorConfig } from '../operator/config.ts';
import { startOperator } from '../operator/operator.ts';
import type { OperatorBinding as StoreRoleBinding } from '../operator/reconcile/manifests.ts';
import { installStoreCrd } from '../store/install-crd.ts';
import { mergePlanOverrides } from '../store/plan-overrides.ts';
import { engines, type Engine } from '../store/schema.ts';
import { layerValues, parseEnvironmentValues } from '../store/values-layers.ts';

export interface OperatorFlags {
  kubeconfig?: string;
  namespace?: string;
  concurrency?: string;
  'deadline-seconds'?: string;
  'retry-budget'?: string;
  'retry-window-seconds'?: string;
  'resync-seconds'?: string;
  'metrics-port'?: string;
  'metrics-bind-address'?: string;
  'override-manager'?: string[];
  chart?: string[];
  'chart-values'?: string[];
  'base-domain'?: string;
  'ingress-namespace'?: string[];
  tls?: boolean;
  helm?: string;
  identity?: string;
  plans?: string;
  /** Repeatable: one `<clusterRole>:<namespace>/<serviceAccount>` per binding. */
  'store-role-binding'?: string | string[];
  'skip-crd-install'?: boolean;
}

function positiveInt(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${name} takes a whole number of at least ${min} (got "${value}")`);
  return n;
}

export { UsageError } from './usage-error.ts';
import { UsageError } from './usage-error.ts';
import { reportIfStillRunning } from './slow-exit.ts';

/** `<engine>=<path>`, with a known engine, or a usage error naming the flag. */
function engineAndPath(flag: string, spec: string): [Engine, string] {
  const at = spec.indexOf('=');
  const engine = at > 0 ? spec.slice(0, at) : '';
  const path = at > 0 ? spec.slice(at + 1) : '';
  if (!engine || !path || !(engines as readonly string[]).includes(engine)) {
    throw new UsageError(
      `${flag} takes <engine>=<path> with engine one of ${engines.join(', ')} (got "${spec}")`,
    );
  }
  return [engine as Engine, path];
}

/**
 * `--store-role-binding <clusterRole>:<namespace>/<serviceAccount>`, given any number of times, in
 * order. Each becomes a RoleBinding named after its ServiceAccount in every store namespace, so
 * two for ServiceAccounts of one name are refused (put the rules in one ClusterRole instead).
 */
function storeRoleBindingsFrom(flag: string | string[] | undefined): StoreRoleBinding[] {
  const bindings: StoreRoleBinding[] = [];
  for (const rb of flag === undefined ? [] : Array.isArray(flag) ? flag : [flag]) {
    const m = /^([a-z0-9.:-]+):([a-z0-9-]+)\/([a-z0-9.-]+)$/.exec(rb);
    if (!m)
      throw new UsageError(
        `--store-role-binding takes <clusterRole>:<namespace>/<serviceAccount> (got "${rb}")`,
      );
    const binding = {
      clusterRole: m[1] as string,
      serviceAccount: { namespace: m[2] as string, name: m[3] as string },
    };
    const same = bindings.find((b) => b.serviceAccount.name === binding.serviceAccount.name);
    if (same)
      throw new UsageError(
        `--store-role-binding ${rb}: ServiceAccount ${binding.serviceAccount.name} already has one ` +
          `(${same.clusterRole}:${same.serviceAccount.namespace}/${same.serviceAccount.name}); the ` +
          'RoleBinding in each store namespace is named after it, so give it one ClusterRole holding every rule',
      );
    bindings.push(binding);
  }
  return bindings;
}

/** Operator configuration from command-line flags; every bad value is a clear error. */
export function operatorConfigFromFlags(f: OperatorFlags): OperatorConfig {
  const charts: Partial<Record<Engine, string>> = {};
  for (const spec of f.chart ?? []) {
    const [engine, path] = engineAndPath('--chart', spec);
    if (!existsSync(join(path, 'Chart.yaml')))
      throw new UsageError(`--chart ${engine}: no Chart.yaml in ${path}`);
    charts[engine] = resolve(path);
  }
  const chartValues: OperatorConfig['chartValues'] = {};
  for (const spec of f['chart-values'] ?? []) {
    const [engine, file] = engineAndPath('--chart-values', spec);
    if (!existsSync(file)) throw new UsageError(`--chart-values ${engine}: no such file ${file}`);
    try {
      // Given again for the same engine: layered over the earlier ones (say, the engine chart's
      // values-prod.yaml, then this installation's own).
      const values = parseEnvironmentValues(readFileSync(file, 'utf8'), file);
      chartValues[engine] = layerValues(chartValues[engine] ?? {}, values);
    } catch (err) {
      throw new UsageError(`--chart-values ${engine}: ${(err as Error).message}`);
    }
  }
  const d = defaultOperatorConfig;
  let planLimits = d.plans;
  if (f.plans) {
    try {
      planLimits = mergePlanOverrides(readFileSync(f.plans, 'utf8'));
    } catch (err) {
      throw new UsageError(`--plans ${f.plans}: ${(err as Error).message}`);
    }
  }
  const storeRoleBindings = storeRoleBindingsFrom(f['store-role-binding']);
  return {
    ...d,
    ...(storeRoleBindings.length ? { storeRoleBindings } : {}),
    namespace: f.namespace ?? d.namespace,
    concurrency: positiveInt('concurrency', f.concurrency, d.concurrency),
    provisioningDeadlineMs:
      positiveInt('deadline-seconds', f['deadline-seconds'], d.provisioningDeadlineMs / 1000) * 1000,
    retryBudget: positiveInt('retry-budget', f['retry-budget'], d.retryBudget),
    retryWindowMs:
      positiveInt('retry-window-seconds', f['retry-window-seconds'], d.retryWindowMs / 1000, 0) * 1000,
    foreignManagers: [
      ...d.foreignManagers,
      ...(f['override-manager'] ?? []).map((m) => {
        if (!/^[\x21-\x7e]{1,128}$/.test(m))
          throw new UsageError(`--override-manager takes a field manager name (got "${m}")`);
        return { prefix: m };
      }),
    ],
    resyncMs: positiveInt('resync-seconds', f['resync-seconds'], d.resyncMs / 1000) * 1000,
    charts,
    chartValues,
    plans: planLimits,
    expose: { ...d.expose, baseDomain: f['base-domain'] ?? d.expose.baseDomain, tls: f.tls ?? d.expose.tls },
    ingressNamespaces: ingressNamespacesFrom(f['ingress-namespace']) ?? d.ingressNamespaces,
  };
}

/** --ingress-namespace, repeatable: where the ingress controller runs (its pods reach stores' web pods). */
function ingressNamespacesFrom(given: string[] | undefined): string[] | undefined {
  if (!given?.length) return undefined;
  for (const ns of given)
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(ns))
      throw new UsageError(`--ingress-namespace takes a namespace name (got "${ns}")`);
  return [...new Set(given)];
}

function onPath(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, binary))) return join(dir, binary);
  }
  return undefined;
}

/** helm from --helm, STOREPLANE_HELM, PATH, or the simulated cluster's build (v4). */
export async function findHelm(explicit?: string): Promise<string> {
  const chosen = explicit ?? process.env.STOREPLANE_HELM ?? onPath('helm');
  return chosen ?? (await ensureBinaries()).helm;
}

/** `--metrics-bind-address host:port`, or `--metrics-port P` for 127.0.0.1:P; undefined: no server. */
export function metricsAddress(f: OperatorFlags): { host: string; port: number } | undefined {
  const bind = f['metrics-bind-address'];
  if (bind !== undefined) {
    const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]*):(\d{1,5})$/.exec(bind);
    const port = Number(m?.[2]);
    if (!m || port > 65535)
      throw new UsageError(
        `--metrics-bind-address takes host:port, e.g. 0.0.0.0:8080 or :8080 (got "${bind}")`,
      );
    return { host: (m[1] || '0.0.0.0').replace(/^\[|\]$/g, ''), port };
  }
  if (f['metrics-port'] === undefined) return undefined;
  return { host: '127.0.0.1', port: positiveInt('metrics-port', f['metrics-port'], 0, 0) };
}

/** Installs or updates the Store CRD and returns once the API server serves Stores. */
export async function ensureStoreCrd(kc: KubeConfig): Promise<void> {
  const clients = await makeClients(kc);
  try {
    await installStoreCrd(clients);
  } finally {
    clients.close();
  }
}

/** Installs the CRD and runs the operator in the foreground until SIGTERM/SIGINT. */
export async function runOperator(f: OperatorFlags, kubeconfigPath?: string): Promise<number> {
  const config = operatorConfigFromFlags(f);
  const kc = loadKubeConfig(kubeconfigPath ?? f.kubeconfig);
  const log = pino(
    { name: 'storeplane-operator', level: process.env.LOG_LEVEL ?? 'info' },
    pino.destination(2),
  );
  const helmBinary = await findHelm(f.helm);
  if (!f['skip-crd-install']) await ensureStoreCrd(kc);
  const kubeconfigEnv = kubeconfigPath ?? f.kubeconfig ?? process.env.KUBECONFIG;
  const op = await startOperator({
    kc,
    config,
    helmBinary,
    log,
    metricsAddress: metricsAddress(f),
    identity: f.identity,
    helmEnv: kubeconfigEnv ? { KUBECONFIG: kubeconfigEnv } : {},
  });
  log.info(
    { concurrency: config.concurrency, metricsPort: op.metricsPort(), helm: helmBinary },
    'operator started',
  );
  const stop = () => void op.shutdown();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  const { reason } = await op.done;
  log.info({ reason }, 'operator stopped');
  reportIfStillRunning(log);
  return reason === 'shutdown' ? 0 : 1;
}

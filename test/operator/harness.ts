import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { down, up } from '../../src/devcluster/cluster.ts';
import { kubeConfigFrom } from '../../src/devcluster/kube.ts';
import type { Store } from '../../src/store/schema.ts';
import { runTool } from '../cluster/testing.ts';

const root = join(import.meta.dirname, '..', '..');
export const standInChart = join(root, 'test', 'fixtures', 'store-chart');

/**
 * A cluster of its own for a test file that creates Stores, so operators of different files never
 * see each other's stores. Starting one takes a few seconds.
 */
export async function privateCluster(
  nodes: { count?: number; cpu?: string; memory?: string; pods?: number } = {},
) {
  const dataDir = join(await mkdtemp(join(tmpdir(), 'storeplane-optest-')), 'cluster');
  const result = await up({ dataDir, nodes });
  return clusterHandle({ dataDir, kubeconfig: result.state.kubeconfig, binDir: result.state.binDir });
}

/** Clients and tools for a running local cluster (one of privateCluster's, or a shared one). */
export function clusterHandle(c: { dataDir: string; kubeconfig: string; binDir: string }) {
  const kc = kubeConfigFrom(c.kubeconfig);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const core = kc.makeApiClient(CoreV1Api);
  const tool = (binary: string) => (args: string[], stdin?: string) =>
    run(join(c.binDir, binary), args, c.kubeconfig, stdin);
  return {
    dataDir: c.dataDir,
    kubeconfig: c.kubeconfig,
    binDir: c.binDir,
    kc,
    core,
    custom,
    kubectl: tool('kubectl'),
    helm: tool('helm'),
    stop: () => down(c.dataDir),
    getStore: async (name: string) =>
      (await custom.getClusterCustomObject({
        group: 'storeplane.dev',
        version: 'v1alpha1',
        plural: 'stores',
        name,
      })) as Store,
  };
}

export type PrivateCluster = ReturnType<typeof clusterHandle>;

/**
 * A kubeconfig (written into the cluster's data dir) that authenticates with a token of one
 * ServiceAccount, nothing more: what that ServiceAccount's RBAC allows, not impersonation.
 */
export async function serviceAccountKubeconfig(
  c: PrivateCluster,
  namespace: string,
  name: string,
): Promise<string> {
  const token = await c.core.createNamespacedServiceAccountToken({
    name,
    namespace,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const admin = JSON.parse(await readFile(c.kubeconfig, 'utf8'));
  admin.users[0].user = { token: token.status?.token };
  const file = join(c.dataDir, `${namespace}.${name}.kubeconfig`);
  await writeFile(file, JSON.stringify(admin), { mode: 0o600 });
  return file;
}

/** A tool run against a private cluster; see runTool. */
export const run = runTool;

export function storeYaml(
  name: string,
  spec: { engine?: string; plan?: string; owner?: string; displayName?: string; version?: string } = {},
): string {
  return JSON.stringify({
    apiVersion: 'storeplane.dev/v1alpha1',
    kind: 'Store',
    metadata: { name },
    spec: {
      engine: 'woocommerce',
      displayName: `Store ${name}`,
      owner: 'alice@example.com',
      plan: 'small',
      ...spec,
    },
  });
}

/** The operator as a real child process (`storeplane operator`), so tests can SIGKILL it. */
export class OperatorProcess {
  private static started = 0;
  child?: ChildProcess;
  private logFile = '';
  exited?: Promise<number | null>;

  constructor(
    private readonly cluster: PrivateCluster,
    private readonly args: string[] = [],
    private readonly env: Record<string, string> = {},
  ) {}

  async start(): Promise<void> {
    OperatorProcess.started += 1;
    this.logFile = join(this.cluster.dataDir, `operator-${OperatorProcess.started}.log`);
    const { openSync } = await import('node:fs');
    const fd = openSync(this.logFile, 'a');
    this.child = spawn(
      process.execPath,
      [
        // STOREPLANE_OPERATOR_JS=dist/cli/main.js runs the compiled operator (npm run build).
        ...(process.env.STOREPLANE_OPERATOR_JS
          ? [join(root, process.env.STOREPLANE_OPERATOR_JS)]
          : ['--import', 'tsx', join(root, 'src/cli/main.ts')]),
        'operator',
        '--kubeconfig',
        this.cluster.kubeconfig,
        '--helm',
        join(this.cluster.binDir, 'helm'),
        ...this.args,
      ],
      // Its own process group, so a test can kill it together with its helm children, as a
      // container runtime does when a pod is killed.
      {
        cwd: root,
        stdio: ['ignore', fd, fd],
        env: { ...process.env, LOG_LEVEL: 'info', ...this.env },
        detached: true,
      },
    );
    this.exited = new Promise((r) => this.child?.on('exit', (code) => r(code)));
    await this.waitForLog(/operator started/, 30_000);
  }

  async logs(): Promise<string> {
    return this.logFile ? readFile(this.logFile, 'utf8').catch(() => '') : '';
  }

  async waitForLog(pattern: RegExp, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (pattern.test(await this.logs())) return;
      if (this.child?.exitCode !== null && this.child?.exitCode !== undefined)
        throw new Error(`operator exited (${this.child.exitCode}):\n${await this.logs()}`);
      await sleep(200);
    }
    throw new Error(`operator log never matched ${pattern}:\n${(await this.logs()).slice(-3000)}`);
  }

  /** SIGKILL the operator and every helm it started, with no chance to clean up. */
  async crash(): Promise<void> {
    if (!this.child?.pid || this.child.exitCode !== null) return;
    process.kill(-this.child.pid, 'SIGKILL');
    await this.exited;
  }

  /**
   * Stops the operator and waits for it. One that has not exited after `graceMs` is reported and
   * killed with its process group, so a slow shutdown shows up in the log instead of hanging the
   * suite's cleanup.
   */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 60_000): Promise<number | null> {
    if (!this.child?.pid || this.child.exitCode !== null || this.child.signalCode !== null)
      return this.child?.exitCode ?? null;
    this.child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), graceMs)));
    const result = await Promise.race([this.exited, late]);
    clearTimeout(timer);
    if (result !== 'late') return result ?? null;
    process.stderr.write(
      `[operator harness] operator still running ${graceMs / 1000}s after ${signal}; killing it\n${(await this.logs()).slice(-2000)}\n`,
    );
    process.kill(-this.child.pid, 'SIGKILL');
    return (await this.exited) ?? null;
  }
}

/** Polls a store until `check` passes; the error names the last status seen. */
export async function waitForStore(
  c: PrivateCluster,
  name: string,
  check: (s: Store) => boolean,
  timeoutMs = 120_000,
  what = 'condition',
): Promise<Store> {
  const deadline = Date.now() + timeoutMs;
  let last: Store | undefined;
  while (Date.now() < deadline) {
    try {
      last = await c.getStore(name);
      if (check(last)) return last;
    } catch {
      // not there yet
    }
    await sleep(300);
  }
  throw new Error(
    `store ${name} never reached ${what}; last status: ${JSON.stringify(last?.status, null, 1)?.slice(0, 3000)}`,
  );
}

export const isReady = (s: Store) =>
  s.status?.phase === 'Ready' && s.status.observedGeneration === s.metadata.generation;

export type { KubeConfig };

/** Events about a store (reasons and messages, oldest first). */
export async function storeEvents(
  c: PrivateCluster,
  name: string,
): Promise<{ reason: string; message: string; type: string }[]> {
  const r = await c.kubectl([
    'get',
    'events',
    '-n',
    'default',
    '--field-selector',
    `involvedObject.name=${name},involvedObject.kind=Store`,
    '-o',
    'json',
  ]);
  const items = (
    JSON.parse(r.stdout || '{"items":[]}') as {
      items: { reason: string; message: string; type: string; metadata: { creationTimestamp: string } }[];
    }
  ).items;
  return items
    .sort((a, b) => a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp))
    .map(({ reason, message, type }) => ({ reason, message, type }));
}

/** `helm history` of a store's release. */
export async function helmHistory(
  c: PrivateCluster,
  name: string,
): Promise<{ revision: number; status: string; description: string }[]> {
  const r = await c.helm(['history', name, '-n', `store-${name}`, '-o', 'json']);
  return JSON.parse(r.stdout || '[]') as { revision: number; status: string; description: string }[];
}

export const condition = (s: Store, type: string) => s.status?.conditions?.find((x) => x.type === type);
export const isStalled = (s: Store) => condition(s, 'Stalled')?.status === 'True';

/** Polls `read` until `ok` holds; the error shows the last value read. */
export async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (ok(last)) return last;
    } catch {
      // not there yet
    }
    await sleep(300);
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)?.slice(0, 2000)}`);
}

/**
 * The sum of a Prometheus metric's series, read from `/metrics` on the local port, over the
 * series whose labels contain every one of `match` (all series when none is given).
 */
export async function metricSum(port: number, name: string, ...match: string[]): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .filter((l) => match.every((m) => l.includes(m)))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

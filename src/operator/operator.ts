import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import { promisify } from 'node:util';
import type { KubeConfig, KubernetesObject, V1Namespace } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { createHelmRunner } from '../helm/runner.ts';
import { isConflict, type KubeClients, makeClients, readOptional } from '../kube/clients.ts';
import { EventRecorder } from '../kube/events.ts';
import { type Store, storeGroup, storePlural, storeVersion } from '../store/schema.ts';
import { jittered } from './backoff.ts';
import type { OperatorConfig } from './config.ts';
import { resilientInformer } from './informers.ts';
import { defaultLeaderElection, LeaderElector } from './leader.ts';
import { createMetrics } from './metrics.ts';
import { WorkQueue } from './queue.ts';
import type { OperatorDeps } from './reconcile/context.ts';
import { storeLabel } from './reconcile/manifests.ts';
import { reconcileStore } from './reconcile/store.ts';

export interface OperatorOptions {
  kc: KubeConfig;
  config: OperatorConfig;
  helmBinary: string;
  log: Logger;
  metricsPort?: number;
  identity?: string;
  /** Environment for helm (KUBECONFIG etc.). */
  helmEnv?: Record<string, string>;
}

export interface RunningOperator {
  /** Resolves when the operator has stopped (SIGTERM, or leadership lost). */
  done: Promise<{ reason: 'shutdown' | 'lost-leadership' }>;
  shutdown(): Promise<void>;
  metricsPort(): number | undefined;
}

async function helmMajorVersion(binary: string): Promise<number> {
  const { stdout } = await promisify(execFile)(binary, ['version', '--template', '{{.Version}}']);
  const major = Number(/^v(\d+)\./.exec(stdout.trim())?.[1]);
  if (!(major >= 3)) throw new Error(`unsupported helm version ${stdout.trim()} (need v3.14+ or v4)`);
  return major;
}

/**
 * Creates the operator's namespace only where it is missing (a development cluster). An installed
 * operator finds it made by the installer and must not write it: the admission policy of
 * deploy/rbac/operator.yaml refuses the operator any change to its own namespace.
 */
async function ensureOwnNamespace(clients: KubeClients, name: string): Promise<void> {
  if (await readOptional(() => clients.core.readNamespace({ name }))) return;
  await clients.core.createNamespace({ body: { metadata: { name } } }).catch((err: unknown) => {
    // Another replica starting at the same time made it first.
    if (!isConflict(err)) throw err;
  });
}

/**
 * The operator process: informers on Stores and store namespaces, a keyed work queue, and Lease
 * leader election. Standbys keep warm caches; only the leader reconciles.
 */
export async function startOperator(opts: OperatorOptions): Promise<RunningOperator> {
  const { kc, config, log } = opts;
  const clients = makeClients(kc);
  const identity = opts.identity ?? `${hostname()}-${process.pid}`;
  await ensureOwnNamespace(clients, config.namespace);

  const storePath = `/apis/${storeGroup}/${storeVersion}/${storePlural}`;
  const stores = resilientInformer<KubernetesObject>(
    kc,
    storePath,
    () =>
      clients.custom.listClusterCustomObject({
        group: storeGroup,
        version: storeVersion,
        plural: storePlural,
      }) as never,
    log,
  );
  const namespaces = resilientInformer<V1Namespace>(
    kc,
    '/api/v1/namespaces',
    () => clients.core.listNamespace({ labelSelector: 'app.kubernetes.io/managed-by=storeplane' }),
    log,
    'app.kubernetes.io/managed-by=storeplane',
  );

  const metrics = createMetrics(() => stores.list() as unknown as Store[]);
  const helm = createHelmRunner({
    binary: opts.helmBinary,
    env: opts.helmEnv,
    onFinish: (args, r) =>
      metrics.helmSeconds.observe(
        { action: args[0] ?? 'unknown', outcome: r.ok ? 'ok' : 'error' },
        r.durationMs / 1000,
      ),
  });
  const deps: OperatorDeps = {
    clients,
    helm,
    helmMajor: await helmMajorVersion(opts.helmBinary),
    config,
    recorder: new EventRecorder(clients.core, 'storeplane-operator', identity),
    metrics,
    log,
    now: () => new Date(),
  };

  const queue = new WorkQueue((key, signal) => reconcileStore(deps, key, signal), {
    concurrency: config.concurrency,
    onError: (key, err) =>
      log.error(
        { store: key, err: err instanceof Error ? err.message : String(err) },
        'reconcile failed; backing off',
      ),
    onDepthChange: (d) => metrics.queueDepth.set(d),
  });
  const enqueue = (s: { metadata?: { name?: string } }) => s.metadata?.name && queue.add(s.metadata.name);
  stores.on('add', enqueue);
  stores.on('update', enqueue);
  namespaces.on('update', (ns) => {
    const store = ns.metadata?.labels?.[storeLabel];
    if (store) queue.add(store);
  });
  namespaces.on('delete', (ns) => {
    const store = ns.metadata?.labels?.[storeLabel];
    if (store) queue.add(store);
  });

  // Periodic resync: watches can miss events; every store is looked at again now and then.
  const resync = setInterval(() => {
    for (const s of stores.list()) enqueue(s);
  }, jittered(config.resyncMs));
  resync.unref();

  let resolveDone: (v: { reason: 'shutdown' | 'lost-leadership' }) => void = () => {};
  const done = new Promise<{ reason: 'shutdown' | 'lost-leadership' }>((r) => {
    resolveDone = r;
  });
  let stopping = false;
  const stopAll = async (reason: 'shutdown' | 'lost-leadership') => {
    if (stopping) return;
    stopping = true;
    clearInterval(resync);
    await queue.shutdown();
    await helm.terminateAll();
    await elector.release();
    await stores.stopForGood();
    await namespaces.stopForGood();
    server?.close();
    resolveDone({ reason });
  };

  const elector = new LeaderElector(
    clients.coordination,
    { namespace: config.namespace, name: 'storeplane-operator', identity, ...defaultLeaderElection },
    {
      onStartedLeading: () => {
        log.info({ identity }, 'became leader; reconciling');
        metrics.isLeader.set(1);
        queue.start();
        for (const s of stores.list()) enqueue(s);
      },
      onStoppedLeading: () => {
        log.error({ identity }, 'lost leadership; stopping at once');
        metrics.isLeader.set(0);
        void stopAll('lost-leadership');
      },
    },
  );

  await stores.start();
  await namespaces.start();
  void elector.run();

  let server: Server | undefined;
  if (opts.metricsPort !== undefined) {
    server = createServer((req, res) => {
      if (req.url === '/metrics') {
        metrics.queueDepth.set(queue.depth());
        metrics.helmRunning.set(helm.running());
        void metrics.registry.metrics().then((body) => {
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(body);
        });
      } else if (req.url === '/healthz' || req.url === '/readyz') {
        res.writeHead(200).end('ok');
      } else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server?.listen(opts.metricsPort, '127.0.0.1', r));
  }

  return {
    done,
    shutdown: () => stopAll('shutdown'),
    metricsPort: () => {
      const a = server?.address();
      return a && typeof a === 'object' ? a.port : undefined;
    },
  };
}

import { execFile } from 'node:child_process';
import { hostname } from 'node:os';
import { promisify } from 'node:util';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { createHelmRunner } from '../helm/runner.ts';
import { agentFor, makeClients } from '../kube/clients.ts';
import { EventRecorder } from '../kube/events.ts';
import { resilientInformer } from '../kube/informer.ts';
import type { RawObject } from '../kube/raw.ts';
import { type WatchEventType, watchMetadata } from '../kube/watch.ts';
import { labels, managedByValue, storeResource } from '../store/keys.ts';
import type { Store } from '../store/schema.ts';
import { jittered } from './backoff.ts';
import { loadEngineCharts } from './charts.ts';
import type { OperatorConfig } from './config.ts';
import { defaultLeaderElection, LeaderElector } from './leader.ts';
import { DriftMemory } from './drift-memory.ts';
import { createMetrics } from './metrics.ts';
import { type HealthServer, startHealthServer } from './health.ts';
import { WorkQueue } from './queue.ts';
import type { OperatorDeps } from './reconcile/context.ts';
import { ShutdownError } from './release/apply.ts';
import { reconcileStore } from './reconcile/store.ts';
import { StoreChangeFilter } from './triggers.ts';
import { WakeFilter, type WakingKind, wakingKinds } from './wakes.ts';

export interface OperatorOptions {
  kc: KubeConfig;
  config: OperatorConfig;
  helmBinary: string;
  log: Logger;
  /** host:port for /metrics, /healthz and /readyz (port 0: any free port). */
  metricsAddress?: { host: string; port: number };
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
 * The operator process: a Store informer, metadata-only watches that wake a store when its
 * workloads change, a keyed work queue, and Lease leader election. Standbys keep warm caches;
 * only the leader reconciles.
 */
export async function startOperator(opts: OperatorOptions): Promise<RunningOperator> {
  const { kc, config, log } = opts;
  const charts = loadEngineCharts(config.charts);
  // The metrics exist before the clients, which count their requests into them.
  let storesForMetrics: () => Store[] = () => [];
  const metrics = createMetrics(() => storesForMetrics());
  const onRequest = (verb: string, resource: string, dryRun: boolean) =>
    metrics.kubeRequests.inc({ verb, resource, dry_run: String(dryRun) });
  const clients = await makeClients(kc, { timeoutMs: config.apiTimeoutMs, onRequest });
  const { renewDeadlineSeconds } = defaultLeaderElection;
  // Lease calls must give up well before the renew deadline.
  const leaseClients = await makeClients(kc, {
    timeoutMs: Math.min(5000, (renewDeadlineSeconds * 1000) / 2),
    onRequest,
  });
  const identity = opts.identity ?? `${hostname()}-${process.pid}`;
  await ensureOwnNamespace(clients, config.namespace);

  const storePath = `/apis/${storeResource.group}/${storeResource.version}/${storeResource.plural}`;
  const stores = resilientInformer<KubernetesObject>(
    kc,
    storePath,
    () => clients.custom.listClusterCustomObject(storeResource) as never,
    log,
  );

  storesForMetrics = () => stores.list() as unknown as Store[];
  const driftMemory = new DriftMemory();
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
    charts,
    driftMemory,
    recorder: new EventRecorder(clients.core, 'storeplane-operator', identity),
    metrics,
    log,
    now: () => new Date(),
    // A running helm notices its store's deletion here, without asking the API server.
    cachedStore: (name) => stores.get(name) as unknown as Store | undefined,
  };
  for (const c of Object.values(charts))
    log.info(
      { engine: c.engine, chart: c.path, version: c.version, content: c.contentDigest },
      'engine chart',
    );

  const queue = new WorkQueue(
    async (key, signal) => {
      const end = metrics.reconcileSeconds.startTimer();
      try {
        const r = await reconcileStore(deps, key, signal);
        end({ result: 'ok' });
        return r;
      } catch (err) {
        end({ result: 'error' });
        throw err;
      }
    },
    {
      concurrency: config.concurrency,
      onError: (key, err) => {
        // Stopped on purpose: the next leader picks the store up.
        if (err instanceof ShutdownError || stopping) return;
        log.error(
          { store: key, err: err instanceof Error ? err.message : String(err) },
          'reconcile failed; backing off',
        );
      },
      onDepthChange: (d) => metrics.queueDepth.set(d),
    },
  );
  const enqueue = (s: { metadata?: { name?: string } }) => s.metadata?.name && queue.add(s.metadata.name);
  // Our own status writes never wake a store: only what a person or another controller changed.
  const changes = new StoreChangeFilter();
  stores.on('add', (s: KubernetesObject) => {
    changes.added(s as Store);
    enqueue(s);
  });
  stores.on('update', (s: KubernetesObject) => {
    if (changes.updated(s as Store)) enqueue(s);
  });
  stores.on('delete', (s: KubernetesObject) => {
    changes.deleted(s as Store);
    driftMemory.forget(s.metadata?.uid ?? s.metadata?.name ?? '');
    enqueue(s);
  });

  // Wake the store whose namespace saw a change (its workloads, or the namespace itself).
  const wakes = new WakeFilter();
  const wake = (kind: WakingKind) => (type: WatchEventType, obj: RawObject) => {
    const w = wakes.decide(kind, type, obj);
    const store = w.store && stores.get(w.store) ? w.store : undefined;
    metrics.wakes.inc({ kind, outcome: store ? 'woke' : (w.ignored ?? 'not-a-store') });
    if (!store) return;
    log.debug({ store, type, object: `${kind}/${obj.metadata?.name}` }, 'woken by a change in its namespace');
    queue.add(store);
  };
  const agent = await agentFor(kc);
  const watches = (Object.entries(wakingKinds) as [WakingKind, string][]).map(([kind, path]) =>
    watchMetadata({
      kc,
      raw: clients.raw,
      agent,
      path,
      // Only namespaces the operator made; every other kind across all namespaces.
      labelSelector: kind === 'Namespace' ? `${labels.managedBy}=${managedByValue}` : undefined,
      onEvent: wake(kind),
      log,
    }),
  );

  // Periodic resync: watches can miss events; every store is looked at again now and then.
  const resync = setInterval(() => {
    for (const s of stores.list()) if (s.metadata?.name) queue.resync(s.metadata.name);
  }, jittered(config.resyncMs));
  resync.unref();

  let resolveDone: (v: { reason: 'shutdown' | 'lost-leadership' }) => void = () => {};
  const done = new Promise<{ reason: 'shutdown' | 'lost-leadership' }>((r) => {
    resolveDone = r;
  });
  let stopping = false;
  let health: HealthServer | undefined;
  const stopAll = async (reason: 'shutdown' | 'lost-leadership') => {
    if (stopping) return;
    stopping = true;
    clearInterval(resync);
    queue.stop();
    if (reason === 'lost-leadership') {
      // A standby may lead once our lease expires: no helm of ours may still write by then.
      const left = (elector.leaseExpiresAt() ?? Date.now()) - Date.now() - 1000;
      const killed = await helm.terminateAll(Math.max(0, left));
      if (killed.length) log.error({ killed }, 'helm did not stop before the lease expired; killed');
      log.info({ leaseExpiresAt: elector.leaseExpiresAt() }, 'helm children stopped');
    } else await helm.terminateAll();
    await queue.drained();
    await elector.release();
    for (const w of watches) w.stop();
    await stores.stopForGood();
    health?.close();
    clients.close();
    leaseClients.close();
    agent.destroy();
    resolveDone({ reason });
  };

  const elector = new LeaderElector(
    leaseClients.coordination,
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

  let storesSynced = false;
  await stores.start();
  storesSynced = true;
  void elector.run();

  if (opts.metricsAddress) {
    health = await startHealthServer(opts.metricsAddress, {
      metrics,
      ready: () => {
        const pending = [
          storesSynced ? '' : 'store informer',
          ...watches.map((w, i) => (w.synced() ? '' : `watch ${i}`)),
        ].filter(Boolean);
        return {
          ok: pending.length === 0 && !stopping,
          role: elector.isLeader() ? 'leader' : 'standby',
          pending,
        };
      },
      queueDepth: () => queue.depth(),
      helmRunning: () => helm.running(),
    });
  }

  return { done, shutdown: () => stopAll('shutdown'), metricsPort: () => health?.port() };
}

/** The operator's own namespace (its Lease and credentials vault) must exist; it is made only if missing. */
async function ensureOwnNamespace(
  clients: Awaited<ReturnType<typeof makeClients>>,
  name: string,
): Promise<void> {
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
  if (await clients.raw.get(ns)) return;
  try {
    await clients.raw.request('POST', '/api/v1/namespaces', { body: ns });
  } catch (err) {
    throw new Error(
      `namespace ${name} does not exist and the operator may not create it (${String(err)}): create it first`,
    );
  }
}

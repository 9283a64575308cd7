import { type KubernetesObject, PatchStrategy } from '@kubernetes/client-node';
import yaml from 'js-yaml';
import { fieldManager, readOptional } from '../../kube/clients.ts';
import { isSubset } from '../../kube/compare.ts';
import { namespaceFor, releaseFor } from '../../store/naming.ts';
import { type Diagnosis, type DiagnosisContext, diagnose } from '../diagnosis.ts';
import { evaluateWorkloads, type WorkloadSnapshot } from '../readiness.ts';
import { type StageOutcome, type StoreContext, done } from './context.ts';

async function snapshot(ctx: StoreContext, namespace: string): Promise<WorkloadSnapshot> {
  const { apps, batch, core } = ctx.deps.clients;
  const [deployments, statefulSets, replicaSets, jobs, pvcs, pods, events] = await Promise.all([
    apps.listNamespacedDeployment({ namespace }),
    apps.listNamespacedStatefulSet({ namespace }),
    apps.listNamespacedReplicaSet({ namespace }),
    batch.listNamespacedJob({ namespace }),
    core.listNamespacedPersistentVolumeClaim({ namespace }),
    core.listNamespacedPod({ namespace }),
    core.listNamespacedEvent({ namespace, fieldSelector: 'type=Warning' }),
  ]);
  // Only ReplicaSets that still matter (the current one of each Deployment has replicas > 0).
  return {
    deployments: deployments.items,
    statefulSets: statefulSets.items,
    replicaSets: replicaSets.items.filter((rs) => (rs.spec?.replicas ?? 0) > 0),
    jobs: jobs.items,
    pvcs: pvcs.items,
    pods: pods.items,
    events: events.items,
  };
}

/**
 * After a retry request, touch the pod-creating controllers' objects so Kubernetes tries again now:
 * a StatefulSet or ReplicaSet refused by a quota backs off for up to many minutes, and a fixed
 * quota or a new node does not wake it. Only an annotation changes; no pod restarts.
 */
async function nudgeControllers(ctx: StoreContext, snap: WorkloadSnapshot): Promise<void> {
  const stamp = ctx.status.lastHandledRequestedAt ?? ctx.deps.now().toISOString();
  const targets = [
    ...snap.statefulSets.map((o) => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: o.metadata })),
    ...snap.replicaSets.map((o) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: o.metadata })),
    ...snap.jobs.map((o) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: o.metadata })),
  ];
  for (const t of targets) {
    if (!t.metadata?.name) continue;
    await ctx.deps.clients.objects
      .patch(
        {
          apiVersion: t.apiVersion,
          kind: t.kind,
          metadata: {
            name: t.metadata.name,
            namespace: t.metadata.namespace,
            annotations: { 'storeplane.dev/retried-at': stamp },
          },
        },
        undefined,
        undefined,
        fieldManager,
        undefined,
        PatchStrategy.MergePatch,
      )
      .catch(() => {
        // Best effort: the object may have gone away meanwhile.
      });
  }
}

/** What is wrong in the store's namespace right now, in words a person can act on, if anything. */
async function currentDiagnosis(ctx: StoreContext, namespace: string): Promise<Diagnosis | undefined> {
  return diagnose(await snapshot(ctx, namespace), diagnosisContext(ctx, namespace));
}

function diagnosisContext(ctx: StoreContext, namespace: string): DiagnosisContext {
  return {
    namespace,
    plan: ctx.store.spec.plan,
    now: ctx.deps.now(),
    ...(ctx.status.provisioningStartedAt ? { since: new Date(ctx.status.provisioningStartedAt) } : {}),
  };
}

/**
 * Watches a store's namespace while a Helm action runs. Helm waits for the release's hook Jobs
 * (setup, seed) until its timeout, so a hook whose pod can never run (over quota, unschedulable,
 * its image missing) would otherwise show nothing for many minutes. The first failure a person can
 * act on aborts `signal` (Helm gets SIGTERM and marks the release failed) and is kept for the
 * report. Reading problems are left to the next look.
 */
export function watchWhileHelmRuns(
  ctx: StoreContext,
  namespace: string,
  everyMs = Math.max(ctx.deps.config.pollMs, 5000),
): { signal: AbortSignal; stop: () => void; found: () => Diagnosis | undefined } {
  const abort = new AbortController();
  let found: Diagnosis | undefined;
  let looking = false;
  const timer = setInterval(() => {
    if (looking || found) return;
    looking = true;
    currentDiagnosis(ctx, namespace)
      .then((d) => {
        if (d) {
          found = d;
          abort.abort();
        }
      })
      .catch(() => undefined)
      .finally(() => {
        looking = false;
      });
  }, everyMs);
  return { signal: abort.signal, stop: () => clearInterval(timer), found: () => found };
}

/** Workloads ready like kstatus says, or why not, in words a person can act on. */
export async function workloadsStage(ctx: StoreContext): Promise<StageOutcome> {
  const namespace = namespaceFor(ctx.name);
  let snap = await snapshot(ctx, namespace);
  // Recovering from a failure (retried by backoff or by a person): make the controllers try now.
  if ((ctx.retryRequested || ctx.status.lastFailure) && !evaluateWorkloads(snap).ready) {
    await nudgeControllers(ctx, snap);
    snap = await snapshot(ctx, namespace);
  }
  const readiness = evaluateWorkloads(snap);
  if (readiness.ready) {
    ctx.condition({
      type: 'WorkloadsReady',
      status: 'True',
      reason: 'AllReady',
      message: `${snap.deployments.length} deployments, ${snap.statefulSets.length} statefulsets, ${snap.pvcs.length} volumes ready`,
    });
    return done;
  }
  const diagnosis = diagnose(snap, diagnosisContext(ctx, namespace));
  ctx.condition({
    type: 'WorkloadsReady',
    status: 'False',
    reason: diagnosis?.reason ?? 'Progressing',
    message: diagnosis?.message ?? readiness.waiting.join('; '),
  });
  if (diagnosis) return { kind: 'failed', diagnosis };
  return {
    kind: 'progress',
    message: `Waiting for workloads: ${readiness.waiting.slice(0, 3).join('; ')}`,
    requeueAfterMs: ctx.deps.config.pollMs,
  };
}

type Named = KubernetesObject & { metadata: { name: string; namespace: string } };
const checkedKinds = new Set([
  'Deployment',
  'StatefulSet',
  'Service',
  'Ingress',
  'ConfigMap',
  'CronJob',
  'NetworkPolicy',
  'ServiceAccount',
  'PersistentVolumeClaim',
]);

/** Cache of release manifests by store and revision: the manifest of a revision never changes. */
const manifests = new Map<string, Named[]>();

/**
 * Drift of a Ready store's release: any object of the release manifest that was deleted, or whose
 * spec no longer contains what the chart rendered. Reads only; the caller repairs with an upgrade.
 */
export async function releaseDrift(ctx: StoreContext): Promise<string[]> {
  const namespace = namespaceFor(ctx.name);
  const revision = ctx.status.history?.[0]?.revision;
  if (!revision) return [];
  const key = `${ctx.store.metadata.uid}/${revision}`;
  let objects = manifests.get(key);
  if (!objects) {
    const r = await ctx.deps.helm.run(
      ['get', 'manifest', releaseFor(ctx.name), '--namespace', namespace, '--revision', String(revision)],
      { signal: ctx.signal },
    );
    if (!r.ok) return [];
    objects = (yaml.loadAll(r.stdout) as (Named | null)[])
      .filter((o): o is Named => Boolean(o?.kind && o.metadata?.name))
      .map((o) => ({ ...o, metadata: { ...o.metadata, namespace: o.metadata.namespace ?? namespace } }));
    manifests.set(key, objects);
  }
  const drifted: string[] = [];
  for (const obj of objects) {
    if (!checkedKinds.has(obj.kind ?? '')) continue;
    const live = await readOptional(() => ctx.deps.clients.objects.read(obj));
    if (!live) drifted.push(`${obj.kind} ${obj.metadata.name} deleted`);
    else if ('spec' in obj && !isSubset(raw(obj).spec, raw(live).spec))
      drifted.push(`${obj.kind} ${obj.metadata.name} changed`);
  }
  return drifted;
}

/**
 * Plain JSON of a client-node object, so it compares with the YAML the chart rendered: the typed
 * models name reserved words with a leading underscore (`_from`, `_default`).
 */
function raw(obj: unknown): Record<string, unknown> {
  const plain = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(plain);
    if (v instanceof Date) return v.toISOString();
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [k.startsWith('_') ? k.slice(1) : k, plain(x)]),
      );
    }
    return v;
  };
  return plain(obj) as Record<string, unknown>;
}

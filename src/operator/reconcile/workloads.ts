import { type Diagnosis, type DiagnosisContext, diagnose } from '../diagnosis.ts';
import { annotations, fieldManager, reasons } from '../../store/keys.ts';
import { done, type StageOutcome } from '../decide/outcome.ts';
import { evaluateWorkloads, type WorkloadSnapshot } from '../readiness.ts';
import type { StoreContext } from './context.ts';

export async function snapshot(ctx: StoreContext): Promise<WorkloadSnapshot> {
  const { apps, batch, core } = ctx.deps.clients;
  const namespace = ctx.namespace;
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

export function diagnosisContext(ctx: StoreContext): DiagnosisContext {
  const since = ctx.status.attempt?.startedAt;
  return {
    namespace: ctx.namespace,
    plan: ctx.store.spec.plan,
    now: ctx.deps.now(),
    ...(since ? { since: new Date(since) } : {}),
  };
}

/** What is wrong in the store's namespace right now, in words a person can act on, if anything. */
export async function currentDiagnosis(ctx: StoreContext): Promise<Diagnosis | undefined> {
  return diagnose(await snapshot(ctx), diagnosisContext(ctx));
}

/**
 * After a failure or a retry request, touch the pod-creating controllers so Kubernetes tries again
 * now: a StatefulSet or ReplicaSet refused by a quota backs off for minutes, and a fixed quota or a
 * new node does not wake it. Only an annotation on the controller changes; no pod restarts.
 */
async function nudgeControllers(ctx: StoreContext, snap: WorkloadSnapshot): Promise<void> {
  const stamp = ctx.status.lastHandledRequestedAt ?? ctx.deps.now().toISOString();
  const targets = [
    ...snap.statefulSets.map((o) => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: o.metadata?.name })),
    ...snap.replicaSets.map((o) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: o.metadata?.name })),
    ...snap.jobs.map((o) => ({ apiVersion: 'batch/v1', kind: 'Job', name: o.metadata?.name })),
  ];
  for (const t of targets) {
    if (!t.name) continue;
    await ctx.deps.clients.raw
      .mergePatch(
        { apiVersion: t.apiVersion, kind: t.kind, metadata: { name: t.name, namespace: ctx.namespace } },
        { metadata: { annotations: { [annotations.retriedAt]: stamp } } },
        fieldManager,
      )
      .catch((err: unknown) =>
        ctx.log.warn({ object: `${t.kind}/${t.name}`, err: String(err) }, 'nudge refused'),
      );
  }
}

/** Workloads ready like kstatus says, or why not, in words a person can act on. */
export async function workloadsStage(ctx: StoreContext): Promise<StageOutcome> {
  let snap = await snapshot(ctx);
  if ((ctx.status.attempt?.kind === 'retry' || ctx.status.lastFailure) && !evaluateWorkloads(snap).ready) {
    await nudgeControllers(ctx, snap);
    snap = await snapshot(ctx);
  }
  const readiness = evaluateWorkloads(snap);
  if (readiness.ready) {
    ctx.condition({
      type: 'WorkloadsReady',
      status: 'True',
      reason: reasons.allReady,
      message: `${snap.deployments.length} deployments, ${snap.statefulSets.length} statefulsets, ${snap.pvcs.length} volumes ready`,
    });
    return done;
  }
  const diagnosis = diagnose(snap, diagnosisContext(ctx));
  ctx.condition({
    type: 'WorkloadsReady',
    status: 'False',
    reason: diagnosis?.reason ?? reasons.progressing,
    message: diagnosis?.message ?? readiness.waiting.join('; '),
  });
  if (diagnosis) return { kind: 'failed', diagnosis };
  return {
    kind: 'progress',
    message: `waiting for workloads: ${readiness.waiting.slice(0, 3).join('; ')}`,
    requeueAfterMs: ctx.status.attempt ? ctx.deps.config.pollMs : ctx.deps.config.degradedPollMs,
  };
}

import { isNotFound, readOptional } from '../../kube/clients.ts';
import { getCondition, isTrue, removeCondition } from '../../store/conditions.ts';
import { storeUrls } from '../../store/engines.ts';
import {
  type Store,
  requestedAtAnnotation,
  storeFinalizer,
  storeGroup,
  storePlural,
  storeVersion,
} from '../../store/schema.ts';
import { backoffMs, jittered } from '../backoff.ts';
import type { Diagnosis } from '../diagnosis.ts';
import type { ReconcileResult } from '../queue.ts';
import { type OperatorDeps, type StageOutcome, StoreContext } from './context.ts';
import { credentialsStage } from './credentials.ts';
import { reconcileDelete } from './delete.ts';
import { guardrailsStage } from './guardrails.ts';
import { namespaceStage } from './namespace.ts';
import { releaseStage } from './release.ts';
import { releaseDrift, workloadsStage } from './workloads.ts';

const stages = [
  ['namespace', namespaceStage],
  ['guardrails', guardrailsStage],
  ['credentials', credentialsStage],
  ['release', releaseStage],
  ['workloads', workloadsStage],
] as const;

async function readStore(deps: OperatorDeps, name: string): Promise<Store | undefined> {
  return (await readOptional(() =>
    deps.clients.custom.getClusterCustomObject({
      group: storeGroup,
      version: storeVersion,
      plural: storePlural,
      name,
    }),
  )) as Store | undefined;
}

async function writeStore(deps: OperatorDeps, store: Store): Promise<Store> {
  return (await deps.clients.custom.replaceClusterCustomObject({
    group: storeGroup,
    version: storeVersion,
    plural: storePlural,
    name: store.metadata.name,
    body: store,
  })) as Store;
}

/**
 * One reconcile of one store, from what is observed now: finalizer first, then the stages in
 * order until one is not done, then a summary into Ready/Reconciling/Stalled and the phase.
 */
export async function reconcileStore(
  deps: OperatorDeps,
  name: string,
  signal: AbortSignal,
): Promise<ReconcileResult> {
  const store = await readStore(deps, name);
  if (!store) return {};
  const ctx = new StoreContext(store, deps, signal);

  if (store.metadata.deletionTimestamp) {
    return reconcileDelete(ctx, async () => {
      const fresh = await readStore(deps, name);
      if (!fresh) return;
      fresh.metadata.finalizers = (fresh.metadata.finalizers ?? []).filter((f) => f !== storeFinalizer);
      await writeStore(deps, fresh).catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
      });
    });
  }
  if (!store.metadata.finalizers?.includes(storeFinalizer)) {
    // Finalizer before any side effect, so a delete can never race past our cleanup.
    store.metadata.finalizers = [...(store.metadata.finalizers ?? []), storeFinalizer];
    await writeStore(deps, store);
    return { requeueAfterMs: 0 };
  }

  const now = deps.now();
  const requested = store.metadata.annotations?.[requestedAtAnnotation];
  const retryRequested = requested !== undefined && requested !== ctx.status.lastHandledRequestedAt;
  const newGeneration = getCondition(ctx.status.conditions, 'Ready')?.observedGeneration !== ctx.generation;
  if (retryRequested) {
    ctx.retryRequested = true;
    ctx.status.lastHandledRequestedAt = requested;
    ctx.event('Normal', 'RetryRequested', `retry requested (${requested})`);
  }
  if (retryRequested || newGeneration) {
    ctx.status.failures = 0;
    ctx.status.conditions = removeCondition(ctx.status.conditions, 'Stalled');
    if (!isTrue(ctx.status.conditions, 'Ready') || newGeneration)
      ctx.status.provisioningStartedAt = now.toISOString();
  } else if (isTrue(ctx.status.conditions, 'Stalled')) {
    // A human must act: a spec change or the retry annotation wakes it up.
    return {};
  }
  if (!ctx.status.provisioningStartedAt) ctx.status.provisioningStartedAt = now.toISOString();
  if (!ctx.status.conditions?.length) {
    ctx.condition({
      type: 'Ready',
      status: 'Unknown',
      reason: 'Progressing',
      message: 'provisioning started',
    });
    ctx.event('Normal', 'Provisioning', `provisioning ${store.spec.engine} store (plan ${store.spec.plan})`);
  }

  let outcome: StageOutcome = { kind: 'done' };
  let failedStage = '';
  for (const [stage, run] of stages) {
    try {
      outcome = await run(ctx);
    } catch (err) {
      deps.metrics.reconcileErrors.inc({ stage });
      throw err;
    }
    if (outcome.kind !== 'done') {
      failedStage = stage;
      break;
    }
  }

  if (outcome.kind === 'done') {
    const drift = wasReady(ctx) ? await releaseDrift(ctx) : [];
    if (drift.length) {
      ctx.condition({ type: 'Drifted', status: 'True', reason: 'DriftDetected', message: drift.join('; ') });
      ctx.event('Warning', 'DriftDetected', `${drift.join('; ')}; re-applying the release`);
      // Forget our record so the release stage upgrades (re-applies) on the next pass.
      ctx.status.history = (ctx.status.history ?? []).map((h, i) =>
        i === 0 ? { ...h, configDigest: 'drifted' } : h,
      );
      await ctx.flush();
      return { requeueAfterMs: 0 };
    }
    return markReady(ctx);
  }
  if (outcome.kind === 'acted') {
    await ctx.flush();
    return { requeueAfterMs: 0 };
  }
  if (outcome.kind === 'progress') {
    const deadline = deps.config.provisioningDeadlineMs;
    const started = new Date(ctx.status.provisioningStartedAt ?? now).getTime();
    if (now.getTime() - started > deadline) {
      return markFailed(ctx, failedStage, {
        reason: 'ProvisioningTimeout',
        message: `not Ready after ${Math.round(deadline / 1000)}s: ${outcome.message}`,
        fix: 'Look at the workloads in the store namespace (kubectl get pods,events -n store-<name>), fix the cause, then retry.',
      });
    }
    ctx.condition({ type: 'Reconciling', status: 'True', reason: 'Progressing', message: outcome.message });
    if (!isTrue(ctx.status.conditions, 'Ready') || newGeneration) {
      ctx.condition({ type: 'Ready', status: 'False', reason: 'Progressing', message: outcome.message });
    }
    await ctx.flush();
    return { requeueAfterMs: outcome.requeueAfterMs };
  }
  return markFailed(ctx, failedStage, outcome.diagnosis, outcome.stall);
}

function wasReady(ctx: StoreContext): boolean {
  const ready = getCondition(ctx.status.conditions, 'Ready');
  return ready?.status === 'True' && ready.observedGeneration === ctx.generation;
}

async function markReady(ctx: StoreContext): Promise<ReconcileResult> {
  const { deps } = ctx;
  const becameReady = !wasReady(ctx);
  const urls = storeUrls(ctx.store, deps.config.expose);
  ctx.status.url = urls.url;
  ctx.status.adminUrl = urls.adminUrl;
  ctx.status.failures = 0;
  delete ctx.status.lastFailure;
  ctx.status.conditions = removeCondition(removeCondition(ctx.status.conditions, 'Reconciling'), 'Stalled');
  if (getCondition(ctx.status.conditions, 'Drifted')?.status === 'True' && !becameReady) {
    ctx.condition({
      type: 'Drifted',
      status: 'False',
      reason: 'NoDrift',
      message: 'everything matches the desired state again',
    });
  }
  ctx.condition({
    type: 'Ready',
    status: 'True',
    reason: 'StoreReady',
    message: `store is ready at ${urls.url}`,
  });
  ctx.status.observedGeneration = ctx.generation;
  if (becameReady) {
    ctx.status.readyAt = deps.now().toISOString();
    ctx.event('Normal', 'Ready', `store is ready at ${urls.url}`);
    const started = ctx.status.provisioningStartedAt
      ? new Date(ctx.status.provisioningStartedAt).getTime()
      : undefined;
    if (started)
      deps.metrics.provisioningSeconds.observe(
        { engine: ctx.store.spec.engine, outcome: 'ready' },
        (deps.now().getTime() - started) / 1000,
      );
  }
  await ctx.flush();
  return { requeueAfterMs: jittered(deps.config.resyncMs) };
}

async function markFailed(
  ctx: StoreContext,
  stage: string,
  d: Diagnosis,
  stall = false,
): Promise<ReconcileResult> {
  const { deps } = ctx;
  const failures = (ctx.status.failures ?? 0) + 1;
  const firstTime =
    ctx.status.lastFailure?.reason !== d.reason ||
    getCondition(ctx.status.conditions, 'Ready')?.reason !== d.reason;
  ctx.status.failures = failures;
  ctx.failure(d);
  ctx.condition({ type: 'Ready', status: 'False', reason: d.reason, message: `${d.message} Fix: ${d.fix}` });
  deps.metrics.reconcileErrors.inc({ stage });
  const exhausted = stall || failures >= deps.config.retryBudget;
  if (exhausted) {
    ctx.condition({
      type: 'Stalled',
      status: 'True',
      reason: stall ? d.reason : 'RetriesExceeded',
      message: `${d.message} Fix: ${d.fix} Then retry (annotate storeplane.dev/requested-at, or change the spec).`,
    });
    ctx.status.conditions = removeCondition(ctx.status.conditions, 'Reconciling');
    ctx.status.observedGeneration = ctx.generation;
    ctx.event(
      'Warning',
      d.reason,
      `${d.message}. Fix: ${d.fix} (gave up after ${failures} attempt${failures === 1 ? '' : 's'})`,
    );
    const started = ctx.status.provisioningStartedAt
      ? new Date(ctx.status.provisioningStartedAt).getTime()
      : undefined;
    if (started)
      deps.metrics.provisioningSeconds.observe(
        { engine: ctx.store.spec.engine, outcome: 'failed' },
        (deps.now().getTime() - started) / 1000,
      );
    await ctx.flush();
    return {};
  }
  ctx.condition({
    type: 'Reconciling',
    status: 'True',
    reason: 'ProgressingWithRetry',
    message: `attempt ${failures} of ${deps.config.retryBudget} failed: ${d.reason}; retrying`,
  });
  if (firstTime) ctx.event('Warning', d.reason, `${d.message}. Fix: ${d.fix}`);
  await ctx.flush();
  return { requeueAfterMs: backoffMs(failures) };
}

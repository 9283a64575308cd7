import { isConflict, readOptional } from '../../kube/clients.ts';
import { getCondition, isTrue } from '../../store/conditions.ts';
import { storeUrls } from '../../store/engines.ts';
import {
  annotations,
  events,
  fieldManager,
  reasons,
  storeFinalizer,
  storeResource,
} from '../../store/keys.ts';
import type { Store } from '../../store/schema.ts';
import { classifyApiError } from '../decide/api-error.ts';
import { gate } from '../decide/gate.ts';
import type { StageOutcome } from '../decide/outcome.ts';
import { summarize } from '../decide/summarize.ts';
import type { ReconcileResult } from '../queue.ts';
import { CancelledForDeletion, ShutdownError } from '../release/apply.ts';
import { releaseStage } from '../release/stage.ts';
import { type OperatorDeps, StoreContext } from './context.ts';
import { credentialsStage } from './credentials.ts';
import { reconcileDelete } from './delete.ts';
import { guardrailsStage } from './guardrails.ts';
import { namespaceStage } from './namespace.ts';
import { volumesExpandStage, volumesStage } from './volumes.ts';
import { workloadsStage } from './workloads.ts';

/** In order; the first stage that is not done ends the pass. `what` names it in messages. */
const stages: [what: string, run: (ctx: StoreContext) => Promise<StageOutcome>][] = [
  ['preparing the namespace', namespaceStage],
  ['checking the data volumes', volumesStage],
  ['applying the guardrails', guardrailsStage],
  ['preparing the credentials', credentialsStage],
  ['releasing the engine chart', releaseStage],
  ['growing the data volumes', volumesExpandStage],
  ['checking the workloads', workloadsStage],
];

async function readStore(deps: OperatorDeps, name: string): Promise<Store | undefined> {
  return (await readOptional(() =>
    deps.clients.custom.getClusterCustomObject({ ...storeResource, name }),
  )) as Store | undefined;
}

/** Adds or removes our finalizer by JSON patch, guarded by a test of the list it replaces. */
async function patchFinalizers(deps: OperatorDeps, store: Store, next: string[]): Promise<void> {
  const current = store.metadata.finalizers;
  await deps.clients.raw.jsonPatch(
    { ...store, metadata: { name: store.metadata.name } },
    current
      ? [
          { op: 'test', path: '/metadata/finalizers', value: current },
          { op: 'replace', path: '/metadata/finalizers', value: next },
        ]
      : [{ op: 'add', path: '/metadata/finalizers', value: next }],
    fieldManager,
  );
}

async function runStages(ctx: StoreContext): Promise<StageOutcome> {
  for (const [what, run] of stages) {
    let outcome: StageOutcome;
    try {
      outcome = await run(ctx);
    } catch (err) {
      if (ctx.signal.aborted || err instanceof ShutdownError || err instanceof CancelledForDeletion)
        throw err;
      ctx.deps.metrics.reconcileErrors.inc({ stage: what });
      ctx.log.warn({ stage: what, err: err instanceof Error ? err.message : String(err) }, 'stage failed');
      outcome = { kind: 'failed', diagnosis: classifyApiError(err, what) };
    }
    if (outcome.kind !== 'done') return outcome;
  }
  return { kind: 'done' };
}

/**
 * Helm was stopped because the store is being deleted: no failure is counted, nothing is Failed
 * or Stalled. A Normal Event says so, and the store is requeued at once for the deletion path.
 */
async function cancelledForDeletion(
  ctx: StoreContext,
  name: string,
  cancel: CancelledForDeletion,
): Promise<ReconcileResult> {
  ctx.log.info({ reason: cancel.reason }, cancel.message);
  ctx.event('Normal', cancel.reason, cancel.message);
  ctx.status.phase = 'Deleting';
  ctx.condition({
    type: 'Released',
    status: 'Unknown',
    reason: cancel.reason,
    message: `helm ${cancel.action} of release ${ctx.release} stopped: ${cancel.seen === 'deleting' ? 'the store is being deleted' : 'the store was deleted'}`,
  });
  ctx.condition({
    type: 'Reconciling',
    status: 'True',
    reason: reasons.deleting,
    message: `${cancel.message}; deleting the store next`,
  });
  // The deletion changed the store since it was read: write over what it is now.
  const fresh = await readStore(ctx.deps, name);
  if (fresh && fresh.metadata.uid === ctx.store.metadata.uid) {
    ctx.store = fresh;
    await ctx.writeStatus().catch((err: unknown) => {
      // The deletion path writes its own status next; a lost race here loses nothing.
      if (!isConflict(err) && (err as { code?: number }).code !== 404) throw err;
    });
  }
  await ctx.recordEvents();
  return { requeueAfterMs: 0 };
}

/**
 * One reconcile of one store, from what is observed now: finalizer first; then the gate (a new
 * generation or a retry request starts an attempt; a Stalled store waits for a person); then the
 * stages in order; then one summary into Ready, Reconciling, Stalled and the phase.
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
      if (!fresh?.metadata.finalizers?.includes(storeFinalizer)) return;
      await patchFinalizers(
        deps,
        fresh,
        fresh.metadata.finalizers.filter((f) => f !== storeFinalizer),
      ).catch((err: unknown) => {
        if (!isConflict(err) && (err as { code?: number }).code !== 404) throw err;
      });
    });
  }
  if (!store.metadata.finalizers?.includes(storeFinalizer)) {
    // Finalizer before any side effect, so a delete can never race past our cleanup.
    await patchFinalizers(deps, store, [...(store.metadata.finalizers ?? []), storeFinalizer]);
    return { requeueAfterMs: 0 };
  }

  const requestedAt = store.metadata.annotations?.[annotations.requestedAt];
  const g = gate({ status: ctx.status, generation: ctx.generation, requestedAt });
  if (g.kind === 'wait-for-person') return {};
  if (g.retryRequested && requestedAt !== undefined) {
    ctx.status.lastHandledRequestedAt = requestedAt;
    ctx.event('Normal', events.retryRequested, `retry requested (${requestedAt})`);
  }
  if (g.start) ctx.startAttempt(g.start.kind, g.start.reason);
  const wasReady = isTrue(store.status?.conditions, 'Ready');

  let outcome: StageOutcome;
  try {
    outcome = await runStages(ctx);
  } catch (err) {
    if (err instanceof CancelledForDeletion) return cancelledForDeletion(ctx, name, err);
    throw err;
  }
  const summary = summarize({
    status: ctx.status,
    wasReady,
    outcome,
    generation: ctx.generation,
    now: deps.now(),
    urls: storeUrls(ctx.store, deps.config.expose),
    config: {
      deadlineMs: deps.config.provisioningDeadlineMs,
      retryBudget: deps.config.retryBudget,
      retryWindowMs: deps.config.retryWindowMs,
      resyncMs: deps.config.resyncMs,
      degradedPollMs: deps.config.degradedPollMs,
    },
  });
  Object.assign(ctx.status, summary.status);
  for (const key of Object.keys(ctx.status) as (keyof typeof ctx.status)[])
    if (!(key in summary.status)) delete ctx.status[key];
  for (const e of summary.events) ctx.event(e.type, e.reason, e.message);
  if (summary.finished)
    deps.metrics.provisioningSeconds.observe(
      { engine: store.spec.engine, outcome: summary.finished.outcome },
      summary.finished.seconds,
    );
  if (outcome.kind === 'failed' && getCondition(ctx.status.conditions, 'Stalled')?.status === 'True')
    ctx.log.warn({ reason: outcome.diagnosis.reason }, 'store stalled');
  await ctx.flush();
  ctx.log.debug(
    { outcome: outcome.kind, attempt: ctx.status.attempt?.kind, phase: ctx.status.phase },
    'pass done',
  );
  return summary.requeueAfterMs === undefined ? {} : { requeueAfterMs: summary.requeueAfterMs };
}

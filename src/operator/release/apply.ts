import { upgradeArgs } from '../../helm/args.ts';
import { listRevisions, type StoredRevision } from '../../helm/storage.ts';
import { events, reasons } from '../../store/keys.ts';
import type { HistoryEntry } from '../../store/schema.ts';
import type { Values } from '../../store/values-layers.ts';
import { cancellation, type DeletionSeen } from '../decide/cancel.ts';
import type { StageOutcome } from '../decide/outcome.ts';
import type { StoreContext } from '../reconcile/context.ts';
import { watchWhileHelmRuns } from '../reconcile/watch-helm.ts';
import { helmFailure } from './failure.ts';

export class ShutdownError extends Error {
  constructor() {
    super('reconcile aborted during helm (shutdown)');
  }
}

/**
 * Helm was stopped (SIGTERM) because the store is being deleted. Not a failure: the reconcile
 * records a Normal Event and requeues the store at once, so that the deletion path runs next.
 */
export class CancelledForDeletion extends Error {
  readonly reason: string;
  constructor(
    readonly action: 'install' | 'upgrade',
    readonly seen: DeletionSeen,
    event: { reason: string; message: string },
  ) {
    super(event.message);
    this.reason = event.reason;
  }
}

/**
 * `helm upgrade --install` for an install or an upgrade. The revision is recorded only from what
 * Helm's storage then says: a new revision, deployed for this config digest. When Helm failed
 * before writing a revision (schema refusal, template error, API unreachable) nothing is recorded,
 * and the old revision is never stamped with the new digest.
 */
export async function helmUpgradeInstall(
  ctx: StoreContext,
  action: 'install' | 'upgrade',
  reason: string,
  digest: string,
  values: Values,
  before: StoredRevision[],
): Promise<StageOutcome> {
  const { helm, helmMajor, config } = ctx.deps;
  const chart = ctx.chart;
  const verb = action === 'install' ? 'Installing' : 'Upgrading';
  const timeout = config.helmTimeoutSeconds;
  ctx.status.lastAttemptedConfigDigest = digest;
  ctx.condition({
    type: 'Reconciling',
    status: 'True',
    reason: reasons.progressing,
    message: `${verb} ${chart.name} ${chart.version} (helm upgrade --install, timeout ${timeout}s): ${reason}`,
  });
  ctx.condition({
    type: 'Released',
    status: 'Unknown',
    reason: reasons.progressing,
    message: `${verb} release ${ctx.release}`,
  });
  await ctx.flush();
  // Helm stops on shutdown, as soon as the namespace shows a failure a person must act on, or as
  // soon as the store is being deleted.
  const watch = watchWhileHelmRuns(ctx);
  const r = await helm
    .run(
      upgradeArgs({
        release: ctx.release,
        namespace: ctx.namespace,
        chart: chart.path,
        helmMajor,
        timeoutSeconds: timeout,
        configDigest: digest,
        storeUid: ctx.store.metadata.uid,
        description: `Storeplane ${action}: ${reason}`.slice(0, 200),
      }),
      { values, signal: AbortSignal.any([ctx.signal, watch.signal]) },
    )
    .finally(watch.stop);
  if (ctx.signal.aborted) {
    // Whether helm handled the SIGTERM itself or died of it; never its output, which can quote values.
    ctx.log.info(
      { exitCode: r.code, cancelledByHelm: /has been cancelled/.test(`${r.stdout}\n${r.stderr}`) },
      'helm stopped by shutdown',
    );
    throw new ShutdownError();
  }
  const cancelled = watch.cancelled();
  if (cancelled && !r.ok) {
    // Stopped for the deletion (or failed by itself just then): either way no failure is recorded
    // for a store being deleted. A helm that finished before the stop took effect is reported as
    // usual below, and the deletion runs next all the same.
    ctx.log.info(
      {
        action,
        signal: 'SIGTERM',
        exitCode: r.code,
        cancelledByHelm: /has been cancelled/.test(`${r.stdout}\n${r.stderr}`),
      },
      cancelled === 'deleting'
        ? 'helm stopped: the store is being deleted'
        : 'helm stopped: the store was deleted',
    );
    throw new CancelledForDeletion(
      action,
      cancelled,
      cancellation(ctx.status.attempt?.kind, action, cancelled),
    );
  }
  const after = await listRevisions(ctx.deps.clients.raw, ctx.namespace, ctx.release);
  const newest = after[0];
  const made = newest && newest.revision > (before[0]?.revision ?? 0) ? newest : undefined;
  if (made) record(ctx, made, chart.version, action);
  if (!r.ok) {
    const diagnosis = watch.found() ?? helmFailure(action, r.stderr);
    ctx.condition({
      type: 'Released',
      status: 'False',
      reason: action === 'install' ? reasons.installFailed : reasons.upgradeFailed,
      message: made ? `revision ${made.revision} ${made.status}: ${diagnosis.message}` : diagnosis.message,
    });
    return { kind: 'failed', diagnosis };
  }
  if (!made || made.status !== 'deployed' || made.configDigest !== digest) {
    const diagnosis = {
      reason: reasons.releaseFailed,
      message: `helm ${action} reported success but Helm's records show no deployed revision for this configuration (newest: ${newest ? `revision ${newest.revision} ${newest.status}` : 'none'})`,
      fix: 'Retry; if it persists, check the release records (helm history -n <namespace> <release>).',
    };
    ctx.condition({
      type: 'Released',
      status: 'False',
      reason: reasons.releaseFailed,
      message: diagnosis.message,
    });
    return { kind: 'failed', diagnosis };
  }
  ctx.condition({
    type: 'Released',
    status: 'True',
    reason: action === 'install' ? reasons.installSucceeded : reasons.upgradeSucceeded,
    message: `${chart.name} ${chart.version}, revision ${made.revision}`,
  });
  ctx.event(
    'Normal',
    action === 'install' ? events.installed : events.upgraded,
    `${chart.name} ${chart.version} revision ${made.revision}${action === 'upgrade' ? ` (${reason})` : ''}`,
  );
  return { kind: 'acted', message: `${action} done: revision ${made.revision}` };
}

/** The last 5 releases in status.history, newest first, as Helm's storage reports them. */
export function record(
  ctx: StoreContext,
  rev: StoredRevision,
  chartVersion: string,
  action: HistoryEntry['action'],
): void {
  const entry: HistoryEntry = {
    revision: rev.revision,
    chartVersion,
    configDigest: rev.configDigest ?? '',
    status: rev.status,
    action,
    time: ctx.deps.now().toISOString(),
  };
  ctx.status.history = [
    entry,
    ...(ctx.status.history ?? []).filter((h) => h.revision !== rev.revision),
  ].slice(0, 5);
}

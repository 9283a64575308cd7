import { configDigest } from '../../helm/digest.ts';
import { listRevisions } from '../../helm/storage.ts';
import { isTrue } from '../../store/conditions.ts';
import { events, reasons } from '../../store/keys.ts';
import { done, type StageOutcome } from '../decide/outcome.ts';
import type { StoreContext } from '../reconcile/context.ts';
import { helmValues } from '../reconcile/values.ts';
import { record } from './apply.ts';
import { releaseDrift } from './drift.ts';
import { repairDrift } from './repair.ts';
import { install } from './install.ts';
import { classifyRelease, nextReleaseAction } from './state.ts';
import { unlock } from './unlock.ts';
import { upgrade } from './upgrade.ts';

/**
 * The engine's Helm release: classify what Helm has against the config digest the store asks for
 * (absent, locked, failed, out of sync, drifted, in sync), then run at most one action and let
 * the next pass re-read. Drift is looked for only on a steady store (no attempt under way); drift
 * found and not yet repaired by a new revision is a state of its own (see repairDrift).
 */
export async function releaseStage(ctx: StoreContext): Promise<StageOutcome> {
  const chart = ctx.chart;
  const wanted = ctx.store.spec.version;
  if (wanted && wanted !== chart.version) {
    const diagnosis = {
      reason: reasons.versionUnavailable,
      message: `engine chart version ${wanted} is not available (this platform has ${chart.name} ${chart.version})`,
      fix: `Set spec.version to ${chart.version}, or leave it empty for the platform default.`,
    };
    ctx.condition({
      type: 'Released',
      status: 'False',
      reason: reasons.versionUnavailable,
      message: diagnosis.message,
    });
    return { kind: 'failed', diagnosis, stall: true };
  }
  const values = helmValues(ctx);
  const digest = configDigest(
    { name: chart.name, version: chart.version, content: chart.contentDigest },
    values,
  );
  const revisions = await listRevisions(ctx.deps.clients.raw, ctx.namespace, ctx.release);
  const recorded = ctx.status.history?.[0];
  const driftUnrepaired = isTrue(ctx.status.conditions, 'Drifted');
  const state = classifyRelease(
    revisions,
    recorded && { revision: recorded.revision, driftUnrepaired },
    digest,
  );
  const action = nextReleaseAction(state);

  if (action.kind === 'unlock') return unlock(ctx, action.revision, action.status);
  if (action.kind === 'install') {
    if (!ctx.status.attempt) ctx.startAttempt('repair', 'the release is missing');
    return install(ctx, digest, values, revisions);
  }
  if (action.kind === 'upgrade' || action.kind === 'repair-drift') {
    const reason =
      action.kind === 'upgrade' ? action.reason : 'repairing drift found earlier (no revision made yet)';
    if (!ctx.status.attempt)
      ctx.startAttempt(
        state.kind === 'out-of-sync' ? 'upgrade' : 'repair',
        `upgrading the release: ${reason}`,
      );
    // Drift not yet repaired rides on any new revision: its foreign fields are handed over first.
    return driftUnrepaired
      ? repairDrift(ctx, reason, digest, values, revisions)
      : upgrade(ctx, reason, digest, values, revisions);
  }

  // In sync: Helm's storage says the newest revision is deployed for this digest.
  const newest = revisions[0];
  if (newest && recorded?.revision !== newest.revision)
    record(ctx, newest, chart.version, revisions.length > 1 ? 'upgrade' : 'install');
  ctx.condition({
    type: 'Released',
    status: 'True',
    reason: reasons.inSync,
    message: `${chart.name} ${chart.version}, revision ${newest?.revision ?? '?'}`,
  });
  ctx.condition({
    type: 'SetupComplete',
    status: 'True',
    reason: reasons.hooksSucceeded,
    message: 'setup hooks of the release completed',
  });
  if (ctx.status.attempt || !newest) return done;

  const drift = await releaseDrift(ctx, newest.revision);
  if (!drift.objects.length) return done;
  const what = drift.objects.map((d) => d.detail).join('; ');
  ctx.condition({
    type: 'Drifted',
    status: 'True',
    reason: reasons.driftDetected,
    message: what.slice(0, 1000),
  });
  ctx.event(
    'Warning',
    events.driftDetected,
    `${what}; repairing with a new revision of the same configuration`,
  );
  ctx.startAttempt('repair', `drift: ${what}`);
  return repairDrift(ctx, `repairing drift: ${what}`.slice(0, 180), digest, values, revisions, drift);
}

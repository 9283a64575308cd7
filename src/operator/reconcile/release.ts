import { classifyHelmError, type HelmErrorKind } from '../../helm/classify.ts';
import { configDigest } from '../../helm/digest.ts';
import { classifyRelease, type HelmRevision, nextReleaseAction, upgradeArgs } from '../../helm/release.ts';
import { releaseValues } from '../../store/engines.ts';
import { namespaceFor, releaseFor } from '../../store/naming.ts';
import type { HistoryEntry } from '../../store/schema.ts';
import { layerValues } from '../../store/values-layers.ts';
import { resolveChart } from '../charts.ts';
import type { Diagnosis } from '../diagnosis.ts';
import { type StageOutcome, type StoreContext, done } from './context.ts';
import { watchWhileHelmRuns } from './workloads.ts';

const fixFor: Record<HelmErrorKind, string> = {
  'release-not-found': 'Retry; the release will be installed again.',
  pending: 'Another helm operation holds the release; the operator clears stale locks on retry.',
  timeout:
    'Helm timed out waiting for setup hooks: check the setup Job (kubectl get jobs -n <namespace>) and retry.',
  quota: 'The chart asks for more than the plan allows: choose a larger plan, then retry.',
  forbidden: 'The operator lacks a permission the chart needs: check its RBAC (docs/operator-rbac.md).',
  'chart-not-found':
    'The engine chart is missing from the operator image or path: check the operator configuration.',
  'invalid-values': 'The chart rejected its values: this is a platform bug; report it with the message.',
  conflict: 'An object in the namespace conflicts with the chart: remove it, then retry.',
  unreachable: 'The Kubernetes API did not answer: retry when the cluster is reachable.',
  'no-deployed-release': 'Retry; the release will be installed again.',
  unknown: 'Read the message above; fix the cause, then retry.',
};

function helmFailure(action: string, stderr: string): Diagnosis {
  const e = classifyHelmError(stderr);
  return {
    reason: e.kind === 'timeout' ? 'HelmTimeout' : e.kind === 'quota' ? 'QuotaExceeded' : 'ReleaseFailed',
    message: `helm ${action} failed: ${e.message}`,
    fix: fixFor[e.kind],
  };
}

async function history(
  ctx: StoreContext,
  release: string,
  namespace: string,
): Promise<HelmRevision[] | Diagnosis> {
  const r = await ctx.deps.helm.run(
    ['history', release, '--namespace', namespace, '--max', '10', '--output', 'json'],
    { signal: ctx.signal },
  );
  if (r.ok) return JSON.parse(r.stdout || '[]') as HelmRevision[];
  if (classifyHelmError(r.stderr).kind === 'release-not-found') return [];
  return helmFailure('history', r.stderr);
}

/**
 * The engine's Helm release: classify what Helm has against what the store asks for (by config
 * digest), then run at most one action (install, upgrade, unlock) and let the next pass re-read.
 */
export async function releaseStage(ctx: StoreContext): Promise<StageOutcome> {
  const { config, helm, helmMajor } = ctx.deps;
  const namespace = namespaceFor(ctx.name);
  const release = releaseFor(ctx.name);
  const chart = resolveChart(ctx.store.spec.engine, config.charts);
  if (ctx.store.spec.version && ctx.store.spec.version !== chart.version) {
    const diagnosis = {
      reason: 'VersionUnavailable',
      message: `engine chart version ${ctx.store.spec.version} is not available (this platform has ${chart.name} ${chart.version})`,
      fix: `Set spec.version to ${chart.version}, or leave it empty for the platform default.`,
    };
    ctx.condition({
      type: 'Released',
      status: 'False',
      reason: 'VersionUnavailable',
      message: diagnosis.message,
    });
    return { kind: 'failed', diagnosis, stall: true };
  }
  const values = layerValues(
    config.chartValues[ctx.store.spec.engine] ?? {},
    releaseValues(ctx.store, config.expose),
  );
  const digest = configDigest({ name: chart.name, version: chart.version }, values);
  const revisions = await history(ctx, release, namespace);
  if (!Array.isArray(revisions)) return { kind: 'failed', diagnosis: revisions };
  const recorded = ctx.status.history?.[0];
  const state = classifyRelease(
    revisions,
    recorded && { revision: recorded.revision, configDigest: recorded.configDigest },
    digest,
  );
  const action = nextReleaseAction(state);
  const timeout = config.helmTimeoutSeconds;

  switch (action.kind) {
    case 'none':
      ctx.condition({
        type: 'Released',
        status: 'True',
        reason: 'InSync',
        message: `${chart.name} ${chart.version}, revision ${state.kind === 'in-sync' ? state.revision : '?'}`,
      });
      ctx.condition({
        type: 'SetupComplete',
        status: 'True',
        reason: 'HooksSucceeded',
        message: 'setup hooks of the release completed',
      });
      return done;
    case 'wait':
      return { kind: 'progress', message: action.reason, requeueAfterMs: 2000 };
    case 'unlock-install':
    case 'unlock-upgrade': {
      const what =
        action.kind === 'unlock-install'
          ? `uninstalling stale pending-install revision ${action.revision}`
          : `rolling back stale pending revision ${action.revision} to ${action.rollbackTo}`;
      ctx.condition({
        type: 'Reconciling',
        status: 'True',
        reason: 'Progressing',
        message: `Recovering the release: ${what}`,
      });
      ctx.event('Warning', 'ReleaseUnlocked', `release was left locked by an interrupted helm; ${what}`);
      await ctx.flush();
      const args =
        action.kind === 'unlock-install'
          ? ['uninstall', release, '--namespace', namespace, '--wait', '--timeout', `${timeout}s`]
          : [
              'rollback',
              release,
              String(action.rollbackTo),
              '--namespace',
              namespace,
              '--timeout',
              `${timeout}s`,
            ];
      const r = await helm.run(args, { signal: ctx.signal });
      if (!r.ok) return { kind: 'failed', diagnosis: helmFailure(args[0] ?? 'recover', r.stderr) };
      if (action.kind === 'unlock-upgrade') {
        // helm rollback leaves the interrupted revision's record saying pending-upgrade forever;
        // drop that record (Helm's secret storage) so history shows no stale lock.
        await ctx.deps.clients.core
          .deleteNamespacedSecret({ name: `sh.helm.release.v1.${release}.v${action.revision}`, namespace })
          .catch((err: unknown) => {
            if ((err as { code?: number }).code !== 404) throw err;
          });
      }
      return { kind: 'acted', message: what };
    }
    case 'install':
    case 'upgrade': {
      const verb = action.kind === 'install' ? 'Installing' : 'Upgrading';
      ctx.status.lastAttemptedConfigDigest = digest;
      ctx.condition({
        type: 'Reconciling',
        status: 'True',
        reason: 'Progressing',
        message: `${verb} ${chart.name} ${chart.version} (helm upgrade --install, timeout ${timeout}s)${action.kind === 'upgrade' ? `: ${action.reason}` : ''}`,
      });
      ctx.condition({
        type: 'Released',
        status: 'Unknown',
        reason: 'Progressing',
        message: `${verb} release ${release}`,
      });
      if (chart.standIn)
        ctx.log.warn({ chart: chart.path }, 'engine chart not found; using the stand-in chart');
      await ctx.flush();
      // Helm stops on shutdown, or as soon as the namespace shows a failure a person must act on.
      const watch = watchWhileHelmRuns(ctx, namespace);
      const r = await helm
        .run(
          upgradeArgs({
            release,
            namespace,
            chart: chart.path,
            helmMajor,
            timeoutSeconds: timeout,
            storeUid: ctx.store.metadata.uid,
          }),
          { values, signal: AbortSignal.any([ctx.signal, watch.signal]) },
        )
        .finally(watch.stop);
      if (ctx.signal.aborted) {
        // Whether helm handled the SIGTERM itself (exit code, "has been cancelled") or died of it;
        // never its output, which can quote the release.
        ctx.log.info(
          { exitCode: r.code, cancelledByHelm: /has been cancelled/.test(`${r.stdout}\n${r.stderr}`) },
          'helm stopped by shutdown',
        );
        throw new Error('reconcile aborted during helm');
      }
      const after = await history(ctx, release, namespace);
      const top = Array.isArray(after) ? [...after].sort((a, b) => b.revision - a.revision)[0] : undefined;
      if (top) recordHistory(ctx, top, chart.version, digest, action.kind);
      if (!r.ok) {
        const diagnosis = watch.found() ?? helmFailure(action.kind, r.stderr);
        ctx.condition({
          type: 'Released',
          status: 'False',
          reason: action.kind === 'install' ? 'InstallFailed' : 'UpgradeFailed',
          message: diagnosis.message,
        });
        return { kind: 'failed', diagnosis };
      }
      ctx.condition({
        type: 'Released',
        status: 'True',
        reason: action.kind === 'install' ? 'InstallSucceeded' : 'UpgradeSucceeded',
        message: `${chart.name} ${chart.version}, revision ${top?.revision ?? '?'}`,
      });
      ctx.event(
        'Normal',
        action.kind === 'install' ? 'Installed' : 'Upgraded',
        `${chart.name} ${chart.version} revision ${top?.revision ?? '?'}${action.kind === 'upgrade' ? ` (${action.reason})` : ''}`,
      );
      return { kind: 'acted', message: `${action.kind} done` };
    }
  }
}

function recordHistory(
  ctx: StoreContext,
  rev: HelmRevision,
  chartVersion: string,
  digest: string,
  action: HistoryEntry['action'],
): void {
  const entry: HistoryEntry = {
    revision: rev.revision,
    chartVersion,
    configDigest: digest,
    status: rev.status,
    action,
    time: ctx.deps.now().toISOString(),
  };
  ctx.status.history = [
    entry,
    ...(ctx.status.history ?? []).filter((h) => h.revision !== rev.revision),
  ].slice(0, 5);
}

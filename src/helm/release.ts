/** One row of `helm history -o json`. */
export interface HelmRevision {
  revision: number;
  status: string;
  chart: string;
  app_version?: string;
  updated: string;
  description?: string;
}

/** What we recorded about our own last release of the store (status.history[0]). */
export interface RecordedRelease {
  revision: number;
  configDigest: string;
}

export type ReleaseState =
  | { kind: 'absent' }
  | {
      kind: 'locked';
      status: 'pending-install' | 'pending-upgrade' | 'pending-rollback';
      revision: number;
      lastDeployed?: number;
    }
  | { kind: 'failed'; revision: number }
  | { kind: 'uninstalling' }
  | { kind: 'out-of-sync'; revision: number; why: string }
  | { kind: 'in-sync'; revision: number };

/**
 * Classifies the release from Helm's history and our record (DESIGN.md §4): decide from what is
 * there now, never from the event that woke us.
 */
export function classifyRelease(
  history: HelmRevision[],
  recorded: RecordedRelease | undefined,
  desiredDigest: string,
): ReleaseState {
  const sorted = [...history].sort((a, b) => b.revision - a.revision);
  const last = sorted[0];
  if (!last || last.status === 'uninstalled') return { kind: 'absent' };
  if (
    last.status === 'pending-install' ||
    last.status === 'pending-upgrade' ||
    last.status === 'pending-rollback'
  ) {
    const lastDeployed = sorted.find((r) => r.status === 'deployed' || r.status === 'superseded')?.revision;
    return {
      kind: 'locked',
      status: last.status,
      revision: last.revision,
      ...(lastDeployed ? { lastDeployed } : {}),
    };
  }
  if (last.status === 'failed') return { kind: 'failed', revision: last.revision };
  if (last.status === 'uninstalling') return { kind: 'uninstalling' };
  if (last.status !== 'deployed')
    return { kind: 'out-of-sync', revision: last.revision, why: `release status is ${last.status}` };
  if (!recorded || recorded.revision !== last.revision) {
    return {
      kind: 'out-of-sync',
      revision: last.revision,
      why: 'the release was changed outside Storeplane',
    };
  }
  if (recorded.configDigest !== desiredDigest) {
    return { kind: 'out-of-sync', revision: last.revision, why: 'the store spec or chart changed' };
  }
  return { kind: 'in-sync', revision: last.revision };
}

export type ReleaseAction =
  | { kind: 'install' }
  | { kind: 'upgrade'; reason: string }
  | { kind: 'unlock-install'; revision: number }
  | { kind: 'unlock-upgrade'; revision: number; rollbackTo: number }
  | { kind: 'wait'; reason: string }
  | { kind: 'none' };

/**
 * The one Helm action to run next. Failed releases are retried with an upgrade (never rolled
 * back: stores are stateful). A stale pending-* lock is ours to clear, since only the leader,
 * one reconcile per store at a time, ever runs helm for a release.
 */
export function nextReleaseAction(state: ReleaseState): ReleaseAction {
  switch (state.kind) {
    case 'absent':
      return { kind: 'install' };
    case 'locked':
      if (state.status === 'pending-install' || !state.lastDeployed)
        return { kind: 'unlock-install', revision: state.revision };
      return { kind: 'unlock-upgrade', revision: state.revision, rollbackTo: state.lastDeployed };
    case 'failed':
      return { kind: 'upgrade', reason: `retrying failed revision ${state.revision}` };
    case 'uninstalling':
      return { kind: 'wait', reason: 'the release is being uninstalled' };
    case 'out-of-sync':
      return { kind: 'upgrade', reason: state.why };
    case 'in-sync':
      return { kind: 'none' };
  }
}

export interface UpgradeArgsInput {
  release: string;
  namespace: string;
  chart: string;
  version?: string;
  helmMajor: number;
  timeoutSeconds: number;
  storeUid?: string;
}

/** `helm upgrade --install` arguments (values are added by the runner as a 0600 file). */
export function upgradeArgs(i: UpgradeArgsInput): string[] {
  const args = ['upgrade', '--install', i.release, i.chart, '--namespace', i.namespace];
  if (i.version) args.push('--version', i.version);
  args.push('--reset-values', '--history-max', '5', '--timeout', `${i.timeoutSeconds}s`, '--output', 'json');
  if (i.helmMajor >= 4) {
    // Server-side apply owns the fields; taking conflicts back is how out-of-band edits get repaired.
    args.push('--server-side=true', '--force-conflicts');
    if (i.storeUid) args.push('--labels', `storeplane.dev/store-uid=${i.storeUid}`);
  }
  return args;
}

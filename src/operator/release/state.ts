import type { StoredRevision } from '../../helm/storage.ts';

/** Our record of the last release we made (status.history[0]). */
export interface RecordedRelease {
  revision: number;
  /**
   * Drift was found on the deployed revision and no repairing revision has been made since (the
   * Drifted condition is True). The repair's first step hands foreign fields to Helm, which hides
   * them from the next drift check: only a new revision ends it.
   */
  driftUnrepaired?: boolean;
}

export type ReleaseState =
  | { kind: 'absent' }
  /** A revision left pending-* or uninstalling by a helm that is gone. */
  | { kind: 'locked'; status: string; revision: number }
  | { kind: 'failed'; revision: number }
  | { kind: 'out-of-sync'; revision: number; why: string }
  /** In sync with the configuration, but drift found on it is not repaired yet. */
  | { kind: 'drifted'; revision: number }
  | { kind: 'in-sync'; revision: number };

const lockStates = new Set(['pending-install', 'pending-upgrade', 'pending-rollback', 'uninstalling']);

/**
 * Classifies the release from Helm's stored revisions (newest first or not) against the config
 * digest the store asks for (DESIGN.md §4, after Flux's DetermineReleaseState). "In sync" needs
 * Helm's own word: the newest revision is deployed and was made for this digest. A deployed
 * revision newer than our record was made by someone else (a hand-run `helm upgrade` keeps our
 * release labels, so the label alone cannot tell).
 */
export function classifyRelease(
  revisions: StoredRevision[],
  recorded: RecordedRelease | undefined,
  desiredDigest: string,
): ReleaseState {
  const last = [...revisions].sort((a, b) => b.revision - a.revision)[0];
  if (!last || last.status === 'uninstalled') return { kind: 'absent' };
  if (lockStates.has(last.status)) return { kind: 'locked', status: last.status, revision: last.revision };
  if (last.status === 'failed') return { kind: 'failed', revision: last.revision };
  if (last.status !== 'deployed')
    return { kind: 'out-of-sync', revision: last.revision, why: `its newest revision is ${last.status}` };
  if (last.configDigest !== desiredDigest) {
    return {
      kind: 'out-of-sync',
      revision: last.revision,
      why: last.configDigest
        ? 'the configuration changed (store spec, engine chart or platform values)'
        : 'revision was not made by Storeplane',
    };
  }
  if (recorded && recorded.revision !== last.revision) {
    return { kind: 'out-of-sync', revision: last.revision, why: 'a revision was made outside Storeplane' };
  }
  if (recorded?.driftUnrepaired) return { kind: 'drifted', revision: last.revision };
  return { kind: 'in-sync', revision: last.revision };
}

export type ReleaseAction =
  | { kind: 'install' }
  | { kind: 'upgrade'; reason: string }
  /** An upgrade to the same configuration that first hands foreign fields to Helm. */
  | { kind: 'repair-drift'; revision: number }
  | { kind: 'unlock'; revision: number; status: string }
  | { kind: 'none' };

/**
 * The one Helm action to run next. A failed release is retried with an upgrade, never rolled
 * back or uninstalled (stores hold data). A stale lock is marked failed (Flux's unlock), which the
 * next pass upgrades: no uninstall, no rollback, so a store's data is never put at risk.
 */
export function nextReleaseAction(state: ReleaseState): ReleaseAction {
  switch (state.kind) {
    case 'absent':
      return { kind: 'install' };
    case 'locked':
      return { kind: 'unlock', revision: state.revision, status: state.status };
    case 'failed':
      return { kind: 'upgrade', reason: `retrying failed revision ${state.revision}` };
    case 'out-of-sync':
      return { kind: 'upgrade', reason: state.why };
    case 'drifted':
      return { kind: 'repair-drift', revision: state.revision };
    case 'in-sync':
      return { kind: 'none' };
  }
}

import type { AttemptKind, Store } from '../../store/schema.ts';

/**
 * Why a running Helm action should stop because the store is going away: `deleting` (it has a
 * deletionTimestamp; our finalizer holds it until the deletion path has run) or `gone` (no
 * longer there, or a new store of the same name with another UID). Undefined: carry on.
 */
export type DeletionSeen = 'deleting' | 'gone';

/** What a look at the store (the informer cache, or a GET) says about its deletion. */
export function deletionSeen(
  observed: Pick<Store, 'metadata'> | undefined,
  uid: string | undefined,
): DeletionSeen | undefined {
  if (!observed) return 'gone';
  if (uid !== undefined && observed.metadata.uid !== undefined && observed.metadata.uid !== uid)
    return 'gone';
  return observed.metadata.deletionTimestamp ? 'deleting' : undefined;
}

/** Event reasons of a Helm action cancelled because the store is being deleted. */
export const cancelledReasons: Record<AttemptKind, string> = {
  provision: 'ProvisioningCancelled',
  update: 'UpdateCancelled',
  upgrade: 'UpgradeCancelled',
  retry: 'RetryCancelled',
  repair: 'RepairCancelled',
};

const cancelledWhat: Record<AttemptKind, string> = {
  provision: 'Provisioning',
  update: 'Update',
  upgrade: 'Upgrade',
  retry: 'Retry',
  repair: 'Repair',
};

/**
 * The Normal Event for a Helm action stopped because the store is being deleted: not a failure,
 * so nothing is counted and nothing is Stalled; the deletion path runs next.
 */
export function cancellation(
  attempt: AttemptKind | undefined,
  action: 'install' | 'upgrade',
  seen: DeletionSeen,
): { reason: string; message: string } {
  const kind = attempt ?? (action === 'install' ? 'provision' : 'update');
  const why = seen === 'deleting' ? 'the store is being deleted' : 'the store was deleted';
  return {
    reason: cancelledReasons[kind],
    message: `${cancelledWhat[kind]} cancelled: ${why} (helm ${action} stopped with SIGTERM)`,
  };
}

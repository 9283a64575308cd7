import type { StoredRevision } from '../../helm/storage.ts';
import type { Values } from '../../store/values-layers.ts';
import type { StageOutcome } from '../decide/outcome.ts';
import type { StoreContext } from '../reconcile/context.ts';
import { helmUpgradeInstall } from './apply.ts';

/**
 * A new revision: the configuration changed, a failed revision is retried, or drift is repaired.
 * Never a rollback (stores hold data; DESIGN.md §4).
 */
export function upgrade(
  ctx: StoreContext,
  reason: string,
  digest: string,
  values: Values,
  before: StoredRevision[],
): Promise<StageOutcome> {
  return helmUpgradeInstall(ctx, 'upgrade', reason, digest, values, before);
}

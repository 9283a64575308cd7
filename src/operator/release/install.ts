import type { StoredRevision } from '../../helm/storage.ts';
import type { Values } from '../../store/values-layers.ts';
import type { StageOutcome } from '../decide/outcome.ts';
import type { StoreContext } from '../reconcile/context.ts';
import { helmUpgradeInstall } from './apply.ts';

/** First release of the store's engine chart (or again, after the release was uninstalled). */
export function install(
  ctx: StoreContext,
  digest: string,
  values: Values,
  before: StoredRevision[],
): Promise<StageOutcome> {
  return helmUpgradeInstall(ctx, 'install', 'new release', digest, values, before);
}

import { markFailed } from '../../helm/storage.ts';
import { events, reasons } from '../../store/keys.ts';
import type { StageOutcome } from '../decide/outcome.ts';
import type { StoreContext } from '../reconcile/context.ts';

/**
 * A revision left pending-* or uninstalling by a helm that died (a killed operator, a lost node):
 * only this operator's leader runs helm for a store, one reconcile at a time, so a lock it finds
 * is stale. The revision is marked failed in Helm's storage (Flux's unlock) and the next pass
 * upgrades: nothing is uninstalled or rolled back, so no data is put at risk.
 */
export async function unlock(ctx: StoreContext, revision: number, status: string): Promise<StageOutcome> {
  const what = `revision ${revision} was left ${status} by an interrupted helm; marked failed so it can be upgraded`;
  ctx.condition({
    type: 'Reconciling',
    status: 'True',
    reason: reasons.progressing,
    message: `Recovering the release: ${what}`,
  });
  const marked = await markFailed(
    ctx.deps.clients.raw,
    ctx.namespace,
    ctx.release,
    revision,
    `Release unlocked from stale '${status}' state by Storeplane`,
  );
  ctx.condition({ type: 'Released', status: 'False', reason: reasons.pendingRelease, message: what });
  if (marked) ctx.event('Warning', events.releaseUnlocked, what);
  return { kind: 'acted', message: `unlocked revision ${revision}` };
}

import type { StoredRevision } from '../../helm/storage.ts';
import { reasons } from '../../store/keys.ts';
import type { Values } from '../../store/values-layers.ts';
import type { StageOutcome } from '../decide/outcome.ts';
import type { StoreContext } from '../reconcile/context.ts';
import { type ReleaseDrift, releaseDrift } from './drift.ts';
import { upgrade } from './upgrade.ts';

/**
 * Repairs drift with a new revision of the same configuration: foreign writers' fields are handed
 * to Helm first, so its apply removes them. The Drifted condition stays True until a revision is
 * made: the handover hides those fields from the next drift check, so a repair that failed before
 * Helm wrote a revision (a conflict, an admission refusal, the API unreachable) is run again from
 * that condition, never reported repaired.
 */
export async function repairDrift(
  ctx: StoreContext,
  reason: string,
  digest: string,
  values: Values,
  before: StoredRevision[],
  found?: ReleaseDrift,
): Promise<StageOutcome> {
  const newest = before[0];
  const drift = found ?? (newest ? await releaseDrift(ctx, newest.revision) : undefined);
  await drift?.prepare();
  const outcome = await upgrade(ctx, reason, digest, values, before);
  if (outcome.kind === 'acted') {
    const made = ctx.status.history?.[0]?.revision;
    ctx.condition({
      type: 'Drifted',
      status: 'False',
      reason: reasons.noDriftDetected,
      message: `repaired in revision ${made ?? '?'}`,
    });
  }
  return outcome;
}

import { compareObject, type ObjectDrift, takeoverPatch } from '../../kube/drift.ts';
import type { RawObject } from '../../kube/raw.ts';
import { fieldManager } from '../../store/keys.ts';
import type { StoreContext } from './context.ts';

export interface SyncResult {
  created: boolean;
  /** What differed before the repair (changed by someone, or fields added by a foreign writer). */
  drift?: ObjectDrift;
}

/**
 * Brings one object the operator owns to its desired state. Drift is the API server's answer (a
 * server-side apply dry-run compared with the live object, plus fields written by tools such as
 * kubectl); a repair first hands those writers' fields to us, then applies, so what they added
 * goes away too. An object that matches causes no write.
 */
export async function syncOwned(ctx: StoreContext, desired: RawObject): Promise<SyncResult> {
  const { raw } = ctx.deps.clients;
  const live = await raw.get(desired);
  if (!live) {
    await raw.apply(desired, { manager: fieldManager });
    return { created: true };
  }
  const dryRun = await raw.apply(desired, { manager: fieldManager, dryRun: true });
  const drift = compareObject(desired, live, dryRun, ctx.deps.config.foreignManagers);
  if (!drift) return { created: false };
  if (drift.foreign.length)
    await raw.jsonPatch(live, takeoverPatch(live, drift.foreign, fieldManager), fieldManager);
  await raw.apply(desired, { manager: fieldManager });
  return { created: false, drift };
}

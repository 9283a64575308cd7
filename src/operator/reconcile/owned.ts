import { createHash } from 'node:crypto';
import { canonicalJson } from '../../helm/digest.ts';
import { compareObject, type ObjectDrift, takeOver } from '../../kube/drift.ts';
import type { RawObject } from '../../kube/raw.ts';
import { annotations, fieldManager } from '../../store/keys.ts';
import type { StoreContext } from './context.ts';

export interface SyncResult {
  created: boolean;
  /** We asked for something new (a plan change, new platform settings): applied, not drift. */
  updated: boolean;
  /** What differed from what we last asked for: changed by someone, or added by a foreign writer. */
  drift?: ObjectDrift;
}

/** The desired object stamped with a digest of itself, so a later difference can be told apart. */
export function stamped(desired: RawObject): RawObject {
  const digest = createHash('sha256').update(canonicalJson(desired)).digest('hex').slice(0, 16);
  return {
    ...desired,
    metadata: {
      ...desired.metadata,
      annotations: { ...desired.metadata?.annotations, [annotations.desiredDigest]: digest },
    },
  };
}

/**
 * Brings one object the operator owns to its desired state. Drift is the API server's answer (a
 * server-side apply dry-run compared with the live object, plus fields written by tools such as
 * kubectl); a repair first hands those writers' fields to us, then applies, so what they added
 * goes away too. An object that matches causes no write.
 */
export async function syncOwned(ctx: StoreContext, wanted: RawObject): Promise<SyncResult> {
  const { raw } = ctx.deps.clients;
  const desired = stamped(wanted);
  const live = await raw.get(desired);
  if (!live) {
    await raw.apply(desired, { manager: fieldManager });
    return { created: true, updated: false };
  }
  const memory = ctx.deps.driftMemory;
  const uid = ctx.store.metadata.uid ?? ctx.name;
  if (memory.unchanged(uid, desired, live)) return { created: false, updated: false };
  const dryRun = await raw.apply(desired, { manager: fieldManager, dryRun: true });
  const drift = compareObject(desired, live, dryRun, ctx.deps.config.foreignManagers);
  if (!drift) {
    memory.clean(uid, desired, live);
    return { created: false, updated: false };
  }
  memory.forgetObject(uid, desired);
  if (drift.foreign.length)
    await takeOver(raw, live, fieldManager, ctx.deps.config.foreignManagers, fieldManager);
  await raw.apply(desired, { manager: fieldManager });
  const digest = (o: RawObject) => o.metadata?.annotations?.[annotations.desiredDigest];
  // Made by an operator version that did not stamp its objects: adopted quietly.
  if (digest(live) === undefined && !drift.foreign.length) return { created: false, updated: false };
  const ours = digest(live) !== digest(desired);
  // A new desire and nobody else's hand in it: an update. Anything else is drift, repaired.
  if (ours && !drift.foreign.length) return { created: false, updated: true };
  return { created: false, updated: ours, drift };
}

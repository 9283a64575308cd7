import yaml from 'js-yaml';
import { applyOwner, compareObject, type ObjectDrift, takeOver } from '../../kube/drift.ts';
import type { RawObject } from '../../kube/raw.ts';
import { readRevision } from '../../helm/storage.ts';
import { fieldManager } from '../../store/keys.ts';
import type { StoreContext } from '../reconcile/context.ts';

export interface ReleaseDrift {
  objects: ObjectDrift[];
  /** Hands fields added by foreign writers to Helm, so the repairing upgrade removes them. */
  prepare: () => Promise<void>;
}

/** The objects of one revision's manifest (hooks are not part of it), with their namespace. */
export function manifestObjects(manifest: string, namespace: string): RawObject[] {
  return (yaml.loadAll(manifest) as (RawObject | null)[])
    .filter((o): o is RawObject => Boolean(o?.kind && o.metadata?.name))
    .map((o) => ({ ...o, metadata: { ...o.metadata, namespace: o.metadata?.namespace ?? namespace } }));
}

/**
 * Drift of the deployed revision, Flux's way: each object of its manifest is dry-run applied and
 * the API server's answer compared with the live object; objects that are gone, changed, or
 * touched by a tool such as `kubectl edit` are drift. Reads only (dry runs persist nothing).
 */
export async function releaseDrift(ctx: StoreContext, revision: number): Promise<ReleaseDrift> {
  const { raw } = ctx.deps.clients;
  const stored = await readRevision(raw, ctx.namespace, ctx.release, revision);
  if (!stored) return { objects: [], prepare: async () => {} };
  const objects: ObjectDrift[] = [];
  const takeovers: { live: RawObject }[] = [];
  const memory = ctx.deps.driftMemory;
  const uid = ctx.store.metadata.uid ?? ctx.name;
  for (const desired of manifestObjects(stored.release.manifest, ctx.namespace)) {
    const live = await raw.get(desired);
    if (live && memory.unchanged(uid, desired, live)) continue;
    const dryRun = live ? await raw.apply(desired, { manager: fieldManager, dryRun: true }) : undefined;
    const drift = compareObject(desired, live, dryRun, ctx.deps.config.foreignManagers);
    if (!drift) {
      if (live) memory.clean(uid, desired, live);
      continue;
    }
    memory.forgetObject(uid, desired);
    objects.push(drift);
    if (live && drift.foreign.length) takeovers.push({ live });
  }
  return {
    objects,
    prepare: async () => {
      const rules = ctx.deps.config.foreignManagers;
      for (const { live } of takeovers) {
        // Helm 3 applies client-side (no Apply owner): its upgrade restores changed fields only.
        await takeOver(raw, live, (fresh) => applyOwner(fresh, [fieldManager], rules), rules, fieldManager);
      }
    },
  };
}

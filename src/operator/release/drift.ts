import yaml from 'js-yaml';
import { applyOwner, compareObject, type ObjectDrift, takeOver } from '../../kube/drift.ts';
import type { RawObject } from '../../kube/raw.ts';
import { readRevision } from '../../helm/storage.ts';
import { fieldManager } from '../../store/keys.ts';
import { allSettled } from '../all-settled.ts';
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
 * The object as Helm applies it: the stored manifest plus the ownership metadata Helm adds to
 * every object it installs or upgrades (its setMetadataVisitor), which it owns on the live object.
 */
export function asHelmApplies(desired: RawObject, release: string): RawObject {
  const m = desired.metadata ?? {};
  return {
    ...desired,
    metadata: {
      ...m,
      labels: { ...m.labels, 'app.kubernetes.io/managed-by': 'Helm' },
      annotations: {
        ...m.annotations,
        'meta.helm.sh/release-name': release,
        'meta.helm.sh/release-namespace': m.namespace ?? '',
      },
    },
  };
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
  const rules = ctx.deps.config.foreignManagers;
  const check = async (desired: RawObject) => {
    const live = await raw.get(desired);
    if (live && memory.unchanged(uid, desired, live)) return undefined;
    // Dry-run as the release's own applier (Helm 4's "helm"), as Flux dry-runs as itself: a field
    // that applier owns but no longer applies (one handed to it by a repair that did not finish)
    // is removed in the answer, so it shows as drift. Applied as another manager it stayed hidden.
    const manager = (live && applyOwner(live, [fieldManager], rules)) || fieldManager;
    const dryRun = live
      ? await raw.apply(manager === fieldManager ? desired : asHelmApplies(desired, ctx.release), {
          manager,
          dryRun: true,
        })
      : undefined;
    const drift = compareObject(desired, live, dryRun, ctx.deps.config.foreignManagers);
    if (!drift) {
      if (live) memory.clean(uid, desired, live);
      return undefined;
    }
    memory.forgetObject(uid, desired);
    return { drift, live };
  };
  // All objects at once (reads and dry runs only): one round trip's wait per pass, not one each.
  for (const found of await allSettled(manifestObjects(stored.release.manifest, ctx.namespace), check)) {
    if (!found) continue;
    objects.push(found.drift);
    if (found.live && found.drift.foreign.length) takeovers.push({ live: found.live });
  }
  return {
    objects,
    prepare: async () => {
      for (const { live } of takeovers) {
        // Helm 3 applies client-side (no Apply owner): its upgrade restores changed fields only.
        await takeOver(raw, live, (fresh) => applyOwner(fresh, [fieldManager], rules), rules, fieldManager);
      }
    },
  };
}

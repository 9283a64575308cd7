import type { RawObject } from '../../kube/raw.ts';
import { events, labels, managedByValue, reasons, storeGroup, storeKind } from '../../store/keys.ts';
import type { Store } from '../../store/schema.ts';
import { done, type StageOutcome } from '../decide/outcome.ts';
import type { StoreContext } from './context.ts';
import { namespaceManifest, operatorBindingManifest } from './manifests.ts';
import { syncOwned } from './owned.ts';

export type Ownership = 'ours' | 'adoptable' | 'earlier-store' | 'foreign';

/**
 * Whose a live namespace is. Ownership is the Store's UID in an owner reference, never a name or
 * a label that anyone can set: a new store with the name of a deleted one never takes over what
 * is left of the old one (that namespace's owner is gone, so the garbage collector removes it;
 * the new store waits). A namespace our earlier versions made (our labels, no owner) is adopted.
 */
export function ownershipOf(ns: RawObject, store: Store): Ownership {
  const owners = ns.metadata?.ownerReferences ?? [];
  if (owners.some((o) => o.uid === store.metadata.uid)) return 'ours';
  // Another Store of this very name: it cannot exist beside this one, so it was deleted.
  if (
    owners.some(
      (o) =>
        o.kind === storeKind && o.apiVersion.startsWith(`${storeGroup}/`) && o.name === store.metadata.name,
    )
  )
    return 'earlier-store';
  const l = ns.metadata?.labels ?? {};
  if (
    owners.length === 0 &&
    l[labels.store] === store.metadata.name &&
    l[labels.managedBy] === managedByValue
  )
    return 'adoptable';
  return 'foreign';
}

/** The store's namespace with its labels (owner, engine, Pod Security Admission level). */
export async function namespaceStage(ctx: StoreContext): Promise<StageOutcome> {
  const name = ctx.namespace;
  const desired = namespaceManifest(ctx.store);
  const live = await ctx.deps.clients.raw.get(desired);
  const ownership = live && ownershipOf(live, ctx.store);
  if (live?.metadata?.deletionTimestamp || ownership === 'earlier-store') {
    // A deleted store's namespace (or ours, deleted by someone) is still going away.
    ctx.condition({
      type: 'NamespaceReady',
      status: 'False',
      reason: reasons.namespaceTerminating,
      message:
        ownership === 'earlier-store'
          ? `namespace ${name} belongs to an earlier store of this name and is being removed; waiting until it is gone`
          : `namespace ${name} is being deleted; waiting until it is gone`,
    });
    return {
      kind: 'progress',
      message: `waiting for namespace ${name} to finish deleting`,
      requeueAfterMs: 2000,
    };
  }
  if (ownership === 'foreign') {
    const diagnosis = {
      reason: reasons.namespaceTaken,
      message: `namespace ${name} already exists and does not belong to this store`,
      fix: `Delete or rename namespace ${name}, or create the store under another name.`,
    };
    ctx.condition({
      type: 'NamespaceReady',
      status: 'False',
      reason: reasons.namespaceTaken,
      message: diagnosis.message,
    });
    return { kind: 'failed', diagnosis, stall: true };
  }
  const result = await syncOwned(ctx, desired);
  if (result.drift) ctx.event('Warning', events.driftRepaired, `${result.drift.detail}; restored`);
  // In the order given: the operator's own binding (the first) before it reads anything here.
  for (const binding of ctx.deps.config.storeRoleBindings ?? []) {
    const rb = await syncOwned(ctx, operatorBindingManifest(ctx.store, binding));
    if (rb.drift) ctx.event('Warning', events.driftRepaired, `${rb.drift.detail}; restored`);
  }
  ctx.status.namespace = name;
  ctx.condition({
    type: 'NamespaceReady',
    status: 'True',
    reason: reasons.applied,
    message: `namespace ${name}`,
  });
  return done;
}

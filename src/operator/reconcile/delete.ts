import { deleteOptional } from '../../kube/clients.ts';
import { events, reasons, storeFinalizer } from '../../store/keys.ts';
import type { ReconcileResult } from '../queue.ts';
import { uninstall } from '../release/uninstall.ts';
import type { StoreContext } from './context.ts';
import { vaultSecretName } from './credentials.ts';
import { ownershipOf } from './namespace.ts';

/**
 * Deletion (DESIGN.md §4): helm uninstall, then delete the namespace, wait until it is really
 * gone (never force-finalize it), drop the credentials vault copy, then remove our finalizer.
 * A namespace that is not this Store's (by UID) is never touched.
 */
export async function reconcileDelete(
  ctx: StoreContext,
  removeFinalizer: () => Promise<void>,
): Promise<ReconcileResult> {
  if (!ctx.store.metadata.finalizers?.includes(storeFinalizer)) return {};
  const { core, raw } = ctx.deps.clients;
  const namespace = ctx.namespace;
  const ns = await raw.get({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  const owner = ns && ownershipOf(ns, ctx.store);
  // Never another store's or anyone else's (an earlier store's namespace goes with its owner).
  const ours = owner === 'ours' || owner === 'adoptable';
  ctx.status.phase = 'Deleting';

  if (ns && ours && !ns.metadata?.deletionTimestamp) {
    ctx.condition({
      type: 'Reconciling',
      status: 'True',
      reason: reasons.deleting,
      message: `uninstalling release ${ctx.release}`,
    });
    ctx.condition({
      type: 'Ready',
      status: 'False',
      reason: reasons.deleting,
      message: 'the store is being deleted',
    });
    if (!ctx.status.activity?.some((a) => a.reason === events.deleting))
      ctx.event('Normal', events.deleting, `deleting the store: helm uninstall, then namespace ${namespace}`);
    await ctx.flush();
    const r = await uninstall(ctx);
    if (!r.ok) {
      ctx.condition({
        type: 'Reconciling',
        status: 'True',
        reason: reasons.deleteRetrying,
        message: `helm uninstall failed: ${r.message}; retrying`,
      });
      await ctx.flush();
      throw new Error(`helm uninstall failed: ${r.message}`);
    }
    await deleteOptional(() => core.deleteNamespace({ name: namespace }));
    ctx.condition({
      type: 'Reconciling',
      status: 'True',
      reason: reasons.deleting,
      message: `waiting for namespace ${namespace} to be deleted`,
    });
    await ctx.flush();
    return { requeueAfterMs: 1000 };
  }
  if (ns && ours) {
    const started = new Date(ns.metadata?.deletionTimestamp ?? ctx.deps.now()).getTime();
    const waited = ctx.deps.now().getTime() - started;
    const left = (
      (ns.status as { conditions?: { status: string; message?: string }[] } | undefined)?.conditions ?? []
    )
      .filter((c) => c.status === 'True')
      .map((c) => c.message)
      .join('; ');
    if (waited > ctx.deps.config.namespaceDeleteTimeoutMs) {
      ctx.condition({
        type: 'Reconciling',
        status: 'True',
        reason: reasons.namespaceDeletionSlow,
        message: `namespace ${namespace} is still terminating after ${Math.round(waited / 1000)}s${left ? `: ${left}` : ''}. Storeplane never force-finalizes it: check the finalizers of what is left (kubectl api-resources --verbs=list --namespaced -o name | xargs -n1 kubectl get -n ${namespace}).`,
      });
      await ctx.flush();
      return { requeueAfterMs: 30_000 };
    }
    await ctx.flush();
    return { requeueAfterMs: 1000 };
  }
  await deleteOptional(() =>
    core.deleteNamespacedSecret({ name: vaultSecretName(ctx.name), namespace: ctx.deps.config.namespace }),
  );
  ctx.event('Normal', events.deleted, `namespace ${namespace} and everything in it are gone`);
  await ctx.flush();
  await removeFinalizer();
  return {};
}

import { readOptional } from '../../kube/clients.ts';
import { classifyHelmError } from '../../helm/classify.ts';
import { namespaceFor, releaseFor } from '../../store/naming.ts';
import { storeFinalizer } from '../../store/schema.ts';
import type { ReconcileResult } from '../queue.ts';
import type { StoreContext } from './context.ts';
import { vaultSecretName } from './credentials.ts';

/**
 * Deletion (DESIGN.md §4): helm uninstall, then delete the namespace, wait until it is really
 * gone (never force-finalize it), drop the credentials vault copy, then remove our finalizer.
 */
export async function reconcileDelete(
  ctx: StoreContext,
  removeFinalizer: () => Promise<void>,
): Promise<ReconcileResult> {
  if (!ctx.store.metadata.finalizers?.includes(storeFinalizer)) return {};
  const { core } = ctx.deps.clients;
  const namespace = namespaceFor(ctx.name);
  const ns = await readOptional(() => core.readNamespace({ name: namespace }));
  const ours = ns?.metadata?.labels?.['storeplane.dev/store'] === ctx.name;

  if (ns && ours && !ns.metadata?.deletionTimestamp) {
    ctx.condition({
      type: 'Reconciling',
      status: 'True',
      reason: 'Deleting',
      message: `Uninstalling release ${releaseFor(ctx.name)}`,
    });
    ctx.condition({
      type: 'Ready',
      status: 'False',
      reason: 'Deleting',
      message: 'the store is being deleted',
    });
    if (!ctx.status.activity?.some((a) => a.reason === 'Deleting'))
      ctx.event('Normal', 'Deleting', `deleting store: helm uninstall, then namespace ${namespace}`);
    await ctx.flush();
    const timeout = `${ctx.deps.config.helmTimeoutSeconds}s`;
    const r = await ctx.deps.helm.run(
      ['uninstall', releaseFor(ctx.name), '--namespace', namespace, '--wait', '--timeout', timeout],
      { signal: ctx.signal },
    );
    if (!r.ok && classifyHelmError(r.stderr).kind !== 'release-not-found') {
      const e = classifyHelmError(r.stderr);
      ctx.condition({
        type: 'Reconciling',
        status: 'True',
        reason: 'DeleteRetrying',
        message: `helm uninstall failed: ${e.message}; retrying`,
      });
      await ctx.flush();
      throw new Error(`helm uninstall failed: ${e.message}`);
    }
    await core.deleteNamespace({ name: namespace }).catch((err: unknown) => {
      if ((err as { code?: number }).code !== 404) throw err;
    });
    ctx.condition({
      type: 'Reconciling',
      status: 'True',
      reason: 'Deleting',
      message: `Waiting for namespace ${namespace} to be deleted`,
    });
    await ctx.flush();
    return { requeueAfterMs: 1000 };
  }
  if (ns && ours) {
    const started = new Date(ns.metadata?.deletionTimestamp ?? ctx.deps.now()).getTime();
    const waited = ctx.deps.now().getTime() - started;
    const left = ns.status?.conditions
      ?.filter((c) => c.status === 'True')
      .map((c) => c.message)
      .join('; ');
    if (waited > ctx.deps.config.namespaceDeleteTimeoutMs) {
      ctx.condition({
        type: 'Reconciling',
        status: 'True',
        reason: 'NamespaceDeletionSlow',
        message: `namespace ${namespace} is still terminating after ${Math.round(waited / 1000)}s${left ? `: ${left}` : ''}. Storeplane never force-finalizes it: check the finalizers of what is left (kubectl api-resources --verbs=list --namespaced -o name | xargs -n1 kubectl get -n ${namespace}).`,
      });
      await ctx.flush();
      return { requeueAfterMs: 30_000 };
    }
    return { requeueAfterMs: 1000 };
  }
  await core
    .deleteNamespacedSecret({ name: vaultSecretName(ctx.name), namespace: ctx.deps.config.namespace })
    .catch((err: unknown) => {
      if ((err as { code?: number }).code !== 404) throw err;
    });
  ctx.event('Normal', 'Deleted', `namespace ${namespace} and everything in it are gone`);
  await ctx.flush();
  await removeFinalizer();
  return {};
}

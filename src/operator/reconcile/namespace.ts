import { apply, readOptional } from '../../kube/clients.ts';
import { isSubset } from '../../kube/compare.ts';
import { namespaceFor } from '../../store/naming.ts';
import { type StageOutcome, type StoreContext, done } from './context.ts';
import { namespaceManifest, storeLabel } from './manifests.ts';

/** The store's namespace with its labels (owner, engine, Pod Security Admission level). */
export async function namespaceStage(ctx: StoreContext): Promise<StageOutcome> {
  const name = namespaceFor(ctx.name);
  const desired = namespaceManifest(ctx.store);
  const live = await readOptional(() => ctx.deps.clients.core.readNamespace({ name }));
  if (live?.metadata?.deletionTimestamp) {
    // A store of the same name was just deleted; its namespace is still going away.
    ctx.condition({
      type: 'NamespaceReady',
      status: 'False',
      reason: 'NamespaceTerminating',
      message: `namespace ${name} from an earlier store is still being deleted`,
    });
    return {
      kind: 'progress',
      message: `waiting for the old namespace ${name} to finish deleting`,
      requeueAfterMs: 2000,
    };
  }
  const owner = live?.metadata?.labels?.[storeLabel];
  if (live && owner !== ctx.name) {
    const diagnosis = {
      reason: 'NamespaceTaken',
      message: `namespace ${name} already exists and does not belong to this store`,
      fix: `Delete or rename namespace ${name}, or create the store under another name.`,
    };
    ctx.condition({
      type: 'NamespaceReady',
      status: 'False',
      reason: 'NamespaceTaken',
      message: diagnosis.message,
    });
    return { kind: 'failed', diagnosis, stall: true };
  }
  if (!live || !isSubset(desired.metadata, live.metadata)) {
    await apply(ctx.deps.clients, desired);
    if (live)
      ctx.event('Warning', 'Drifted', `namespace ${name} labels were changed outside Storeplane; restored`);
  }
  ctx.status.namespace = name;
  ctx.condition({ type: 'NamespaceReady', status: 'True', reason: 'Applied', message: `namespace ${name}` });
  return done;
}

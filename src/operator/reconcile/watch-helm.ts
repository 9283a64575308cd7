import { readOptional } from '../../kube/clients.ts';
import { storeResource } from '../../store/keys.ts';
import type { Store } from '../../store/schema.ts';
import { type DeletionSeen, deletionSeen } from '../decide/cancel.ts';
import type { Diagnosis } from '../decide/outcome.ts';
import type { StoreContext } from './context.ts';
import { currentDiagnosis } from './workloads.ts';

export interface HelmWatch {
  /** Aborted when helm must stop (it then gets SIGTERM). */
  signal: AbortSignal;
  stop: () => void;
  /** The failure a person can act on that stopped helm, if one did. */
  found: () => Diagnosis | undefined;
  /** The deletion of the store that stopped helm, if one did. */
  cancelled: () => DeletionSeen | undefined;
}

/**
 * Whether the store is being deleted (or gone), from the operator's informer cache: no API
 * request. A deletionTimestamp is never taken back, so the cache's word on it is enough; a cache
 * that does not have the store is checked with a read before helm is stopped for it. Without a
 * cache, the store is read.
 */
export async function lookForDeletion(ctx: StoreContext): Promise<DeletionSeen | undefined> {
  const uid = ctx.store.metadata.uid;
  const cached = ctx.deps.cachedStore;
  if (cached) {
    const seen = deletionSeen(cached(ctx.name), uid);
    if (seen !== 'gone') return seen;
  }
  const read = (await readOptional(() =>
    ctx.deps.clients.custom.getClusterCustomObject({ ...storeResource, name: ctx.name }),
  )) as Store | undefined;
  return deletionSeen(read, uid);
}

/**
 * Watches a store while a Helm action runs, and stops helm early (SIGTERM, through `signal`)
 * for one of two things:
 *
 * - A failure a person can act on in the store's namespace (looked for every `everyMs`). Helm
 *   waits for the release's hook Jobs (setup, seed) until its timeout, so a hook whose pod can
 *   never run (over quota, unschedulable, its image missing) would otherwise show nothing for
 *   many minutes. The failure is kept for the report.
 * - The store being deleted (looked for every `deletionEveryMs` in the informer cache, or every
 *   `everyMs` by a read without one): a deletion must not wait for a provisioning that can take
 *   until the helm timeout. Not a failure: the deletion path runs next.
 *
 * Reading problems are left to the next look.
 */
export function watchWhileHelmRuns(
  ctx: StoreContext,
  opts: { everyMs?: number; deletionEveryMs?: number } = {},
): HelmWatch {
  const everyMs = opts.everyMs ?? 5000;
  const deletionEveryMs = ctx.deps.cachedStore ? (opts.deletionEveryMs ?? 1000) : everyMs;
  const abort = new AbortController();
  let found: Diagnosis | undefined;
  let cancelled: DeletionSeen | undefined;
  const every = (ms: number, look: () => Promise<void>) => {
    let looking = false;
    return setInterval(() => {
      if (looking || abort.signal.aborted) return;
      looking = true;
      look()
        .catch(() => undefined)
        .finally(() => {
          looking = false;
        });
    }, ms);
  };
  const timers = [
    every(everyMs, async () => {
      const d = await currentDiagnosis(ctx);
      if (d && !abort.signal.aborted) {
        found = d;
        abort.abort();
      }
    }),
    every(deletionEveryMs, async () => {
      const seen = await lookForDeletion(ctx);
      if (seen && !abort.signal.aborted) {
        cancelled = seen;
        abort.abort();
      }
    }),
  ];
  return {
    signal: abort.signal,
    stop: () => {
      for (const t of timers) clearInterval(t);
    },
    found: () => found,
    cancelled: () => cancelled,
  };
}

import type { Diagnosis } from '../decide/outcome.ts';
import type { StoreContext } from './context.ts';
import { currentDiagnosis } from './workloads.ts';

/**
 * Watches a store's namespace while a Helm action runs. Helm waits for the release's hook Jobs
 * (setup, seed) until its timeout, so a hook whose pod can never run (over quota, unschedulable,
 * its image missing) would otherwise show nothing for many minutes. The first failure a person can
 * act on aborts `signal` (Helm gets SIGTERM and marks the release failed) and is kept for the
 * report. Reading problems are left to the next look.
 */
export function watchWhileHelmRuns(
  ctx: StoreContext,
  everyMs = 5000,
): { signal: AbortSignal; stop: () => void; found: () => Diagnosis | undefined } {
  const abort = new AbortController();
  let found: Diagnosis | undefined;
  let looking = false;
  const timer = setInterval(() => {
    if (looking || found) return;
    looking = true;
    currentDiagnosis(ctx)
      .then((d) => {
        if (d) {
          found = d;
          abort.abort();
        }
      })
      .catch(() => undefined)
      .finally(() => {
        looking = false;
      });
  }, everyMs);
  return { signal: abort.signal, stop: () => clearInterval(timer), found: () => found };
}

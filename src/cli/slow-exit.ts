import type { Logger } from 'pino';

/**
 * Once a process has shut down it should exit by itself, as nothing holds its event loop. If it
 * is still running `afterMs` later, say what holds it (open sockets, timers), so that a leak
 * shows in the log instead of as a silent hang. The timer itself holds nothing (unref).
 */
export function reportIfStillRunning(log: Logger, afterMs = 10_000): void {
  setTimeout(() => {
    const open: Record<string, number> = {};
    for (const kind of process.getActiveResourcesInfo()) open[kind] = (open[kind] ?? 0) + 1;
    log.warn({ open }, `still running ${afterMs / 1000} s after shutdown; these keep the process alive`);
  }, afterMs).unref();
}

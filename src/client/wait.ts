import type { PipelineStep, StoreDetail, StoreSummary } from '../api/client/client.ts';
import type { StoreplaneClient } from '../api/client/client.ts';
import { ok } from './connection.ts';
import { ApiFailure } from './failure.ts';
import { storeChanges } from './store-stream.ts';

export type WaitFor = 'ready' | 'deleted';

/** Where a wait stands with the store as last seen (undefined: not there). Pure. */
export type Verdict = 'waiting' | 'done' | 'stalled' | 'gone';

export function judge(store: StoreSummary | undefined, want: WaitFor): Verdict {
  if (want === 'deleted') return store === undefined ? 'done' : 'waiting';
  if (store === undefined) return 'gone';
  if (store.phase === 'Ready') return 'done';
  // Stalled: the operator has stopped trying; nothing changes until a person acts (fix, retry).
  if (store.stalled) return 'stalled';
  // Being deleted: it will never be Ready.
  if (store.phase === 'Deleting') return 'gone';
  return 'waiting';
}

/** Something worth telling while waiting: a stage done, a failed try, the store's state. */
export type WaitEvent =
  | { type: 'stage'; step: PipelineStep }
  | { type: 'failure'; failure: NonNullable<StoreSummary['lastFailure']>; stalled: boolean }
  | { type: 'status'; store: StoreSummary }
  | { type: 'reconnecting'; why: string };

/**
 * What is new in `detail` since `seen`: stages that finished, and a failure not told before.
 * `seen` is updated in place. Pure apart from that.
 */
export function newEvents(
  seen: { stages: Set<string>; failure?: string },
  detail: StoreDetail,
  stages = true,
): WaitEvent[] {
  const out: WaitEvent[] = [];
  for (const step of stages ? detail.pipeline : []) {
    if (step.state === 'done' && !seen.stages.has(step.stage)) {
      seen.stages.add(step.stage);
      out.push({ type: 'stage', step });
    }
  }
  const f = detail.lastFailure;
  const key = f ? `${f.since}|${f.reason}|${detail.failures ?? 0}|${detail.stalled}` : undefined;
  if (f && key !== seen.failure) out.push({ type: 'failure', failure: f, stalled: detail.stalled });
  seen.failure = key;
  return out;
}

export interface WaitResult {
  verdict: Exclude<Verdict, 'waiting'> | 'timeout';
  /** The store as last seen (absent when it is gone or was never seen). */
  store?: StoreSummary;
}

/**
 * Follows one store on the live stream until it is Ready (or gone, for `deleted`), stalls, or the
 * time is up. Each change is told through `onEvent`; stages come from the store's detail, read
 * once per change. Unknown store: an ApiFailure `not_found` (status 404) before any waiting.
 */
export async function waitForStore(o: {
  client: StoreplaneClient;
  connection: { server: string; token?: string };
  name: string;
  want: WaitFor;
  timeoutMs: number;
  onEvent?: (e: WaitEvent) => void;
  signal?: AbortSignal;
}): Promise<WaitResult> {
  const timeout = AbortSignal.timeout(o.timeoutMs);
  const signal = o.signal ? AbortSignal.any([o.signal, timeout]) : timeout;
  const seen = { stages: new Set<string>(), failure: undefined as string | undefined };
  const emit = o.onEvent ?? (() => {});
  let current: StoreSummary | undefined;
  let lastJson = '';

  const detail = async (): Promise<StoreDetail | undefined> => {
    try {
      return await ok(o.client.GET('/api/v1/stores/{name}', { params: { path: { name: o.name } }, signal }));
    } catch (err) {
      // Waiting for a deletion, gone is done; waiting for Ready, the API's own 404 is the answer.
      if (err instanceof ApiFailure && err.status === 404 && o.want !== 'ready') return undefined;
      throw err;
    }
  };

  try {
    // A store that does not exist (or is not yours) is refused now, not waited for.
    const first = await detail();
    if (!first) return { verdict: 'done' };
    for (const e of newEvents(seen, first, o.want === 'ready')) emit(e);

    for await (const change of storeChanges(o.connection, signal)) {
      if (change.kind === 'reconnecting') {
        emit({ type: 'reconnecting', why: change.why });
        continue;
      }
      if (change.kind === 'snapshot') current = change.stores.find((s) => s.name === o.name);
      else if (change.store.name !== o.name) continue;
      else current = change.kind === 'delete' ? undefined : change.store;

      const json = JSON.stringify(current ?? null);
      if (json !== lastJson) {
        lastJson = json;
        if (current) {
          const d = await detail().catch((err: unknown) => {
            // The stage lines are a nicety: a busy or restarting API (429, 5xx, unreachable) or a
            // store deleted just now skips them for this change; the wait goes on from the stream.
            if (
              err instanceof ApiFailure &&
              (err.status === 0 || err.status === 404 || err.status === 429 || err.status >= 500) &&
              !signal.aborted
            )
              return undefined;
            throw err;
          });
          if (d) for (const e of newEvents(seen, d, o.want === 'ready')) emit(e);
          emit({ type: 'status', store: current });
        }
      }
      const verdict = judge(current, o.want);
      if (verdict !== 'waiting') return { verdict, store: current };
    }
  } catch (err) {
    if (!timeout.aborted) throw err;
  }
  if (o.signal?.aborted && !timeout.aborted) throw o.signal.reason;
  return { verdict: 'timeout', store: current };
}

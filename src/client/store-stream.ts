import { setTimeout as sleep } from 'node:timers/promises';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import type { StoreSummary } from '../api/client/client.ts';
import { failureFrom, unreachable } from './failure.ts';

export type StoreChange =
  | { kind: 'snapshot'; stores: StoreSummary[] }
  | { kind: 'upsert' | 'delete'; store: StoreSummary }
  /** The stream broke and is being opened again (the next change may be a fresh snapshot). */
  | { kind: 'reconnecting'; why: string };

/**
 * The API's live store stream (GET /api/v1/stores/stream, Server-Sent Events) as changes, for as
 * long as `signal` allows. A broken stream is opened again with Last-Event-ID, so nothing in
 * between is lost (the API sends a fresh snapshot when it no longer has those events). Refusals
 * (401, 403) end it with the API's error.
 */
export async function* storeChanges(
  c: { server: string; token?: string },
  signal: AbortSignal,
  /** Silence this long (the API pings every 15 s) means a dead connection: open another. */
  idleMs = 45_000,
): AsyncGenerator<StoreChange> {
  let lastEventId: string | undefined;
  let backoffMs = 500;
  while (!signal.aborted) {
    let why = 'the stream ended';
    const silence = new AbortController();
    const watchdog = setTimeout(() => silence.abort(), idleMs);
    try {
      const response = await fetch(`${c.server}/api/v1/stores/stream`, {
        headers: {
          accept: 'text/event-stream',
          ...(c.token ? { authorization: `Bearer ${c.token}` } : {}),
          ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
        },
        signal: AbortSignal.any([signal, silence.signal]),
      }).catch((err: unknown) => {
        if (signal.aborted || silence.signal.aborted) throw err;
        throw unreachable(c.server, err);
      });
      if (!response.ok) {
        const body: unknown = await response.json().catch(() => undefined);
        const failure = failureFrom(response, body);
        if (response.status < 500 && response.status !== 429) throw failure;
        why = failure.message;
      } else if (response.body) {
        backoffMs = 500;
        const events = response.body
          // Every chunk, pings included, proves the connection alive.
          .pipeThrough(
            new TransformStream<Uint8Array, Uint8Array>({
              transform(chunk, out) {
                watchdog.refresh();
                out.enqueue(chunk);
              },
            }),
          )
          .pipeThrough(new TextDecoderStream())
          .pipeThrough(new EventSourceParserStream());
        for await (const e of events) {
          if (e.id) lastEventId = e.id;
          const data = JSON.parse(e.data) as Record<string, unknown>;
          if (e.event === 'snapshot') yield { kind: 'snapshot', stores: data.stores as StoreSummary[] };
          else if (e.event === 'store')
            yield { kind: data.type === 'delete' ? 'delete' : 'upsert', store: data.store as StoreSummary };
        }
      }
    } catch (err) {
      if (signal.aborted) return;
      if (silence.signal.aborted) why = `no data for ${idleMs / 1000} s`;
      else if ((err as { code?: string }).code !== 'unreachable' && !(err instanceof TypeError)) throw err;
      else why = (err as Error).message;
    } finally {
      clearTimeout(watchdog);
    }
    if (signal.aborted) return;
    yield { kind: 'reconnecting', why };
    await sleep(backoffMs, undefined, { signal }).catch(() => undefined);
    backoffMs = Math.min(backoffMs * 2, 5000);
  }
}

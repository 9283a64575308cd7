import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../../store/schema.ts';
import { type ChangeFeed, type StoreEvent, visibleChange } from './feed.ts';

export interface StreamStoresOptions {
  feed: ChangeFeed;
  /** Where the snapshot comes from: the same directory that feeds `feed`. */
  directory: { list(): readonly Store[] };
  /** Whether this caller may see a store (its owner, or an admin). */
  visible: (s: Store) => boolean;
  /** What a store looks like on the wire (usually storeSummary). */
  toView: (s: Store) => unknown;
  /** A `: ping` comment this often, so proxies and clients know the stream is alive (default 15 s). */
  heartbeatMs?: number;
  /** Aborted at shutdown (e.g. in a preClose hook): the stream ends, so the server can close. */
  signal?: AbortSignal;
  /** A client this far behind (bytes buffered for it) is cut off; it reconnects and resyncs. */
  maxBacklogBytes?: number;
}

export const defaultHeartbeatMs = 15_000;
export const defaultMaxBacklogBytes = 1 << 20;
/** The reconnection delay EventSource clients are asked to use. */
export const retryMs = 2000;

const openStreams = new Set<() => void>();

/**
 * Ends every open store stream of this process. Fastify's close() waits for open connections,
 * and an event stream never ends by itself: call this (or abort `signal`) from a `preClose` hook.
 */
export function closeAllStreams(): void {
  for (const end of [...openStreams]) end();
}

export function openStreamCount(): number {
  return openStreams.size;
}

/** Headers of the reply that make no sense on an endless stream. */
const notForStreams = new Set([
  'content-length',
  'content-type',
  'content-encoding',
  'transfer-encoding',
  'etag',
]);

function lastEventIdOf(request: FastifyRequest): string | undefined {
  const header = request.headers['last-event-id'];
  const query = (request.query as Record<string, unknown> | undefined)?.lastEventId;
  const id = typeof header === 'string' && header ? header : typeof query === 'string' ? query : undefined;
  const trimmed = id?.trim();
  return trimmed && trimmed.length <= 64 ? trimmed : undefined;
}

/** One SSE frame. JSON never contains a raw line break, so one data line carries it. */
function frame(event: string, id: string, data: unknown): string {
  return `event: ${event}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * The live store stream (text/event-stream). On connect: the events missed since Last-Event-ID
 * (header, or `?lastEventId=` for EventSource polyfills) when the feed still has them, else a
 * `snapshot` of every store the caller may see, with the feed's current id. Then each change the
 * caller may see as a `store` event ({type, store}); a store that leaves the caller's view is told
 * as a delete, with nothing of its new state. Snapshot and subscription are taken in one
 * synchronous step, so no change falls between them.
 */
export function streamStores(request: FastifyRequest, reply: FastifyReply, opts: StreamStoresOptions): void {
  const { feed, visible, toView } = opts;
  const heartbeatMs = opts.heartbeatMs ?? defaultHeartbeatMs;
  const maxBacklog = opts.maxBacklogBytes ?? defaultMaxBacklogBytes;
  const res = reply.raw;
  const log = request.log;

  // Headers earlier hooks set (security, rate limit, request id) go out with the stream.
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(reply.getHeaders()))
    if (value !== undefined && !notForStreams.has(name.toLowerCase())) headers[name] = value;
  headers['content-type'] = 'text/event-stream; charset=utf-8';
  headers['cache-control'] = 'no-store';
  headers['x-accel-buffering'] = 'no';
  // HTTP/2 forbids connection-specific headers.
  if (request.raw.httpVersionMajor < 2) headers.connection = 'keep-alive';

  reply.hijack();
  res.writeHead(200, headers);
  request.raw.socket?.setNoDelay(true);

  let closed = false;
  let unsubscribe = () => {};
  function end(why: string, abort = false): void {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
    opts.signal?.removeEventListener('abort', closeFromOutside);
    openStreams.delete(closeFromOutside);
    log.debug({ why }, 'store stream ended');
    if (abort) res.destroy();
    else if (!res.writableEnded) res.end();
  }
  const closeFromOutside = () => end('server closing');

  const write = (chunk: string) => {
    if (closed || res.destroyed || res.writableEnded) return;
    // A slow client: what it has not taken yet is buffered here; past the limit it is cut off.
    if (!res.write(chunk) && res.writableLength > maxBacklog) {
      log.warn({ buffered: res.writableLength }, 'store stream client too slow; ending the stream');
      end('slow client', true);
    }
  };
  const heartbeat = setInterval(() => write(': ping\n\n'), heartbeatMs);
  heartbeat.unref();
  const send = (e: StoreEvent) => {
    const change = visibleChange(e, visible);
    if (change) write(frame('store', e.id, { type: change.type, store: toView(change.store) }));
  };

  res.on('close', () => end('client gone'));
  request.raw.on('close', () => end('client gone'));
  res.on('error', () => end('write failed', true));
  if (opts.signal?.aborted) {
    write(`retry: ${retryMs}\n\n`);
    end('server closing');
    return;
  }
  opts.signal?.addEventListener('abort', closeFromOutside, { once: true });
  openStreams.add(closeFromOutside);

  try {
    write(`retry: ${retryMs}\n\n`);
    const lastEventId = lastEventIdOf(request);
    const missed = lastEventId === undefined ? undefined : feed.since(lastEventId);
    if (missed) for (const e of missed) send(e);
    else {
      const stores = opts.directory.list().filter(visible).map(toView);
      write(frame('snapshot', feed.currentId(), { stores }));
    }
    if (closed) return;
    unsubscribe = feed.subscribe(send);
    log.debug({ resumed: Boolean(missed), missed: missed?.length }, 'store stream opened');
  } catch (err) {
    log.error({ err: err instanceof Error ? err.message : String(err) }, 'store stream failed to start');
    end('failed to start', true);
    return;
  }
}

import { type ClientRequest, type IncomingMessage, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreDirectory } from '../../src/api/stores/directory.ts';
import { type StoreSummary, storeSummary } from '../../src/api/stores/view.ts';
import { ChangeFeed } from '../../src/api/stream/feed.ts';
import { openStreamCount, streamStores } from '../../src/api/stream/sse.ts';
import { type KubeClients, makeClients } from '../../src/kube/clients.ts';
import { installStoreCrd } from '../../src/store/install-crd.ts';
import { storeApiVersion, storeResource } from '../../src/store/keys.ts';
import type { Store, StoreStatus } from '../../src/store/schema.ts';
import { eventually, testCluster, uniqueName } from '../cluster/testing.ts';

// The API's read side against a real API server: the Store directory (informer cache), the change
// feed, and the SSE stream served by a real Fastify server to a real HTTP client.

const hold = 'test.storeplane.dev/hold';
const log = pino({ level: 'warn' });
const prefix = uniqueName('apit');
const storePath = (name: string) =>
  `/apis/${storeResource.group}/${storeResource.version}/${storeResource.plural}/${name}`;

let clients: KubeClients;
let directory: StoreDirectory;
let feed: ChangeFeed;
const heard: { type: string; name: string; rv: string | undefined }[] = [];
const made = new Set<string>();

async function createStore(suffix: string, owner: string, finalizers: string[] = []): Promise<Store> {
  const name = `${prefix}-${suffix}`;
  made.add(name);
  return (await clients.custom.createClusterCustomObject({
    ...storeResource,
    body: {
      apiVersion: storeApiVersion,
      kind: 'Store',
      metadata: { name, ...(finalizers.length ? { finalizers } : {}) },
      spec: { engine: 'medusa', displayName: `Shop ${suffix}`, owner, plan: 'small' },
    },
  })) as Store;
}
const mergePatch = (name: string, patch: unknown, subresource = '') =>
  clients.raw.request<Store>('PATCH', storePath(name) + subresource, {
    body: patch,
    contentType: 'application/merge-patch+json',
  });
const rename = (name: string, displayName: string) => mergePatch(name, { spec: { displayName } });
const inDirectory = (name: string, rv: string | undefined) =>
  eventually(`${name} at resourceVersion ${rv} in the directory`, async () =>
    directory.get(name)?.metadata.resourceVersion === rv ? directory.get(name) : undefined,
  );

beforeAll(async () => {
  const c = testCluster();
  clients = await makeClients(c.kc);
  await installStoreCrd(clients);
  directory = new StoreDirectory({ kc: c.kc, custom: clients.custom, log });
  feed = new ChangeFeed({ source: directory });
  directory.onChange((type, s) =>
    heard.push({ type, name: s.metadata.name, rv: s.metadata.resourceVersion }),
  );
  expect(directory.synced()).toBe(false);
  await directory.start();
  expect(directory.synced()).toBe(true);
});

afterAll(async () => {
  // Nothing may keep a test store alive: no finalizer of ours (or of an operator another file ran).
  for (const name of made) {
    await mergePatch(name, { metadata: { finalizers: null } }).catch(() => {});
    await clients.custom.deleteClusterCustomObject({ ...storeResource, name }).catch(() => {});
  }
  await directory?.stop();
  feed?.close();
  clients?.close();
});

describe('StoreDirectory and ChangeFeed against the API server', () => {
  it('see a store created, renamed, given status, deleted (through a finalizer), and gone', async () => {
    const before = feed.currentId();
    const created = await createStore('one', 'alice', [hold]);
    const name = created.metadata.name;
    expect((await inDirectory(name, created.metadata.resourceVersion))?.spec.owner).toBe('alice');
    expect(storeSummary(directory.get(name) as Store)).toMatchObject({
      phase: 'Pending',
      stage: 'namespace',
    });

    const renamed = await rename(name, 'Shop One, renamed');
    expect((await inDirectory(name, renamed.metadata.resourceVersion))?.metadata.generation).toBe(2);

    // A status as the operator's first write has it: the stages before the release done, helm running.
    const now = new Date().toISOString();
    const cond = (type: string, status: string, reason: string, message: string) => ({
      type,
      status,
      reason,
      message,
      lastTransitionTime: now,
      observedGeneration: 2,
    });
    const status: StoreStatus = {
      namespace: `store-${name}`,
      attempt: { kind: 'provision', startedAt: now, generation: 2, reason: 'new store' },
      conditions: [
        cond('Reconciling', 'True', 'Progressing', 'Installing medusa-store 0.1.0: new release'),
        cond('NamespaceReady', 'True', 'Applied', `namespace store-${name}`),
        cond('GuardrailsReady', 'True', 'Applied', 'plan small'),
        cond('CredentialsReady', 'True', 'Present', 'Secret store-credentials (5 keys)'),
        cond('Released', 'Unknown', 'Progressing', `Installing release ${name}`),
      ] as StoreStatus['conditions'],
    };
    const withStatus = await mergePatch(name, { status }, '/status');
    const seen = await inDirectory(name, withStatus.metadata.resourceVersion);
    expect(storeSummary(seen as Store)).toMatchObject({ phase: 'Provisioning', stage: 'release' });

    await clients.custom.deleteClusterCustomObject({ ...storeResource, name });
    const deleting = await eventually('the deletionTimestamp in the directory', async () =>
      directory.get(name)?.metadata.deletionTimestamp ? directory.get(name) : undefined,
    );
    expect(storeSummary(deleting)).toMatchObject({ phase: 'Deleting' });
    // The API server counts a deletion as a new generation (rest.BeforeDelete).
    expect(deleting.metadata.generation).toBe(3);
    expect(directory.list().map((s) => s.metadata.name)).toContain(name);

    await mergePatch(name, { metadata: { finalizers: null } });
    await eventually('the store gone from the directory', async () =>
      directory.get(name) ? undefined : true,
    );

    const mine = heard.filter((h) => h.name === name);
    expect(mine.map((h) => h.type)).toEqual(['upsert', 'upsert', 'upsert', 'upsert', 'delete']);
    // Never the same resourceVersion twice.
    const upserts = mine.filter((h) => h.type === 'upsert').map((h) => h.rv);
    expect(new Set(upserts).size).toBe(upserts.length);
    // The feed numbered the same changes, in order.
    const events = feed.since(before)?.filter((e) => e.store.metadata.name === name);
    expect(events?.map((e) => `${e.type} ${e.store.metadata.resourceVersion}`)).toEqual(
      mine.map((h) => `${h.type} ${h.rv}`),
    );
    expect(events?.[4]?.previous?.metadata.deletionTimestamp).toBeDefined();
  });

  it('lists by name and gets by name', async () => {
    const b = await createStore('list-b', 'bob');
    const a = await createStore('list-a', 'alice');
    await inDirectory(b.metadata.name, b.metadata.resourceVersion);
    await inDirectory(a.metadata.name, a.metadata.resourceVersion);
    const names = directory.list().map((s) => s.metadata.name);
    expect(names).toEqual([...names].sort());
    expect(names.indexOf(a.metadata.name)).toBeLessThan(names.indexOf(b.metadata.name));
    expect(directory.get(a.metadata.name)?.spec.owner).toBe('alice');
    expect(directory.get(`${prefix}-absent`)).toBeUndefined();

    // A second directory takes the same stores in through its list and then the informer's own
    // replay of it: each store is told once (the path every relist after a reconnect takes).
    const second = new StoreDirectory({ kc: testCluster().kc, custom: clients.custom, log });
    const told: string[] = [];
    second.onChange((type, s) => told.push(`${type} ${s.metadata.name}`));
    await second.start();
    await sleep(500);
    await second.stop();
    expect(told.filter((t) => t.includes(prefix)).sort()).toEqual(
      [`upsert ${a.metadata.name}`, `upsert ${b.metadata.name}`].sort(),
    );
    expect(told.length).toBe(directory.list().length);
  });

  it("reads back the API's own writes at once; an older event or write never undoes one, nor revives a deleted store", async () => {
    const created = await createStore('ryw', 'alice');
    const name = created.metadata.name;
    directory.observe(created);
    // The create's own answer, before any watch event could be awaited.
    expect(directory.get(name)?.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    const first = await rename(name, 'Shop RYW 1');
    const second = await rename(name, 'Shop RYW 2');
    directory.observe(second);
    expect(directory.get(name)?.spec.displayName).toBe('Shop RYW 2');
    directory.observe(first); // late: as a watch event of the earlier write would arrive
    expect(directory.get(name)?.spec.displayName).toBe('Shop RYW 2');
    await sleep(300); // the watch's own events for both writes change nothing either
    expect(directory.get(name)?.spec.displayName).toBe('Shop RYW 2');

    // Deleted at once (no finalizer): gone from the next read, and a late event does not bring it back.
    const gone = await clients.raw.request<{ kind: string }>('DELETE', storePath(name));
    expect(gone.kind).toBe('Status'); // what the API's delete gets for a store without a finalizer
    directory.observeDeleted(second);
    expect(directory.get(name)).toBeUndefined();
    directory.observe(second);
    expect(directory.get(name)).toBeUndefined();
    await sleep(300);
    expect(directory.get(name)).toBeUndefined();
  });
});

interface SseEvent {
  event: string;
  id?: string;
  data: unknown;
  at: number;
}

/** A minimal SSE client over node:http that records every event, comment and the end. */
class SseClient {
  readonly events: SseEvent[] = [];
  pings = 0;
  retry?: number;
  ended = false;
  private buffer = '';
  private constructor(
    private readonly req: ClientRequest,
    readonly res: IncomingMessage,
  ) {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => this.take(chunk));
    res.on('close', () => {
      this.ended = true;
    });
  }

  static open(port: number, path: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        path,
        headers: { accept: 'text/event-stream', ...headers },
      });
      req.on('response', (res) => resolve(new SseClient(req, res)));
      req.on('error', reject);
      req.end();
    });
  }

  private take(chunk: string) {
    this.buffer += chunk;
    for (let i = this.buffer.indexOf('\n\n'); i >= 0; i = this.buffer.indexOf('\n\n')) {
      const block = this.buffer.slice(0, i);
      this.buffer = this.buffer.slice(i + 2);
      const e: Partial<SseEvent> = { event: 'message', at: performance.now() };
      let data: string | undefined;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.pings++;
        else if (line.startsWith('retry: ')) this.retry = Number(line.slice(7));
        else if (line.startsWith('event: ')) e.event = line.slice(7);
        else if (line.startsWith('id: ')) e.id = line.slice(4);
        else if (line.startsWith('data: ')) data = (data === undefined ? '' : `${data}\n`) + line.slice(6);
      }
      if (data !== undefined) this.events.push({ ...(e as SseEvent), data: JSON.parse(data) });
    }
  }

  /** The first event from index `from` on that matches. */
  next(what: string, match: (e: SseEvent) => boolean, from = 0, timeoutMs = 15_000): Promise<SseEvent> {
    return eventually(what, async () => this.events.slice(from).find(match), timeoutMs);
  }

  close() {
    this.req.destroy();
  }
}

type StoreFrame = { type: 'upsert' | 'delete'; store: StoreSummary };
const frame = (e: SseEvent) => e.data as StoreFrame;
const isStore =
  (name: string, pred: (f: StoreFrame) => boolean = () => true) =>
  (e: SseEvent) =>
    e.event === 'store' && frame(e).store.name === name && pred(frame(e));
const seq = (id: string | undefined) => Number(id?.slice(id.lastIndexOf('-') + 1));

describe('the store stream (SSE) from a real Fastify server', () => {
  let app: FastifyInstance;
  let port = 0;
  const shutdown = new AbortController();
  const alice = (s: Store) => s.spec.owner === 'alice';

  beforeAll(async () => {
    app = Fastify({ logger: false });
    // An earlier hook's header (like a security or rate-limit header) must reach the stream.
    app.addHook('onRequest', async (_req, reply) => {
      reply.header('x-ratelimit-remaining', '99');
    });
    app.addHook('preClose', (done) => {
      shutdown.abort();
      done();
    });
    app.get('/stream', (request, reply) =>
      streamStores(request, reply, {
        feed,
        directory,
        visible: alice,
        heartbeatMs: 200,
        toView: (s) => storeSummary(s),
        signal: shutdown.signal,
      }),
    );
    // Every store event carries 256 KB, so a client that stops reading falls behind fast.
    app.get('/heavy', (request, reply) =>
      streamStores(request, reply, {
        feed,
        directory,
        visible: alice,
        toView: (s) => ({ ...storeSummary(s), padding: 'x'.repeat(256 * 1024) }),
        maxBacklogBytes: 1 << 20,
        signal: shutdown.signal,
      }),
    );
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('snapshot first, then alice’s changes as they happen, never bob’s; heartbeats; resume; resync', async () => {
    const mine = await createStore('sse-a', 'alice');
    const theirs = await createStore('sse-b', 'bob');
    await inDirectory(mine.metadata.name, mine.metadata.resourceVersion);
    await inDirectory(theirs.metadata.name, theirs.metadata.resourceVersion);
    const subscribersBefore = feed.subscriberCount();

    const first = await SseClient.open(port, '/stream');
    expect(first.res.statusCode).toBe(200);
    expect(first.res.headers).toMatchObject({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
      'x-ratelimit-remaining': '99',
    });
    const snapshot = await first.next('the snapshot', () => true);
    expect(snapshot.event).toBe('snapshot');
    expect(first.retry).toBe(2000);
    expect(snapshot.id).toBe(feed.currentId());
    const listed = (snapshot.data as { stores: StoreSummary[] }).stores;
    expect(listed.map((s) => s.name)).toContain(mine.metadata.name);
    expect(listed.every((s) => s.owner === 'alice')).toBe(true);
    expect(listed.map((s) => s.name)).not.toContain(theirs.metadata.name);
    expect(feed.subscriberCount()).toBe(subscribersBefore + 1);

    // A change to alice's store arrives as an event; the latency is printed, not asserted.
    await rename(theirs.metadata.name, 'Bob, renamed');
    const afterResponse: number[] = [];
    const afterRequest: number[] = [];
    let arrived: SseEvent | undefined;
    for (let i = 1; i <= 10; i++) {
      const from = first.events.length;
      const sent = performance.now();
      await rename(mine.metadata.name, `Alice, renamed ${i}`);
      const answered = performance.now();
      arrived = await first.next(
        'alice’s rename',
        isStore(mine.metadata.name, (f) => f.store.displayName === `Alice, renamed ${i}`),
        from,
      );
      afterRequest.push(arrived.at - sent);
      afterResponse.push(arrived.at - answered);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    process.stderr.write(
      `[api stream] event latency over 10 writes: median ${median(afterResponse).toFixed(1)} ms (max ${Math.max(...afterResponse).toFixed(1)}) after the write's response; median ${median(afterRequest).toFixed(1)} ms (max ${Math.max(...afterRequest).toFixed(1)}) after the write was sent\n`,
    );
    expect(frame(arrived as SseEvent)).toMatchObject({
      type: 'upsert',
      store: { owner: 'alice', phase: 'Pending' },
    });
    // Bob's rename was written first; events are in order, so had it leaked it would be here.
    expect(first.events.some((e) => JSON.stringify(e.data).includes(theirs.metadata.name))).toBe(false);

    await eventually('two heartbeats', async () => (first.pings >= 2 ? true : undefined), 5000);

    // Disconnect, miss some changes, resume with Last-Event-ID: only the missed ones, only alice's.
    const lastId = first.events.at(-1)?.id ?? '';
    first.close();
    await eventually('the subscription released', async () =>
      feed.subscriberCount() === subscribersBefore ? true : undefined,
    );
    const r1 = await rename(mine.metadata.name, 'Alice, while away');
    await rename(theirs.metadata.name, 'Bob, while away');
    const added = await createStore('sse-c', 'alice');
    await inDirectory(mine.metadata.name, r1.metadata.resourceVersion);
    await inDirectory(added.metadata.name, added.metadata.resourceVersion);

    const resumed = await SseClient.open(port, '/stream', { 'last-event-id': lastId });
    await resumed.next('the new store', isStore(added.metadata.name));
    expect(
      resumed.events.map((e) => [e.event, frame(e).type, frame(e).store.name, frame(e).store.displayName]),
    ).toEqual([
      ['store', 'upsert', mine.metadata.name, 'Alice, while away'],
      ['store', 'upsert', added.metadata.name, 'Shop sse-c'],
    ]);
    expect(resumed.events.every((e) => seq(e.id) > seq(lastId))).toBe(true);

    // A store given to bob leaves alice's view as a delete that shows only what she could see.
    await mergePatch(added.metadata.name, { spec: { owner: 'bob' } });
    const left = await resumed.next(
      'the store leaving',
      isStore(added.metadata.name, (f) => f.type === 'delete'),
    );
    expect(frame(left).store.owner).toBe('alice');
    resumed.close();

    // An id from another process (or a previous run) gets a snapshot, with the current id.
    const foreign = await SseClient.open(port, '/stream', { 'last-event-id': 'deadbeefdeadbeef-5' });
    const resync = await foreign.next('the resync snapshot', () => true);
    expect(resync.event).toBe('snapshot');
    expect(resync.id).toBe(feed.currentId());
    const names = (resync.data as { stores: StoreSummary[] }).stores.map((s) => s.name);
    expect(names).toContain(mine.metadata.name);
    expect(names).not.toContain(added.metadata.name);
    foreign.close();

    // The query parameter works like the header (EventSource polyfills cannot set headers).
    const polyfill = await SseClient.open(
      port,
      `/stream?lastEventId=${encodeURIComponent(feed.currentId())}`,
    );
    await rename(mine.metadata.name, 'Alice, via polyfill');
    const viaQuery = await polyfill.next('an event after the query id', () => true);
    expect(viaQuery.event).toBe('store');
    expect(frame(viaQuery).store.displayName).toBe('Alice, via polyfill');
    polyfill.close();

    await eventually('every subscription released', async () =>
      feed.subscriberCount() === subscribersBefore && openStreamCount() === 0 ? true : undefined,
    );
  });

  it('cuts off a client that stops reading once ~1 MB is waiting for it', async () => {
    const store = await createStore('sse-slow', 'alice');
    await inDirectory(store.metadata.name, store.metadata.resourceVersion);
    const subscribersBefore = feed.subscriberCount();
    const slow = await SseClient.open(port, '/heavy');
    await slow.next('the snapshot', () => true);
    slow.res.pause();
    let writes = 0;
    while (feed.subscriberCount() > subscribersBefore && writes < 100) {
      await rename(store.metadata.name, `Slow ${++writes}`);
      await sleep(20);
    }
    process.stderr.write(`[api stream] slow client cut off after ${writes} events of 256 KB\n`);
    expect(feed.subscriberCount()).toBe(subscribersBefore);
    expect(openStreamCount()).toBe(0);
    slow.close();
  });

  it('ends open streams when the server closes, so close() does not hang', async () => {
    const open = await SseClient.open(port, '/stream');
    await open.next('the snapshot', () => true);
    expect(openStreamCount()).toBe(1);
    const started = performance.now();
    await app.close();
    expect(performance.now() - started).toBeLessThan(5000);
    await eventually('the client sees the end', async () => (open.ended ? true : undefined), 5000);
    expect(openStreamCount()).toBe(0);
  });
});

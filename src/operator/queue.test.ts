import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ReconcileResult, WorkQueue } from './queue.ts';

interface Deferred {
  promise: Promise<ReconcileResult>;
  resolve: (r?: ReconcileResult) => void;
  reject: (err: unknown) => void;
}

function deferred(): Deferred {
  let resolve!: (r?: ReconcileResult) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<ReconcileResult>((res, rej) => {
    resolve = (r) => res(r ?? {});
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * A reconciler that records every call and how many runs overlap, per key and overall. By default
 * each run blocks until the test releases it; `auto` makes runs finish at once with `result`.
 */
function recorder(opts: { auto?: (key: string, n: number) => ReconcileResult | Error } = {}) {
  const calls: string[] = [];
  const pending: { key: string; d: Deferred }[] = [];
  const runningPerKey = new Map<string, number>();
  let running = 0;
  let maxRunning = 0;
  let maxPerKey = 0;
  const reconcile = async (key: string): Promise<ReconcileResult> => {
    calls.push(key);
    running++;
    maxRunning = Math.max(maxRunning, running);
    const k = (runningPerKey.get(key) ?? 0) + 1;
    runningPerKey.set(key, k);
    maxPerKey = Math.max(maxPerKey, k);
    try {
      if (opts.auto) {
        await Promise.resolve();
        const r = opts.auto(key, calls.filter((c) => c === key).length);
        if (r instanceof Error) throw r;
        return r;
      }
      const d = deferred();
      pending.push({ key, d });
      return await d.promise;
    } finally {
      running--;
      runningPerKey.set(key, (runningPerKey.get(key) ?? 1) - 1);
    }
  };
  /** Lets the oldest blocked run of `key` (or of any key) finish. */
  const release = (key?: string, result?: ReconcileResult) => {
    const i = pending.findIndex((p) => key === undefined || p.key === key);
    if (i === -1) throw new Error(`no blocked run of ${key ?? 'any key'}`);
    const [p] = pending.splice(i, 1);
    p?.d.resolve(result);
  };
  return {
    reconcile,
    calls,
    pending,
    release,
    maxRunning: () => maxRunning,
    maxPerKey: () => maxPerKey,
  };
}

const queues: WorkQueue[] = [];
function newQueue(...args: ConstructorParameters<typeof WorkQueue>): WorkQueue {
  const q = new WorkQueue(...args);
  queues.push(q);
  return q;
}
afterEach(async () => {
  await Promise.all(queues.splice(0).map((q) => q.shutdown()));
});

/** Generous for a loaded machine; a passing run polls every few milliseconds. */
const poll = { timeout: 3000, interval: 5 };

/** Idle: nothing running, nothing waiting (timers aside). */
const idle = (q: WorkQueue) => q.activeCount() === 0 && q.depth() === 0;

describe('WorkQueue', () => {
  it('runs a key that was added several times while queued once', async () => {
    const r = recorder({ auto: () => ({}) });
    const depths: number[] = [];
    const q = newQueue(r.reconcile, { concurrency: 1, onDepthChange: (d) => depths.push(d) });
    q.add('a');
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.depth()).toBe(2);
    expect(r.calls).toEqual([]);
    q.start();
    await vi.waitFor(() => expect(r.calls).toEqual(['a', 'b']), poll);
    await vi.waitFor(() => expect(idle(q)).toBe(true), poll);
    expect(r.calls).toEqual(['a', 'b']);
    expect(depths[0]).toBe(1);
    expect(depths.at(-1)).toBe(0);
  });

  it('never runs one key twice at once; an add while it runs is replayed once afterwards', async () => {
    const r = recorder();
    const q = newQueue(r.reconcile, { concurrency: 4 });
    q.start();
    q.add('a');
    expect(r.calls).toEqual(['a']);
    q.add('a');
    q.add('a');
    expect(q.activeCount()).toBe(1);
    expect(q.depth()).toBe(0);
    expect(r.calls).toEqual(['a']);

    r.release('a');
    await vi.waitFor(() => expect(r.calls).toEqual(['a', 'a']), poll);
    expect(r.pending).toHaveLength(1);
    r.release('a');
    await vi.waitFor(() => expect(idle(q)).toBe(true), poll);
    await sleep(20);
    expect(r.calls).toEqual(['a', 'a']);
    expect(r.maxPerKey()).toBe(1);
  });

  it('runs different keys side by side, up to the concurrency limit', async () => {
    const r = recorder();
    const q = newQueue(r.reconcile, { concurrency: 2 });
    for (const k of ['a', 'b', 'c', 'd', 'e']) q.add(k);
    q.start();
    expect(r.calls).toEqual(['a', 'b']);
    expect(q.activeCount()).toBe(2);
    expect(q.depth()).toBe(3);

    r.release('b');
    await vi.waitFor(() => expect(r.calls).toEqual(['a', 'b', 'c']), poll);
    expect(q.activeCount()).toBe(2);
    expect(q.depth()).toBe(2);

    while (r.calls.length < 5 || r.pending.length > 0) {
      if (r.pending.length > 0) r.release();
      await sleep(1);
    }
    await vi.waitFor(() => expect(idle(q)).toBe(true), poll);
    expect([...r.calls].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(r.maxRunning()).toBe(2);
  });

  it('does nothing before start', async () => {
    const r = recorder({ auto: () => ({}) });
    const q = newQueue(r.reconcile, { concurrency: 1 });
    q.add('a');
    await sleep(20);
    expect(r.calls).toEqual([]);
    expect(q.depth()).toBe(1);
  });

  it('requeues after requeueAfterMs', async () => {
    const r = recorder({ auto: (_key, n) => (n === 1 ? { requeueAfterMs: 20 } : {}) });
    const q = newQueue(r.reconcile, { concurrency: 1 });
    q.start();
    q.add('a');
    await vi.waitFor(() => expect(r.calls).toEqual(['a', 'a']), poll);
    await vi.waitFor(() => expect(idle(q)).toBe(true), poll);
    await sleep(40);
    expect(r.calls).toEqual(['a', 'a']);
  });

  it('addAfter waits, and an earlier pending add for the key wins', async () => {
    const r = recorder({ auto: () => ({}) });
    const q = newQueue(r.reconcile, { concurrency: 1 });
    q.start();
    q.addAfter('a', 60_000);
    q.addAfter('a', 20);
    q.addAfter('a', 30_000);
    expect(r.calls).toEqual([]);
    expect(q.depth()).toBe(0);
    await vi.waitFor(() => expect(r.calls).toEqual(['a']), poll);
    await sleep(30);
    expect(r.calls).toEqual(['a']);
  });

  it('addAfter with no delay adds at once', () => {
    const r = recorder({ auto: () => ({}) });
    const q = newQueue(r.reconcile, { concurrency: 1 });
    q.start();
    q.addAfter('a', 0);
    expect(r.calls).toEqual(['a']);
  });

  it('an add cancels a pending delayed add of the key', async () => {
    const r = recorder({ auto: () => ({}) });
    const q = newQueue(r.reconcile, { concurrency: 1 });
    q.start();
    q.addAfter('a', 30);
    q.add('a');
    expect(r.calls).toEqual(['a']);
    await sleep(60);
    expect(r.calls).toEqual(['a']);
  });

  // Fault 8: a resync every few seconds ran failing stores at once, past their backoff.
  it('a resync leaves a key that is due later (a backoff) alone, and adds an idle key', async () => {
    const r = recorder({ auto: () => ({}) });
    const q = newQueue(r.reconcile, { concurrency: 1 });
    q.start();
    q.addAfter('a', 60);
    q.resync('a');
    q.resync('b');
    expect(r.calls).toEqual(['b']);
    await vi.waitFor(() => expect(r.calls).toEqual(['b', 'a']), poll);
  });

  it('backs a failing key off and retries it until it succeeds', async () => {
    const boom = new Error('helm failed');
    const r = recorder({ auto: (_key, n) => (n <= 2 ? boom : {}) });
    const errors: [string, unknown][] = [];
    const q = newQueue(r.reconcile, {
      concurrency: 1,
      baseBackoffMs: 5,
      maxBackoffMs: 10,
      onError: (key, err) => errors.push([key, err]),
    });
    q.start();
    q.add('a');
    await vi.waitFor(() => expect(r.calls).toEqual(['a', 'a', 'a']), poll);
    expect(errors).toEqual([
      ['a', boom],
      ['a', boom],
    ]);
    await vi.waitFor(() => expect(idle(q)).toBe(true), poll);
    await sleep(30);
    expect(r.calls).toHaveLength(3);
  });

  it('shutdown aborts the signal, waits for running reconciles and drops queued work', async () => {
    const calls: string[] = [];
    const signals: AbortSignal[] = [];
    let finished = 0;
    const q = newQueue(
      async (key, signal) => {
        calls.push(key);
        signals.push(signal);
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        await sleep(10);
        finished++;
        return { requeueAfterMs: 1 };
      },
      { concurrency: 1 },
    );
    q.start();
    q.add('a');
    q.add('b');
    q.addAfter('c', 1);
    expect(calls).toEqual(['a']);
    expect(signals[0]?.aborted).toBe(false);

    await q.shutdown();
    expect(signals[0]?.aborted).toBe(true);
    expect(finished).toBe(1);
    expect(q.depth()).toBe(0);

    q.add('d');
    q.addAfter('e', 1);
    await sleep(20);
    expect(calls).toEqual(['a']);
  });
});

describe('WorkQueue continuation', () => {
  it('runs a key that requeues itself with 0 ms before keys that were waiting', async () => {
    const order: string[] = [];
    let again = true;
    const q = new WorkQueue(
      async (key) => {
        order.push(key);
        if (key === 'a' && again) {
          again = false;
          return { requeueAfterMs: 0 };
        }
        return {};
      },
      { concurrency: 1 },
    );
    q.add('a');
    q.add('b');
    q.add('c');
    q.start();
    const deadline = Date.now() + 2000;
    while (order.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await q.shutdown();
    expect(order).toEqual(['a', 'a', 'b', 'c']);
  });
});

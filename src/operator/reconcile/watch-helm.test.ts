import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Store } from '../../store/schema.ts';
import type { StoreContext } from './context.ts';
import { watchWhileHelmRuns } from './watch-helm.ts';

const store = (extra: Partial<Store['metadata']> = {}) =>
  ({ metadata: { name: 'shop', uid: 'u1', ...extra } }) as Store;
const deleting = () => store({ deletionTimestamp: '2026-01-01T00:00:00Z' });
const notFound = () => Object.assign(new Error('not found'), { code: 404 });

/** A store context with only what the deletion look uses: the informer cache and a read. */
function fakeCtx(opts: { cache?: () => Store | undefined; read: () => Promise<Store> }) {
  const get = vi.fn(opts.read);
  const ctx = {
    name: 'shop',
    store: store(),
    deps: {
      ...(opts.cache ? { cachedStore: vi.fn(opts.cache) } : {}),
      clients: { custom: { getClusterCustomObject: get } },
    },
  } as unknown as StoreContext;
  return { ctx, get };
}

// The namespace check (every 5 s by default) is kept out of the way: a minute apart.
const quiet = { everyMs: 60_000 };

describe('watchWhileHelmRuns: the store being deleted', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('stops helm within a second of the cache showing a deletionTimestamp, with no API request', async () => {
    let cached = store();
    const { ctx, get } = fakeCtx({ cache: () => cached, read: async () => store() });
    const w = watchWhileHelmRuns(ctx, quiet);
    await vi.advanceTimersByTimeAsync(3000);
    expect(w.signal.aborted).toBe(false);
    cached = deleting();
    await vi.advanceTimersByTimeAsync(1000);
    expect(w.signal.aborted).toBe(true);
    expect(w.cancelled()).toBe('deleting');
    expect(w.found()).toBeUndefined();
    expect(get).not.toHaveBeenCalled();
    w.stop();
  });

  it('a store missing from the cache is read before helm is stopped: gone only if the read says so', async () => {
    let exists = true;
    const { ctx, get } = fakeCtx({
      cache: () => undefined,
      read: async () => {
        if (exists) return store();
        throw notFound();
      },
    });
    const w = watchWhileHelmRuns(ctx, quiet);
    await vi.advanceTimersByTimeAsync(2000);
    expect(get).toHaveBeenCalled();
    expect(w.signal.aborted).toBe(false);
    exists = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(w.signal.aborted).toBe(true);
    expect(w.cancelled()).toBe('gone');
    w.stop();
  });

  it('another store of the same name (a new UID) means ours is gone', async () => {
    const { ctx } = fakeCtx({ cache: () => store({ uid: 'u2' }), read: async () => store({ uid: 'u2' }) });
    const w = watchWhileHelmRuns(ctx, quiet);
    await vi.advanceTimersByTimeAsync(1000);
    expect(w.cancelled()).toBe('gone');
    w.stop();
  });

  it('without a cache, the store is read every everyMs', async () => {
    let read = store();
    const { ctx, get } = fakeCtx({ read: async () => read });
    const w = watchWhileHelmRuns(ctx, { everyMs: 5000 });
    // The namespace check fails (the fake has no listing clients): left to the next look.
    await vi.advanceTimersByTimeAsync(4999);
    expect(get).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(get).toHaveBeenCalledTimes(1);
    expect(w.signal.aborted).toBe(false);
    read = deleting();
    await vi.advanceTimersByTimeAsync(5000);
    expect(w.signal.aborted).toBe(true);
    expect(w.cancelled()).toBe('deleting');
    w.stop();
  });

  it('a failed read is left to the next look; stop() ends the looking', async () => {
    let fail = true;
    const { ctx, get } = fakeCtx({
      cache: () => undefined,
      read: async () => {
        if (fail) throw new Error('connection refused');
        return deleting();
      },
    });
    const w = watchWhileHelmRuns(ctx, quiet);
    await vi.advanceTimersByTimeAsync(2000);
    expect(w.signal.aborted).toBe(false);
    w.stop();
    fail = false;
    const calls = get.mock.calls.length;
    await vi.advanceTimersByTimeAsync(5000);
    expect(get).toHaveBeenCalledTimes(calls);
    expect(w.signal.aborted).toBe(false);
  });
});

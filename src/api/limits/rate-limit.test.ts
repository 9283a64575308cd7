import { describe, expect, it } from 'vitest';
import { memoryCounters } from './rate-limit.ts';

describe('memoryCounters', () => {
  const w = 60_000;
  const minute = 1_000 * w; // a clock minute's start

  it('opens a key’s window at its first hit, so a burst across a clock minute is one window', async () => {
    const hit = memoryCounters();
    const t = minute - 2_000; // two seconds before the clock's minute turns
    expect(await hit('a', w, t)).toEqual({ count: 1, windowStart: t });
    expect(await hit('a', w, t + 1_000)).toEqual({ count: 2, windowStart: t });
    expect(await hit('a', w, minute + 500)).toEqual({ count: 3, windowStart: t });
    expect(await hit('a', w, t + w - 1)).toEqual({ count: 4, windowStart: t });
  });

  it('starts a new window at the first hit after the old one ends, per key', async () => {
    const hit = memoryCounters();
    const t = minute + 5;
    expect(await hit('a', w, t)).toEqual({ count: 1, windowStart: t });
    expect(await hit('b', w, t + 20)).toEqual({ count: 1, windowStart: t + 20 });
    expect(await hit('a', w, t + w)).toEqual({ count: 1, windowStart: t + w });
    expect(await hit('b', w, t + w)).toEqual({ count: 2, windowStart: t + 20 });
    // A hit stamped before the window opened (a lagging clock) counts in it, as in the database.
    expect(await hit('a', w, t + 30)).toEqual({ count: 2, windowStart: t + w });
  });

  it('forgets ended windows, and refuses a window that is not a positive integer', async () => {
    const hit = memoryCounters();
    expect(await hit('a', w, minute)).toEqual({ count: 1, windowStart: minute });
    // Long after: the sweep dropped the key, so it starts at 1 again.
    expect(await hit('b', w, minute + 10 * w)).toEqual({ count: 1, windowStart: minute + 10 * w });
    expect(await hit('a', w, minute + 10 * w)).toEqual({ count: 1, windowStart: minute + 10 * w });
    await expect(hit('a', 0, minute)).rejects.toThrow(/invalid window/);
    await expect(hit('a', 0.5, minute)).rejects.toThrow(/invalid window/);
  });
});

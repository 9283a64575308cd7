import { describe, expect, it } from 'vitest';
import { memoryCounters } from './rate-limit.ts';

describe('memoryCounters', () => {
  it('counts per key in fixed windows and starts again in the next window', async () => {
    const hit = memoryCounters();
    const w = 60_000;
    const t = 1_000 * w + 5; // just after a window starts
    expect(await hit('a', w, t)).toEqual({ count: 1, windowStart: 1_000 * w });
    expect(await hit('a', w, t + 10)).toEqual({ count: 2, windowStart: 1_000 * w });
    expect(await hit('b', w, t + 20)).toEqual({ count: 1, windowStart: 1_000 * w });
    expect(await hit('a', w, t + w)).toEqual({ count: 1, windowStart: 1_001 * w });
    // A late hit for an older window counts in the current one (as the database's counters do).
    expect(await hit('a', w, t + 30)).toEqual({ count: 2, windowStart: 1_001 * w });
  });
});

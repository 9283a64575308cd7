import { describe, expect, it } from 'vitest';
import { backoffMs, jittered } from './backoff.ts';

describe('backoffMs', () => {
  const cases: {
    name: string;
    failures: number;
    random: number;
    opts?: { baseMs?: number; maxMs?: number };
    want: number;
  }[] = [
    { name: 'first failure, lowest jitter: half a second', failures: 1, random: 0, want: 500 },
    { name: 'first failure, highest jitter: one second', failures: 1, random: 1, want: 1000 },
    { name: 'zero failures counts as the first', failures: 0, random: 1, want: 1000 },
    { name: 'negative failures counts as the first', failures: -3, random: 0, want: 500 },
    { name: 'doubles per failure', failures: 3, random: 1, want: 4000 },
    { name: 'middle of the jitter range', failures: 2, random: 0.5, want: 1500 },
    { name: 'capped at five minutes', failures: 20, random: 1, want: 300_000 },
    { name: 'capped, lowest jitter', failures: 100, random: 0, want: 150_000 },
    { name: 'custom base', failures: 2, random: 1, opts: { baseMs: 10 }, want: 20 },
    { name: 'custom cap', failures: 10, random: 1, opts: { baseMs: 10, maxMs: 50 }, want: 50 },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(backoffMs(tc.failures, { ...tc.opts, random: () => tc.random })).toBe(tc.want);
    });
  }

  it('stays within [ceiling/2, ceiling] with the real random', () => {
    for (let failures = 1; failures <= 12; failures++) {
      const ceiling = Math.min(300_000, 1000 * 2 ** (failures - 1));
      for (let i = 0; i < 50; i++) {
        const ms = backoffMs(failures);
        expect(ms).toBeGreaterThanOrEqual(ceiling / 2);
        expect(ms).toBeLessThanOrEqual(ceiling);
      }
    }
  });
});

describe('jittered', () => {
  const cases: { name: string; ms: number; random: number; want: number }[] = [
    { name: 'lowest: -10 %', ms: 300_000, random: 0, want: 270_000 },
    { name: 'middle: unchanged', ms: 300_000, random: 0.5, want: 300_000 },
    { name: 'highest: +10 %', ms: 300_000, random: 1, want: 330_000 },
    { name: 'rounds to whole milliseconds', ms: 1001, random: 0, want: 901 },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(jittered(tc.ms, () => tc.random)).toBe(tc.want);
    });
  }

  it('stays within ±10 % with the real random', () => {
    for (let i = 0; i < 200; i++) {
      const ms = jittered(60_000);
      expect(ms).toBeGreaterThanOrEqual(54_000);
      expect(ms).toBeLessThanOrEqual(66_000);
    }
  });
});

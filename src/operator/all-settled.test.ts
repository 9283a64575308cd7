import { describe, expect, it } from 'vitest';
import { allSettled } from './all-settled.ts';

const later = <T>(ms: number, v: T, fail = false) =>
  new Promise<T>((resolve, reject) =>
    setTimeout(() => (fail ? reject(new Error(String(v))) : resolve(v)), ms),
  );

describe('allSettled', () => {
  it('returns the results in the order of the items, not of their ending', async () => {
    expect(await allSettled([30, 10, 20], (ms) => later(ms, ms))).toEqual([30, 10, 20]);
    expect(await allSettled([], (ms: number) => later(ms, ms))).toEqual([]);
  });

  it('throws the first failure only after every call has ended', async () => {
    const ended: number[] = [];
    const run = allSettled([5, 40, 10], async (ms) => {
      try {
        return await later(ms, ms, ms !== 40);
      } finally {
        ended.push(ms);
      }
    });
    await expect(run).rejects.toThrow('5');
    expect(ended.sort((a, b) => a - b)).toEqual([5, 10, 40]);
  });
});

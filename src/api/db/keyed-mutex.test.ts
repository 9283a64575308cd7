import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { KeyedMutex } from './keyed-mutex.ts';

describe('KeyedMutex', () => {
  it('runs holders of one name one at a time, in arrival order', async () => {
    const mutex = new KeyedMutex();
    const order: number[] = [];
    let inside = 0;
    let most = 0;
    await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        mutex.run('quota', async () => {
          inside++;
          most = Math.max(most, inside);
          await sleep(5 - i);
          order.push(i);
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(mutex.size).toBe(0);
  });

  it('lets other names run at the same time', async () => {
    const mutex = new KeyedMutex();
    let inside = 0;
    let most = 0;
    await Promise.all(
      ['a', 'b', 'c'].map((name) =>
        mutex.run(name, async () => {
          inside++;
          most = Math.max(most, inside);
          await sleep(10);
          inside--;
        }),
      ),
    );
    expect(most).toBe(3);
  });

  it('passes results and errors through and releases after an error', async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.run('x', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(mutex.run('x', () => Promise.resolve(42))).resolves.toBe(42);
    expect(mutex.size).toBe(0);
  });
});

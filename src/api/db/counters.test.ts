import { describe, expect, it } from 'vitest';
import { assertWindow } from './counters.ts';

describe('assertWindow', () => {
  it.each([1, 60_000, 86_400_000])('accepts %d ms', (ms) => expect(() => assertWindow(ms)).not.toThrow());
  it.each([0, -5, 0.5, Number.NaN, 2 ** 60])('refuses %d ms', (ms) =>
    expect(() => assertWindow(ms)).toThrow(/invalid window/),
  );
});

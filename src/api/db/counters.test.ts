import { describe, expect, it } from 'vitest';
import { windowStartOf } from './counters.ts';

describe('windowStartOf', () => {
  it('floors to the window', () => {
    expect(windowStartOf(1_000, 60_000)).toBe(0);
    expect(windowStartOf(59_999, 60_000)).toBe(0);
    expect(windowStartOf(60_000, 60_000)).toBe(60_000);
    const now = Date.parse('2026-12-06T07:41:08.123Z');
    expect(windowStartOf(now, 60_000)).toBe(Date.parse('2026-12-06T07:41:00.000Z'));
  });

  it('refuses a window that is not a positive integer', () => {
    expect(() => windowStartOf(1_000, 0)).toThrow(/invalid window/);
    expect(() => windowStartOf(1_000, -5)).toThrow(/invalid window/);
    expect(() => windowStartOf(1_000, 0.5)).toThrow(/invalid window/);
  });
});

import { describe, expect, it } from 'vitest';
import { compareQuantities, parseQuantity } from './quantity.ts';

describe('parseQuantity', () => {
  const cases: [string, number][] = [
    ['2Gi', 2 * 2 ** 30],
    ['500Mi', 500 * 2 ** 20],
    ['1G', 1e9],
    ['1.5', 1.5],
    ['250m', 0.25],
    ['10', 10],
    ['1e3', 1000],
  ];
  for (const [q, want] of cases) it(q, () => expect(parseQuantity(q)).toBeCloseTo(want));
  it('is NaN for what is not a quantity', () => {
    for (const q of ['', 'Gi', '2GB', '-1Gi', 'x'] as const) expect(parseQuantity(q)).toBeNaN();
  });
  it('compares across units', () => {
    expect(compareQuantities('2Gi', '2048Mi')).toBe(0);
    expect(compareQuantities('2Gi', '10Gi')).toBe(-1);
    expect(compareQuantities('5Gi', '2G')).toBe(1);
  });
});

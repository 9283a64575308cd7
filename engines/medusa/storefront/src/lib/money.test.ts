import { describe, expect, it } from 'vitest';
import { formatMoney } from './money.ts';

describe('formatMoney', () => {
  it.each([
    [24, 'usd', '$24.00'],
    [12.5, 'USD', '$12.50'],
    [1000, 'eur', '€1,000.00'],
    [500, 'jpy', '¥500'],
    [0, 'gbp', '£0.00'],
    [null, 'usd', '—'],
    [undefined, 'usd', '—'],
    [3, 'xx1', '3.00 XX1'],
  ])('%s %s', (amount, currency, text) => expect(formatMoney(amount, currency)).toBe(text));
});

import { describe, expect, it } from 'vitest';
import type { Product } from './types.ts';
import { findVariant, initialSelection, inStock, lowestPrice } from './variants.ts';

const price = (n: number) => ({ calculated_amount: n, currency_code: 'usd' });
const tee: Product = {
  id: 'p1',
  handle: 'tee',
  title: 'Tee',
  options: [
    { id: 'size', title: 'Size' },
    { id: 'color', title: 'Colour' },
  ],
  variants: [
    {
      id: 'v1',
      title: 'S / Red',
      options: [
        { option_id: 'size', value: 'S' },
        { option_id: 'color', value: 'Red' },
      ],
      calculated_price: price(20),
    },
    {
      id: 'v2',
      title: 'M / Red',
      options: [
        { option_id: 'size', value: 'M' },
        { option_id: 'color', value: 'Red' },
      ],
      calculated_price: price(18),
    },
    {
      id: 'v3',
      title: 'M / Blue',
      options: [
        { option_id: 'size', value: 'M' },
        { option_id: 'color', value: 'Blue' },
      ],
      calculated_price: null,
    },
  ],
};

describe('findVariant', () => {
  it.each([
    [{ size: 'S', color: 'Red' }, 'v1'],
    [{ size: 'M', color: 'Blue' }, 'v3'],
    [{ size: 'S', color: 'Blue' }, undefined],
    [{ size: 'M' }, undefined],
    [{}, undefined],
  ])('%j -> %s', (selection, id) => expect(findVariant(tee, selection)?.id).toBe(id));
});

describe('initialSelection', () => {
  it('takes the first variant', () => expect(initialSelection(tee)).toEqual({ size: 'S', color: 'Red' }));
  it('is empty without variants', () => expect(initialSelection({ ...tee, variants: [] })).toEqual({}));
});

describe('lowestPrice', () => {
  it('ignores unpriced variants', () => expect(lowestPrice(tee)).toBe(18));
  it('is null when nothing has a price', () => expect(lowestPrice({ ...tee, variants: [] })).toBeNull());
});

describe('inStock', () => {
  it.each([
    [{ id: 'a', title: 'a', inventory_quantity: 3 }, true],
    [{ id: 'a', title: 'a', inventory_quantity: 0 }, false],
    [{ id: 'a', title: 'a', inventory_quantity: 0, manage_inventory: false }, true],
    [{ id: 'a', title: 'a' }, true],
  ])('%j', (variant, expected) => expect(inStock(variant)).toBe(expected));
});

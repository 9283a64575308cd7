import { describe, expect, it } from 'vitest';
import { catalog, seedSettings } from './catalog.ts';

describe('seedSettings', () => {
  it.each([
    [{}, 'usd', 'Storeplane Store', ['us', 'ca']],
    [
      { STORE_CURRENCY: 'EUR', STORE_NAME: ' Ana’s Shop ' },
      'eur',
      'Ana’s Shop',
      ['de', 'fr', 'nl', 'es', 'it', 'ie', 'at', 'be'],
    ],
    [{ STORE_CURRENCY: 'gbp', STORE_NAME: '' }, 'gbp', 'Storeplane Store', ['gb']],
    [{ STORE_CURRENCY: 'gbp', STORE_NAME: ' \t\n' }, 'gbp', 'Storeplane Store', ['gb']],
    [{ STORE_CURRENCY: 'mxn' }, 'mxn', 'Storeplane Store', ['us']],
  ])('%j', (env, currency, storeName, countries) => {
    expect(seedSettings(env)).toEqual({
      currency,
      storeName,
      regionName: `Storeplane ${currency.toUpperCase()}`,
      countries,
    });
  });

  it.each(['dollars', 'us', '12a'])('rejects STORE_CURRENCY=%s', (bad) => {
    expect(() => seedSettings({ STORE_CURRENCY: bad })).toThrow(/3-letter ISO 4217/);
  });
});

describe('catalog', () => {
  it('has unique handles and SKUs and sellable variants', () => {
    const handles = catalog.map((p) => p.handle);
    const skus = catalog.flatMap((p) => p.variants.map((v) => v.sku));
    expect(new Set(handles).size).toBe(handles.length);
    expect(new Set(skus).size).toBe(skus.length);
    for (const product of catalog) {
      expect(product.variants.length).toBeGreaterThan(0);
      for (const v of product.variants) expect(v.price).toBeGreaterThan(0);
    }
  });
});

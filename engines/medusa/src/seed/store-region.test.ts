import { describe, expect, it } from 'vitest';
import { hasPaymentProvider, storeRegion, type RegionFound } from './store-region.ts';

const settings = { regionName: 'Storeplane USD', countries: ['us', 'ca'] };
const region = (id: string, name: string, countries: string[]): RegionFound => ({
  id,
  name,
  countries: countries.map((iso_2) => ({ iso_2 })),
});

describe('storeRegion', () => {
  it.each<[string, RegionFound[], string | undefined]>([
    [
      'the region with the seeded name',
      [region('r1', 'Europe', ['de']), region('r2', 'Storeplane USD', ['us'])],
      'r2',
    ],
    [
      'the renamed region holding a store country',
      [region('r1', 'Europe', ['de']), region('r2', 'North America', ['ca'])],
      'r2',
    ],
    [
      'the name before the countries',
      [region('r1', 'Other', ['us']), region('r2', 'Storeplane USD', [])],
      'r2',
    ],
    [
      'none when no region has the name or a store country',
      [region('r1', 'Europe', ['de', 'fr'])],
      undefined,
    ],
    ['none among no regions', [], undefined],
  ])('%s', (_case, regions, expected) => {
    expect(storeRegion(regions, settings)?.id).toBe(expected);
  });
});

describe('hasPaymentProvider', () => {
  it.each<[RegionFound['payment_providers'], boolean]>([
    [[{ id: 'pp_system_default' }], true],
    [[{ id: 'pp_stripe_stripe' }], true],
    [[], false],
    [[null], false],
    [undefined, false],
  ])('%j -> %s', (providers, expected) => {
    expect(hasPaymentProvider({ id: 'r1', name: 'x', payment_providers: providers })).toBe(expected);
  });
});

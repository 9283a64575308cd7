/** Which region is the store's, among those Medusa has. Pure: store-region.test.ts. */

/** Medusa's built-in manual payment provider ("system"), which the seed gives the region. */
export const systemPaymentProvider = 'pp_system_default';

/** A region row as `query.graph` returns it with its countries and payment providers. */
export interface RegionFound {
  id: string;
  name: string;
  countries?: ({ iso_2?: string } | null)[] | null;
  payment_providers?: ({ id?: string } | null)[] | null;
}

/**
 * The seeded region by its name, or else the region holding one of the store's countries: an
 * owner may rename the region, and since a country belongs to one region only, the seed could
 * not create a second one for the same countries.
 */
export function storeRegion<R extends RegionFound>(
  regions: R[],
  s: { regionName: string; countries: string[] },
): R | undefined {
  return (
    regions.find((r) => r.name === s.regionName) ??
    regions.find((r) => (r.countries ?? []).some((c) => !!c?.iso_2 && s.countries.includes(c.iso_2)))
  );
}

/** A region without any payment provider cannot take an order. */
export const hasPaymentProvider = (region: RegionFound) =>
  (region.payment_providers ?? []).some((p) => !!p?.id);

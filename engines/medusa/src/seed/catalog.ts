/**
 * What the seed puts in a new store, as plain data: the region's countries for the store's
 * currency, and the product catalogue. Pure, so it is unit-tested without a database.
 */

/** Countries a store sells to, by currency; unknown currencies sell to the US only. */
const countriesByCurrency: Record<string, string[]> = {
  usd: ['us', 'ca'],
  eur: ['de', 'fr', 'nl', 'es', 'it', 'ie', 'at', 'be'],
  gbp: ['gb'],
  cad: ['ca'],
  aud: ['au'],
  chf: ['ch'],
  sek: ['se'],
  dkk: ['dk'],
  nok: ['no'],
  pln: ['pl'],
  jpy: ['jp'],
  inr: ['in'],
};

export interface SeedSettings {
  currency: string;
  storeName: string;
  regionName: string;
  countries: string[];
}

/**
 * Pure: reads STORE_CURRENCY / STORE_NAME with their defaults. The name is trimmed because
 * Medusa's store module trims it when it stores it: compared untrimmed, it would differ on every
 * run. Everything else in it is kept as given.
 */
export function seedSettings(env: Record<string, string | undefined>): SeedSettings {
  const currency = (env.STORE_CURRENCY || 'usd').trim().toLowerCase();
  if (!/^[a-z]{3}$/.test(currency)) {
    throw new Error(`STORE_CURRENCY must be a 3-letter ISO 4217 code, got "${env.STORE_CURRENCY}"`);
  }
  return {
    currency,
    storeName: env.STORE_NAME?.trim() || 'Storeplane Store',
    regionName: `Storeplane ${currency.toUpperCase()}`,
    countries: countriesByCurrency[currency] ?? ['us'],
  };
}

export const stockLocationName = 'Storeplane Warehouse';
export const fulfillmentSetName = 'Storeplane Shipping';
export const shippingOptionName = 'Standard Shipping';
export const shippingPrice = 5;
/** Enough that test and demo orders never run a variant out of stock. */
export const stockedQuantity = 1000;

export interface CatalogVariant {
  title: string;
  sku: string;
  option: string;
  price: number;
}

export interface CatalogProduct {
  handle: string;
  title: string;
  description: string;
  /** Served by the storefront (storefront/public/images/products), so no image needs the internet. */
  image: string;
  optionTitle: string;
  variants: CatalogVariant[];
}

const sizes = (sku: string, price: number): CatalogVariant[] =>
  ['S', 'M', 'L', 'XL'].map((size) => ({ title: size, sku: `${sku}-${size}`, option: size, price }));

export const catalog: CatalogProduct[] = [
  {
    handle: 'storeplane-tee',
    title: 'Cloud Tee',
    description: 'A soft, heavyweight cotton T-shirt with a small cloud on the chest.',
    image: '/images/products/tee.svg',
    optionTitle: 'Size',
    variants: sizes('SP-TEE', 24),
  },
  {
    handle: 'storeplane-hoodie',
    title: 'Harbor Hoodie',
    description: 'Brushed fleece, a roomy hood and a kangaroo pocket for cold mornings.',
    image: '/images/products/hoodie.svg',
    optionTitle: 'Size',
    variants: sizes('SP-HOODIE', 59),
  },
  {
    handle: 'storeplane-mug',
    title: 'Morning Mug',
    description: 'A 350 ml stoneware mug, glazed inside and out. Dishwasher safe.',
    image: '/images/products/mug.svg',
    optionTitle: 'Colour',
    variants: [
      { title: 'Sand', sku: 'SP-MUG-SAND', option: 'Sand', price: 16 },
      { title: 'Night', sku: 'SP-MUG-NIGHT', option: 'Night', price: 16 },
    ],
  },
  {
    handle: 'storeplane-tote',
    title: 'Market Tote',
    description: 'Sturdy canvas tote with long handles and an inside pocket.',
    image: '/images/products/tote.svg',
    optionTitle: 'Colour',
    variants: [
      { title: 'Natural', sku: 'SP-TOTE-NATURAL', option: 'Natural', price: 19 },
      { title: 'Black', sku: 'SP-TOTE-BLACK', option: 'Black', price: 19 },
    ],
  },
];

/**
 * A fingerprint of everything the seed writes: row count and newest created/updated/deleted
 * time per table. Equal fingerprints before and after a second seed mean it changed nothing.
 */
import { psql, type PgConnection } from './postgres.ts';

export const seededTables = [
  'store',
  'store_currency',
  'sales_channel',
  'api_key',
  'publishable_api_key_sales_channel',
  'region',
  'region_country',
  'region_payment_provider',
  'tax_region',
  'stock_location',
  'stock_location_address',
  'sales_channel_stock_location',
  'location_fulfillment_provider',
  'location_fulfillment_set',
  'fulfillment_set',
  'service_zone',
  'geo_zone',
  'shipping_profile',
  'shipping_option',
  'shipping_option_rule',
  'shipping_option_price_set',
  'product',
  'product_option',
  'product_option_value',
  'product_variant',
  'product_sales_channel',
  'image',
  'price_set',
  'price',
  'inventory_item',
  'inventory_level',
  'product_variant_inventory_item',
  'user',
  'auth_identity',
  'provider_identity',
];

export type SeedSnapshot = Record<string, string>;

export function seedSnapshot(pg: PgConnection): SeedSnapshot {
  const columns = psql(
    pg,
    `SELECT table_name || ':' || string_agg(column_name, ',') FROM information_schema.columns
     WHERE table_schema = 'public' AND column_name IN ('created_at', 'updated_at', 'deleted_at')
     GROUP BY table_name;`,
  );
  const timeColumns = new Map(
    columns.split('\n').map((l) => [l.split(':')[0], (l.split(':')[1] ?? '').split(',')]),
  );
  const selects = seededTables.map((t) => {
    const times = (timeColumns.get(t) ?? []).map((c) => `coalesce(max(${c})::text, '-')`);
    return `SELECT '${t}' || '=' || concat_ws('|', count(*)::text${times.map((x) => `, ${x}`).join('')}) FROM "${t}"`;
  });
  const out = psql(pg, `${selects.join('\nUNION ALL\n')};`);
  return Object.fromEntries(out.split('\n').map((line) => line.split('=') as [string, string]));
}

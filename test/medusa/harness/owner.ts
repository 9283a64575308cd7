/**
 * What a store owner can do to the seeded setup in Medusa's admin (through the admin API the
 * dashboard uses), so a test can break a store the way a person would.
 */
import type { AdminApi } from './admin.ts';

export interface AdminKey {
  id: string;
  title: string;
  token: string;
  revoked_at: string | null;
  sales_channels: { id: string }[];
}
export interface AdminRegion {
  id: string;
  name: string;
  payment_providers: { id: string }[];
}
export interface AdminStockLocation {
  id: string;
  name: string;
  sales_channels: { id: string }[];
  fulfillment_sets: { id: string; name: string; service_zones: { id: string; name: string }[] }[];
}

export class StoreOwner {
  constructor(private readonly admin: AdminApi) {}

  store = () =>
    this.admin
      .request<{ stores: { id: string; name: string; default_sales_channel_id: string }[] }>(
        'GET',
        '/admin/stores?fields=id,name,default_sales_channel_id',
      )
      .then((r) => r.stores[0]!);

  publishableKeys = () =>
    this.admin
      .request<{ api_keys: AdminKey[] }>(
        'GET',
        '/admin/api-keys?type=publishable&limit=100&fields=id,title,token,revoked_at,*sales_channels',
      )
      .then((r) => r.api_keys);

  createPublishableKey = (title: string) =>
    this.admin
      .request<{ api_key: AdminKey }>('POST', '/admin/api-keys', { title, type: 'publishable' })
      .then((r) => r.api_key);

  revokeKey = (id: string) => this.admin.request('POST', `/admin/api-keys/${id}/revoke`, {});

  setKeyChannels = (id: string, change: { add?: string[]; remove?: string[] }) =>
    this.admin.request('POST', `/admin/api-keys/${id}/sales-channels`, change);

  createSalesChannel = (name: string) =>
    this.admin
      .request<{ sales_channel: { id: string } }>('POST', '/admin/sales-channels', { name })
      .then((r) => r.sales_channel);

  region = (name: string) =>
    this.admin
      .request<{ regions: AdminRegion[] }>(
        'GET',
        `/admin/regions?name=${encodeURIComponent(name)}&fields=id,name,*payment_providers`,
      )
      .then((r) => r.regions[0]);

  regionById = (id: string) =>
    this.admin
      .request<{ region: AdminRegion }>('GET', `/admin/regions/${id}?fields=id,name,*payment_providers`)
      .then((r) => r.region);

  updateRegion = (id: string, update: { name?: string; payment_providers?: string[] }) =>
    this.admin.request('POST', `/admin/regions/${id}`, update);

  stockLocation = (name: string) =>
    this.admin
      .request<{ stock_locations: AdminStockLocation[] }>(
        'GET',
        `/admin/stock-locations?name=${encodeURIComponent(name)}` +
          '&fields=id,name,*sales_channels,*fulfillment_sets,*fulfillment_sets.service_zones',
      )
      .then((r) => r.stock_locations[0]);

  setStockLocationChannels = (id: string, change: { add?: string[]; remove?: string[] }) =>
    this.admin.request('POST', `/admin/stock-locations/${id}/sales-channels`, change);

  deleteServiceZone = (fulfillmentSetId: string, zoneId: string) =>
    this.admin.request('DELETE', `/admin/fulfillment-sets/${fulfillmentSetId}/service-zones/${zoneId}`);

  productByHandle = (handle: string) =>
    this.admin
      .request<{ products: { id: string; handle: string }[] }>(
        'GET',
        `/admin/products?handle=${encodeURIComponent(handle)}&fields=id,handle`,
      )
      .then((r) => r.products[0]);

  setProductHandle = (id: string, handle: string) =>
    this.admin.request('POST', `/admin/products/${id}`, { handle });

  /** How many variants carry each SKU (the seed must never add a second product with them). */
  variantCount = (sku: string) =>
    this.admin
      .request<{ count: number }>('GET', `/admin/product-variants?sku=${encodeURIComponent(sku)}&limit=1`)
      .then((r) => r.count);

  /** Inventory items by SKU with their levels (reserved quantities included). */
  inventoryItems = (skus: string[]) =>
    this.admin
      .request<{
        inventory_items: {
          id: string;
          sku: string;
          location_levels: { id: string; location_id: string; reserved_quantity: number }[];
        }[];
      }>(
        'GET',
        `/admin/inventory-items?limit=100&fields=id,sku,*location_levels&${skus
          .map((s) => `sku[]=${encodeURIComponent(s)}`)
          .join('&')}`,
      )
      .then((r) => r.inventory_items);

  /** Takes a location off an inventory item, stock and all (the dashboard's "manage locations"). */
  removeLevel = (inventoryItemId: string, levelId: string) =>
    this.admin.request('POST', `/admin/inventory-items/${inventoryItemId}/location-levels/batch`, {
      delete: [levelId],
      force: true,
    });
}

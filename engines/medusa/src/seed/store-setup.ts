/**
 * The parts of a store that make it able to sell: store currency, region with the system
 * payment provider, tax regions, a stock location with a shipping fulfillment set, and a flat
 * shipping option. Each `ensure*` looks before it creates, so a second seed changes nothing.
 */
import type { MedusaContainer } from '@medusajs/framework/types';
import { ContainerRegistrationKeys, Modules } from '@medusajs/framework/utils';
import {
  createApiKeysWorkflow,
  createDefaultsWorkflow,
  createRegionsWorkflow,
  createShippingOptionsWorkflow,
  createStockLocationsWorkflow,
  createTaxRegionsWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
  updateStoresWorkflow,
} from '@medusajs/medusa/core-flows';
import {
  fulfillmentSetName,
  shippingOptionName,
  shippingPrice,
  stockLocationName,
  type SeedSettings,
} from './catalog';
import {
  planStorefrontKey,
  publishableKeyFields,
  storefrontKeyTitle,
  type PublishableKey,
} from './storefront-key';

export type Changes = string[];

export interface StoreBasics {
  salesChannelId: string;
  regionId: string;
  stockLocationId: string;
  shippingProfileId: string;
  publishableKey: string;
}

/** Default store, sales channel and publishable key: Medusa's own idempotent defaults workflow. */
export async function ensureStore(c: MedusaContainer, s: SeedSettings, changes: Changes) {
  await createDefaultsWorkflow(c).run();
  const [store] = await c.resolve(Modules.STORE).listStores({}, { relations: ['supported_currencies'] });
  if (!store?.default_sales_channel_id)
    throw new Error('no default store with a sales channel after defaults');
  const currencies = (store.supported_currencies ?? []).map((x) => x.currency_code);
  const defaultCurrency = store.supported_currencies?.find((x) => x.is_default)?.currency_code;
  if (store.name !== s.storeName || defaultCurrency !== s.currency || currencies.length !== 1) {
    await updateStoresWorkflow(c).run({
      input: {
        selector: { id: store.id },
        update: {
          name: s.storeName,
          supported_currencies: [{ currency_code: s.currency, is_default: true }],
        },
      },
    });
    changes.push(`store "${s.storeName}" in ${s.currency}`);
  }
  return { storeId: store.id, salesChannelId: store.default_sales_channel_id };
}

/**
 * The storefront's key (see storefront-key.ts): kept when usable; otherwise a key of the seed's
 * own, linked to the store's sales channel and nothing else. An owner's keys are left as they are.
 */
export async function ensurePublishableKey(c: MedusaContainer, salesChannelId: string, changes: Changes) {
  const { data: keys } = await c.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: 'api_key',
    fields: publishableKeyFields,
    filters: { type: 'publishable' },
  });
  const plan = planStorefrontKey(keys as PublishableKey[], salesChannelId);
  if (plan.action === 'keep') return plan.key.token;

  let key = plan.action === 'link' ? plan.key : undefined;
  if (!key) {
    const { result } = await createApiKeysWorkflow(c).run({
      input: { api_keys: [{ title: storefrontKeyTitle, type: 'publishable', created_by: '' }] },
    });
    key = result[0]! as PublishableKey;
    changes.push(`publishable key "${storefrontKeyTitle}"`);
  }
  await linkSalesChannelsToApiKeyWorkflow(c).run({ input: { id: key.id, add: [salesChannelId] } });
  changes.push('publishable key linked to the default sales channel');
  return key.token;
}

export async function ensureRegion(c: MedusaContainer, s: SeedSettings, changes: Changes) {
  const [existing] = await c.resolve(Modules.REGION).listRegions({ name: s.regionName });
  if (existing) return existing.id;
  const { result } = await createRegionsWorkflow(c).run({
    input: {
      regions: [
        {
          name: s.regionName,
          currency_code: s.currency,
          countries: s.countries,
          payment_providers: ['pp_system_default'],
        },
      ],
    },
  });
  changes.push(`region ${s.regionName} (${s.countries.join(', ')})`);
  return result[0]!.id;
}

export async function ensureTaxRegions(c: MedusaContainer, s: SeedSettings, changes: Changes) {
  const existing = await c.resolve(Modules.TAX).listTaxRegions({ country_code: s.countries });
  const have = new Set(existing.filter((t) => !t.province_code).map((t) => t.country_code));
  const missing = s.countries.filter((code) => !have.has(code));
  if (missing.length === 0) return;
  await createTaxRegionsWorkflow(c).run({
    input: missing.map((country_code) => ({ country_code, provider_id: 'tp_system' })),
  });
  changes.push(`tax regions ${missing.join(', ')}`);
}

/** Stock location linked to the sales channel and the manual fulfillment provider. */
export async function ensureStockLocation(c: MedusaContainer, salesChannelId: string, changes: Changes) {
  const query = c.resolve(ContainerRegistrationKeys.QUERY);
  const link = c.resolve(ContainerRegistrationKeys.LINK);
  const find = async () =>
    (
      await query.graph({
        entity: 'stock_location',
        fields: ['id', 'sales_channels.id', 'fulfillment_providers.id'],
        filters: { name: stockLocationName },
      })
    ).data[0];
  let location = await find();
  if (!location) {
    await createStockLocationsWorkflow(c).run({
      input: {
        locations: [
          {
            name: stockLocationName,
            address: { address_1: '1 Harbour Road', city: 'Springfield', country_code: 'us' },
          },
        ],
      },
    });
    changes.push(`stock location ${stockLocationName}`);
    location = (await find())!;
  }
  if (!(location.sales_channels ?? []).some((sc: { id?: string } | null) => sc?.id === salesChannelId)) {
    await linkSalesChannelsToStockLocationWorkflow(c).run({
      input: { id: location.id, add: [salesChannelId] },
    });
    changes.push('stock location linked to the sales channel');
  }
  if (
    !(location.fulfillment_providers ?? []).some((p: { id?: string } | null) => p?.id === 'manual_manual')
  ) {
    await link.create({
      [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
      [Modules.FULFILLMENT]: { fulfillment_provider_id: 'manual_manual' },
    });
    changes.push('stock location linked to the manual fulfillment provider');
  }
  return location.id as string;
}

/** Fulfillment set + service zone for the region's countries, and one flat shipping option. */
export async function ensureShipping(
  c: MedusaContainer,
  s: SeedSettings,
  ids: { regionId: string; stockLocationId: string },
  changes: Changes,
) {
  const fulfillment = c.resolve(Modules.FULFILLMENT);
  const link = c.resolve(ContainerRegistrationKeys.LINK);
  const [profile] = await fulfillment.listShippingProfiles({ type: 'default' });
  if (!profile) throw new Error('no default shipping profile (did db:migrate run?)');

  let [set] = await fulfillment.listFulfillmentSets(
    { name: fulfillmentSetName },
    { relations: ['service_zones'] },
  );
  if (!set) {
    set = await fulfillment.createFulfillmentSets({
      name: fulfillmentSetName,
      type: 'shipping',
      service_zones: [
        {
          name: s.regionName,
          geo_zones: s.countries.map((country_code) => ({ country_code, type: 'country' as const })),
        },
      ],
    });
    await link.create({
      [Modules.STOCK_LOCATION]: { stock_location_id: ids.stockLocationId },
      [Modules.FULFILLMENT]: { fulfillment_set_id: set.id },
    });
    changes.push(`fulfillment set ${fulfillmentSetName}`);
  }
  const zone = set.service_zones?.[0];
  if (!zone) throw new Error(`fulfillment set ${fulfillmentSetName} has no service zone`);

  const [option] = await fulfillment.listShippingOptions({ name: shippingOptionName });
  if (!option) {
    await createShippingOptionsWorkflow(c).run({
      input: [
        {
          name: shippingOptionName,
          price_type: 'flat',
          provider_id: 'manual_manual',
          service_zone_id: zone.id,
          shipping_profile_id: profile.id,
          type: { label: 'Standard', description: 'Ships in 2-3 days.', code: 'standard' },
          prices: [
            { currency_code: s.currency, amount: shippingPrice },
            { region_id: ids.regionId, amount: shippingPrice },
          ],
          rules: [
            { attribute: 'enabled_in_store', value: 'true', operator: 'eq' },
            { attribute: 'is_return', value: 'false', operator: 'eq' },
          ],
        },
      ],
    });
    changes.push(`shipping option ${shippingOptionName}`);
  }
  return profile.id;
}

/**
 * The store itself and what selling needs first: its name and currency, the storefront's
 * publishable key, the region with a payment provider, and tax regions. Each `ensure*` looks
 * before it creates and repairs what an owner or an interrupted run left unable to sell, so a
 * run on a healthy store changes nothing. Shipping and stock: shipping.ts, products.ts.
 */
import type { MedusaContainer } from '@medusajs/framework/types';
import { ContainerRegistrationKeys, Modules } from '@medusajs/framework/utils';
import {
  createApiKeysWorkflow,
  createDefaultsWorkflow,
  createRegionsWorkflow,
  createTaxRegionsWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
  updateRegionsWorkflow,
  updateStoresWorkflow,
} from '@medusajs/medusa/core-flows';
import { type SeedSettings } from './catalog';
import { hasPaymentProvider, storeRegion, systemPaymentProvider, type RegionFound } from './store-region';
import {
  planStorefrontKey,
  publishableKeyFields,
  storefrontKeyTitle,
  type PublishableKey,
} from './storefront-key';

export type Changes = string[];

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
    // JSON quoting: the name is user input, and a newline in it must not forge a log line.
    changes.push(`store ${JSON.stringify(s.storeName)} in ${s.currency}`);
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

/**
 * The region for the store's countries, with a payment provider. Found by name, or else by its
 * countries (an owner may rename it, and a country belongs to one region only, so a second one
 * could not be created). A region left with no payment provider cannot take an order: it gets
 * the system provider back. One with another provider is the owner's choice and stays as it is.
 */
export async function ensureRegion(c: MedusaContainer, s: SeedSettings, changes: Changes) {
  const { data: regions } = await c.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: 'region',
    fields: ['id', 'name', 'countries.iso_2', 'payment_providers.id'],
  });
  const region = storeRegion(regions as RegionFound[], s);
  if (!region) {
    const { result } = await createRegionsWorkflow(c).run({
      input: {
        regions: [
          {
            name: s.regionName,
            currency_code: s.currency,
            countries: s.countries,
            payment_providers: [systemPaymentProvider],
          },
        ],
      },
    });
    changes.push(`region ${s.regionName} (${s.countries.join(', ')})`);
    return result[0]!.id;
  }
  if (!hasPaymentProvider(region)) {
    await updateRegionsWorkflow(c).run({
      input: { selector: { id: region.id }, update: { payment_providers: [systemPaymentProvider] } },
    });
    changes.push(`payment provider ${systemPaymentProvider} for region ${JSON.stringify(region.name)}`);
  }
  return region.id;
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

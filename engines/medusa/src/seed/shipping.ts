/**
 * Where orders ship from and how: the warehouse (stock location) on the store's sales channel
 * with the manual fulfillment provider, a shipping fulfillment set linked to it with a service
 * zone for the region's countries, and a flat shipping option in that zone. Each link is checked
 * on every run, not only when its parts are created: a run stopped between creating a thing and
 * linking it, or an owner's edit in the admin, must not leave a store that cannot ship.
 */
import type { MedusaContainer } from '@medusajs/framework/types';
import { ContainerRegistrationKeys, Modules } from '@medusajs/framework/utils';
import {
  createShippingOptionsWorkflow,
  createStockLocationsWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
} from '@medusajs/medusa/core-flows';
import {
  fulfillmentSetName,
  shippingOptionName,
  shippingPrice,
  stockLocationName,
  type SeedSettings,
} from './catalog';
import type { Changes } from './store-setup';

const manualProvider = 'manual_manual';
const hasId = (list: ({ id?: string } | null)[] | null | undefined, id: string) =>
  (list ?? []).some((x) => x?.id === id);

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
  if (!hasId(location.sales_channels, salesChannelId)) {
    await linkSalesChannelsToStockLocationWorkflow(c).run({
      input: { id: location.id, add: [salesChannelId] },
    });
    changes.push('stock location linked to the sales channel');
  }
  if (!hasId(location.fulfillment_providers, manualProvider)) {
    await link.create({
      [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
      [Modules.FULFILLMENT]: { fulfillment_provider_id: manualProvider },
    });
    changes.push('stock location linked to the manual fulfillment provider');
  }
  return location.id as string;
}

/** Fulfillment set linked to the warehouse, its service zone, and one flat shipping option. */
export async function ensureShipping(
  c: MedusaContainer,
  s: SeedSettings,
  ids: { regionId: string; stockLocationId: string },
  changes: Changes,
) {
  const fulfillment = c.resolve(Modules.FULFILLMENT);
  const query = c.resolve(ContainerRegistrationKeys.QUERY);
  const link = c.resolve(ContainerRegistrationKeys.LINK);
  const [profile] = await fulfillment.listShippingProfiles({ type: 'default' });
  if (!profile) throw new Error('no default shipping profile (did db:migrate run?)');
  const geoZones = s.countries.map((country_code) => ({ country_code, type: 'country' as const }));

  let [set] = await fulfillment.listFulfillmentSets(
    { name: fulfillmentSetName },
    { relations: ['service_zones'] },
  );
  if (!set) {
    set = await fulfillment.createFulfillmentSets({
      name: fulfillmentSetName,
      type: 'shipping',
      service_zones: [{ name: s.regionName, geo_zones: geoZones }],
    });
    changes.push(`fulfillment set ${fulfillmentSetName}`);
  }

  // Linked to no location at all: a run stopped between creating the set and linking it. (A set
  // at another location is the owner's doing; a set belongs to one location only.)
  const { data: locations } = await query.graph({
    entity: 'stock_location',
    fields: ['id', 'fulfillment_sets.id'],
  });
  if (!locations.some((l) => hasId(l.fulfillment_sets, set.id))) {
    await link.create({
      [Modules.STOCK_LOCATION]: { stock_location_id: ids.stockLocationId },
      [Modules.FULFILLMENT]: { fulfillment_set_id: set.id },
    });
    changes.push(`fulfillment set ${fulfillmentSetName} linked to ${stockLocationName}`);
  }

  // The owner may delete the zone in the admin; its shipping options go with it.
  let zone = set.service_zones?.find((z) => z.name === s.regionName) ?? set.service_zones?.[0];
  if (!zone) {
    [zone] = await fulfillment.createServiceZones([
      { name: s.regionName, fulfillment_set_id: set.id, geo_zones: geoZones },
    ]);
    changes.push(`service zone ${s.regionName}`);
  }

  const [option] = await fulfillment.listShippingOptions({
    name: shippingOptionName,
    service_zone: { id: zone!.id },
  });
  if (!option) {
    await createShippingOptionsWorkflow(c).run({
      input: [
        {
          name: shippingOptionName,
          price_type: 'flat',
          provider_id: manualProvider,
          service_zone_id: zone!.id,
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

/**
 * The seed Job runs after every install and upgrade, so it must bring back a store that an owner
 * or an interrupted seed run left unable to sell. Each case breaks the running store the way a
 * person (admin API) or an interrupted run (Medusa's services, through medusa exec) would, shows
 * that a shopper cannot order, runs the seed, and places an order through the Store API.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AdminApi } from './harness/admin.ts';
import { medusaExec } from './harness/medusa-exec.ts';
import { StoreOwner } from './harness/owner.ts';
import { runSeed } from './harness/seed.ts';
import { seedSnapshot } from './harness/seed-snapshot.ts';
import { placeOrder } from './harness/store-order.ts';

const medusa = inject('medusa');
// What the seed names things (engines/medusa/src/seed/catalog.ts, a CommonJS package the
// root TypeScript project cannot import).
const regionName = 'Storeplane USD';
const stockLocationName = 'Storeplane Warehouse';
const fulfillmentSetName = 'Storeplane Shipping';
const shippingOptionName = 'Standard Shipping';
const toteSkus = ['SP-TOTE-NATURAL', 'SP-TOTE-BLACK'];
let owner: StoreOwner;
let channelId: string;

beforeAll(async () => {
  owner = new StoreOwner(await AdminApi.login(medusa.backendUrl, medusa.adminEmail, medusa.adminPassword));
  channelId = (await owner.store()).default_sales_channel_id;
});
// The files after this one share the store: leave it sellable even if a case failed midway.
afterAll(async () => {
  await runSeed(medusa.engineEnv, medusa.resultsDir, 'seed-repair-after');
});

/** Runs the seed; it must succeed. Returns its summary ("N changes: …"). */
async function seed(log: string): Promise<string> {
  const run = await runSeed(medusa.engineEnv, medusa.resultsDir, log);
  expect(run.exitCode, run.output.slice(-3000)).toBe(0);
  return run.summary;
}

const servedKey = async () => {
  const res = await fetch(`${medusa.backendUrl}/storeplane/config`);
  return res.ok ? ((await res.json()) as { publishableKey: string }).publishableKey : undefined;
};
const keyWithToken = async (token: string | undefined) =>
  (await owner.publishableKeys()).find((k) => k.token === token);
const channels = (k: { sales_channels: { id: string }[] } | undefined) =>
  (k?.sales_channels ?? []).map((c) => c.id).sort();

describe('the seed repairs a store it finds unable to sell', () => {
  it('the storefront key revoked by the owner: a new key on the sales channel, served and working', async () => {
    const revoked = await keyWithToken(await servedKey());
    expect(revoked).toBeDefined();
    await owner.revokeKey(revoked!.id);
    await expect(placeOrder(medusa.backendUrl)).rejects.toThrow(/"read store config": HTTP 503/);

    expect(await seed('seed-repair-revoked-key')).toMatch(/publishable key/);
    const key = await keyWithToken(await servedKey());
    expect(key).toMatchObject({ revoked_at: null });
    expect(key!.token).not.toBe(revoked!.token);
    expect(channels(key)).toEqual([channelId]);
    const placed = await placeOrder(medusa.backendUrl);
    expect(placed.publishableKey).toBe(key!.token);
  });

  it("the storefront key also put on a second channel, beside the owner's own keys: those are left alone", async () => {
    const wholesale = await owner.createSalesChannel('Wholesale');
    const appKey = await owner.createPublishableKey('Wholesale app');
    await owner.setKeyChannels(appKey.id, { add: [wholesale.id] });
    const spareKey = await owner.createPublishableKey('Spare key');
    const storefrontKey = await keyWithToken(await servedKey());
    await owner.setKeyChannels(storefrontKey!.id, { add: [wholesale.id] });
    // A key on two channels cannot make a cart without naming one, and the storefront names none
    // (so /storeplane/config no longer serves such a key: 503 until a seed makes a usable one).
    await expect(placeOrder(medusa.backendUrl)).rejects.toThrow(
      /"read store config": HTTP 503|"create cart": HTTP 400/,
    );

    expect(await seed('seed-repair-shared-key')).toMatch(/publishable key/);
    const key = await keyWithToken(await servedKey());
    expect(key).toMatchObject({ revoked_at: null });
    expect(channels(key)).toEqual([channelId]);
    expect([appKey.id, spareKey.id, storefrontKey!.id]).not.toContain(key!.id);
    const after = await owner.publishableKeys();
    expect(channels(after.find((k) => k.id === appKey.id))).toEqual([wholesale.id]);
    expect(channels(after.find((k) => k.id === spareKey.id))).toEqual([]);
    expect(channels(after.find((k) => k.id === storefrontKey!.id))).toEqual([channelId, wholesale.id].sort());
    await placeOrder(medusa.backendUrl);
  });

  it('a fulfillment set never linked to its stock location: linked, and checkout finds the shipping option', async () => {
    await medusaExec(medusa.engineEnv, medusa.resultsDir, 'interrupted-seed.cjs', [
      'fulfillment-set-unlinked',
      fulfillmentSetName,
      stockLocationName,
    ]);
    expect((await owner.stockLocation(stockLocationName))!.fulfillment_sets).toEqual([]);
    await expect(placeOrder(medusa.backendUrl)).rejects.toThrow(/"list shipping options"/);

    expect(await seed('seed-repair-fulfillment-set')).toMatch(/fulfillment set .* linked to/);
    const location = await owner.stockLocation(stockLocationName);
    expect(location!.fulfillment_sets.map((s) => s.name)).toEqual([fulfillmentSetName]);
    const placed = await placeOrder(medusa.backendUrl);
    expect(placed.shippingOptions).toContain(shippingOptionName);
  });

  it('the service zone deleted by the owner: a zone for the region and its shipping option again', async () => {
    const [set] = (await owner.stockLocation(stockLocationName))!.fulfillment_sets;
    for (const zone of set!.service_zones) await owner.deleteServiceZone(set!.id, zone.id);
    await expect(placeOrder(medusa.backendUrl)).rejects.toThrow(/"list shipping options"/);

    const summary = await seed('seed-repair-service-zone');
    expect(summary).toMatch(/service zone/);
    expect(summary).toMatch(/shipping option/);
    const placed = await placeOrder(medusa.backendUrl);
    expect(placed.shippingOptions).toEqual([shippingOptionName]);
  });

  it('a region left without any payment provider: the system provider again', async () => {
    const region = await owner.region(regionName);
    await owner.updateRegion(region!.id, { payment_providers: [] });
    await expect(placeOrder(medusa.backendUrl)).rejects.toThrow(/"create payment session"/);

    expect(await seed('seed-repair-payment-provider')).toMatch(/payment provider/);
    const placed = await placeOrder(medusa.backendUrl);
    expect(placed.paymentProviders).toEqual(['pp_system_default']);
  });

  it('a region the owner renamed: the seed uses it (the name stays) instead of failing on its countries', async () => {
    const region = await owner.region(regionName);
    await owner.updateRegion(region!.id, { name: 'North America' });

    await seed('seed-repair-renamed-region');
    expect((await owner.regionById(region!.id)).name).toBe('North America');
    expect(await owner.region(regionName)).toBeUndefined();
    await placeOrder(medusa.backendUrl);
  });

  it('the stock location taken off the sales channel: put back on it', async () => {
    const location = await owner.stockLocation(stockLocationName);
    await owner.setStockLocationChannels(location!.id, { remove: [channelId] });
    // Shipping options come from the channel's stock locations: none are left.
    await expect(placeOrder(medusa.backendUrl)).rejects.toThrow(/"list shipping options"/);

    expect(await seed('seed-repair-location-channel')).toMatch(/stock location linked to the sales channel/);
    expect(channels(await owner.stockLocation(stockLocationName))).toContain(channelId);
    await placeOrder(medusa.backendUrl);
  });

  it('variants without stock at the warehouse: stocked again', async () => {
    const location = await owner.stockLocation(stockLocationName);
    const items = await owner.inventoryItems(toteSkus);
    // Levels that hold reservations (earlier orders) cannot be removed; take the free ones.
    const free = items.flatMap((item) =>
      item.location_levels
        .filter((l) => l.location_id === location!.id && l.reserved_quantity === 0)
        .map((level) => ({ item, level })),
    );
    expect(free.length).toBeGreaterThan(0);
    for (const { item, level } of free) await owner.removeLevel(item.id, level.id);
    const sku = free[0]!.item.sku;
    await expect(placeOrder(medusa.backendUrl, sku)).rejects.toThrow(/"add item"/);

    expect(await seed('seed-repair-stock')).toMatch(new RegExp(`stock for ${free.length} variants`));
    await placeOrder(medusa.backendUrl, sku);
  });

  it('a product whose handle the owner changed: the seed neither fails on its SKUs nor adds a copy', async () => {
    const tee = await owner.productByHandle('storeplane-tee');
    await owner.setProductHandle(tee!.id, 'cloud-tee');
    try {
      await seed('seed-repair-product-handle');
      expect(await owner.productByHandle('storeplane-tee')).toBeUndefined();
      expect(await owner.variantCount('SP-TEE-M')).toBe(1);
      await placeOrder(medusa.backendUrl, 'SP-TEE-M');
    } finally {
      // The other files list the catalogue by its seeded handles.
      await owner.setProductHandle(tee!.id, 'storeplane-tee');
    }
  });

  it('after the repairs, another run changes nothing', async () => {
    const before = seedSnapshot(medusa.database);
    expect(await seed('seed-repair-again')).toBe('nothing to change');
    expect(seedSnapshot(medusa.database)).toEqual(before);
  });
});

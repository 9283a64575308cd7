/**
 * `storeplane-medusa seed` (= `medusa exec ./src/scripts/seed.js`): makes a sellable store, and
 * makes one sellable again after an owner's edit or an interrupted run (it runs after every
 * install and upgrade). Idempotent: each step looks before it creates or repairs, and a run on a
 * healthy store logs "nothing to change".
 */
import type { ExecArgs } from '@medusajs/framework/types';
import { ContainerRegistrationKeys } from '@medusajs/framework/utils';
import { ensureAdminUser } from '../seed/admin-user';
import { seedSettings } from '../seed/catalog';
import { ensureProducts, ensureStock } from '../seed/products';
import { ensureShipping, ensureStockLocation } from '../seed/shipping';
import {
  ensurePublishableKey,
  ensureRegion,
  ensureStore,
  ensureTaxRegions,
  type Changes,
} from '../seed/store-setup';

export default async function seed({ container }: ExecArgs) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER);
  const settings = seedSettings(process.env);
  const changes: Changes = [];

  const { salesChannelId } = await ensureStore(container, settings, changes);
  const publishableKey = await ensurePublishableKey(container, salesChannelId, changes);
  const regionId = await ensureRegion(container, settings, changes);
  await ensureTaxRegions(container, settings, changes);
  const stockLocationId = await ensureStockLocation(container, salesChannelId, changes);
  const shippingProfileId = await ensureShipping(container, settings, { regionId, stockLocationId }, changes);
  await ensureProducts(container, settings, { salesChannelId, shippingProfileId }, changes);
  await ensureStock(container, stockLocationId, changes);
  await ensureAdminUser(container, process.env, changes);

  // A publishable key is public by design (every storefront request carries it); the server
  // also serves it at GET /storeplane/config.
  logger.info(`storeplane seed: publishable key ${publishableKey}`);
  logger.info(
    changes.length === 0
      ? 'storeplane seed: nothing to change'
      : `storeplane seed: ${changes.length} changes: ${changes.join('; ')}`,
  );
}

/**
 * GET /storeplane/config: what a storefront needs at run time, so one storefront build serves
 * every store. Public on purpose: a publishable key is sent by every shopper's browser anyway.
 */
import type { MedusaRequest, MedusaResponse } from '@medusajs/framework/http';
import { ContainerRegistrationKeys, Modules } from '@medusajs/framework/utils';
import { publishableKeyFields, storefrontKey, type PublishableKey } from '../../../seed/storefront-key';

export interface StorefrontConfig {
  publishableKey: string;
  storeName: string;
  currency: string;
}

export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const [store] = await req.scope
    .resolve(Modules.STORE)
    .listStores({}, { relations: ['supported_currencies'] });
  const { data: keys } = await req.scope.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: 'api_key',
    fields: publishableKeyFields,
    filters: { type: 'publishable' },
  });
  // The same choice the seed makes, so the storefront gets the key the seed made sure of.
  const key = store?.default_sales_channel_id
    ? storefrontKey(keys as PublishableKey[], store.default_sales_channel_id)
    : undefined;

  // Any origin may read it (no credentials involved); the storefront may live on another host.
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Cache-Control', 'no-store');
  if (!store || !key) {
    res.status(503).json({
      type: 'not_seeded',
      message: 'the store has no usable publishable key yet: the seed (run on install and upgrade) makes one',
    });
    return;
  }
  const body: StorefrontConfig = {
    publishableKey: key.token,
    // The name the seed stored from STORE_NAME: one source, exactly as the owner typed it.
    storeName: store.name,
    currency:
      store.supported_currencies?.find((c) => c.is_default)?.currency_code ??
      process.env.STORE_CURRENCY ??
      'usd',
  };
  res.json(body);
}

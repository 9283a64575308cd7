/**
 * GET /storeplane/config: what a storefront needs at run time, so one storefront build serves
 * every store. Public on purpose: a publishable key is sent by every shopper's browser anyway.
 */
import type { MedusaRequest, MedusaResponse } from '@medusajs/framework/http';
import { ContainerRegistrationKeys, Modules } from '@medusajs/framework/utils';

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
    fields: ['token', 'revoked_at', 'created_at', 'sales_channels.id'],
    filters: { type: 'publishable' },
  });
  const channel = store?.default_sales_channel_id;
  const key = keys
    .filter((k) => !k.revoked_at)
    .filter((k) => (k.sales_channels ?? []).some((sc: { id?: string } | null) => sc?.id === channel))
    .sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)))[0];

  // Any origin may read it (no credentials involved); the storefront may live on another host.
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Cache-Control', 'no-store');
  if (!store || !key) {
    res.status(503).json({ type: 'not_seeded', message: 'the store has not been seeded yet' });
    return;
  }
  const body: StorefrontConfig = {
    publishableKey: key.token as string,
    storeName: process.env.STORE_NAME || store.name,
    currency:
      store.supported_currencies?.find((c) => c.is_default)?.currency_code ??
      process.env.STORE_CURRENCY ??
      'usd',
  };
  res.json(body);
}

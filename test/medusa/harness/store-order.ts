/**
 * A shopper's order through the Store API, step by step, with the publishable key the store
 * serves at /storeplane/config: region, product, cart with an address, shipping options for that
 * address, payment session with the system provider, complete. Each failure names its step.
 */

export interface PlacedOrder {
  publishableKey: string;
  /** Names of the shipping options the cart was offered for its address. */
  shippingOptions: string[];
  /** Payment providers the cart's region offers. */
  paymentProviders: string[];
  order: { id: string; display_id: number };
}

interface Cart {
  id: string;
}

async function call<T>(
  step: string,
  url: string,
  init: { method?: 'GET' | 'POST'; key?: string; body?: unknown } = {},
): Promise<T> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.key ? { 'x-publishable-api-key': init.key } : {}),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`store order failed at "${step}": HTTP ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Places one order; `sku` picks the variant (default: the first priced one). */
export async function placeOrder(backendUrl: string, sku?: string): Promise<PlacedOrder> {
  const { publishableKey } = await call<{ publishableKey: string }>(
    'read store config',
    `${backendUrl}/storeplane/config`,
  );
  const key = publishableKey;
  const api = <T>(step: string, path: string, method: 'GET' | 'POST' = 'GET', body?: unknown) =>
    call<T>(step, `${backendUrl}${path}`, { method, key, body });

  const { regions } = await api<{ regions: { id: string; countries: { iso_2: string }[] }[] }>(
    'list regions',
    '/store/regions?fields=id,*countries',
  );
  const region = regions.find((r) => r.countries.length > 0);
  if (!region) throw new Error('store order failed at "list regions": no region with countries');
  const { products } = await api<{
    products: { variants: { id: string; sku: string; calculated_price?: { calculated_amount: number } }[] }[];
  }>(
    'list products',
    `/store/products?region_id=${region.id}&fields=*variants.calculated_price,+variants.sku`,
  );
  const variants = products.flatMap((p) => p.variants).filter((v) => v.calculated_price);
  const variant = sku ? variants.find((v) => v.sku === sku) : variants[0];
  if (!variant) throw new Error(`store order failed at "list products": no priced variant ${sku ?? ''}`);

  const address = {
    first_name: 'Repair',
    last_name: 'Check',
    address_1: '1 Main Street',
    city: 'Springfield',
    postal_code: '12345',
    country_code: region.countries[0]!.iso_2,
  };
  const { cart } = await api<{ cart: Cart }>('create cart', '/store/carts', 'POST', {
    region_id: region.id,
    email: 'repair-check@example.com',
    shipping_address: address,
    billing_address: address,
  });
  await api('add item', `/store/carts/${cart.id}/line-items`, 'POST', {
    variant_id: variant.id,
    quantity: 1,
  });

  const { shipping_options: options } = await api<{ shipping_options: { id: string; name: string }[] }>(
    'list shipping options',
    `/store/shipping-options?cart_id=${cart.id}`,
  );
  if (!options[0]) throw new Error('store order failed at "list shipping options": none for the address');
  await api('add shipping method', `/store/carts/${cart.id}/shipping-methods`, 'POST', {
    option_id: options[0].id,
  });

  const { payment_providers: providers } = await api<{ payment_providers: { id: string }[] }>(
    'list payment providers',
    `/store/payment-providers?region_id=${region.id}`,
  );
  const { payment_collection: collection } = await api<{ payment_collection: { id: string } }>(
    'create payment collection',
    '/store/payment-collections',
    'POST',
    { cart_id: cart.id },
  );
  await api(
    'create payment session',
    `/store/payment-collections/${collection.id}/payment-sessions`,
    'POST',
    { provider_id: 'pp_system_default' },
  );

  const completed = await api<{ type: string; order?: PlacedOrder['order']; error?: unknown }>(
    'complete cart',
    `/store/carts/${cart.id}/complete`,
    'POST',
  );
  if (completed.type !== 'order' || !completed.order)
    throw new Error(`store order failed at "complete cart": ${JSON.stringify(completed.error)}`);
  return {
    publishableKey,
    shippingOptions: options.map((o) => o.name),
    paymentProviders: providers.map((p) => p.id),
    order: completed.order,
  };
}

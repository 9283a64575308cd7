/**
 * `storeplane-medusa order-check --url <backend>`: places a real order the way a shopper does
 * (Store API, publishable key from /storeplane/config, system payment provider), then finds it
 * through the admin API. Exits 1 with the failing step's name at the first failure. There is
 * deliberately no fallback that creates the order another way: a store that cannot sell fails.
 */
import { jsonStep, StepFailure } from './http-step';
import { orderCheckUsage, parseOrderCheckArgs, type OrderCheckSettings } from './order-check-args';

interface Region {
  id: string;
  currency_code: string;
  countries?: { iso_2: string }[];
}
interface Variant {
  id: string;
  title: string;
  calculated_price?: { calculated_amount: number | null } | null;
}
interface Product {
  id: string;
  title: string;
  variants?: Variant[];
}
interface Cart {
  id: string;
  total: number;
  payment_collection?: { id: string } | null;
}
interface PlacedOrder {
  id: string;
  display_id: number;
  email: string;
  total: number;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

export async function runOrderCheck(s: OrderCheckSettings): Promise<PlacedOrder> {
  const config = await jsonStep<{ publishableKey?: string }>({
    step: 'read store config',
    method: 'GET',
    url: `${s.baseUrl}/storeplane/config`,
  });
  if (!config.publishableKey)
    throw new StepFailure('read store config', 'no publishableKey (was the store seeded?)');
  const store = { 'x-publishable-api-key': config.publishableKey };
  const api = <T>(step: string, method: 'GET' | 'POST', path: string, body?: unknown) =>
    jsonStep<T>({ step, method, url: `${s.baseUrl}${path}`, headers: store, body });
  say('✓ read store config (publishable key)');

  const { regions } = await api<{ regions: Region[] }>('list regions', 'GET', '/store/regions');
  const region = regions.find((r) => (r.countries ?? []).length > 0);
  if (!region) throw new StepFailure('list regions', 'no region with countries');
  const country = region.countries![0]!.iso_2;
  say(`✓ region ${region.id} (${region.currency_code}, ${country})`);

  const { products } = await api<{ products: Product[] }>(
    'list products',
    'GET',
    `/store/products?region_id=${region.id}&limit=20&fields=*variants.calculated_price`,
  );
  const pick = products
    .flatMap((p) => (p.variants ?? []).map((v) => ({ p, v })))
    .find(({ v }) => typeof v.calculated_price?.calculated_amount === 'number');
  if (!pick) throw new StepFailure('list products', `no product variant has a price in region ${region.id}`);
  say(`✓ product "${pick.p.title}" / "${pick.v.title}"`);

  const address = {
    first_name: 'Order',
    last_name: 'Check',
    address_1: '1 Main Street',
    city: 'Springfield',
    postal_code: '12345',
    country_code: country,
  };
  let { cart } = await api<{ cart: Cart }>('create cart', 'POST', '/store/carts', {
    region_id: region.id,
    email: 'order-check@example.com',
    items: [{ variant_id: pick.v.id, quantity: 1 }],
  });
  ({ cart } = await api<{ cart: Cart }>('set addresses', 'POST', `/store/carts/${cart.id}`, {
    shipping_address: address,
    billing_address: address,
  }));
  say(`✓ cart ${cart.id} with one item and addresses`);

  const { shipping_options: options } = await api<{ shipping_options: { id: string; name: string }[] }>(
    'list shipping options',
    'GET',
    `/store/shipping-options?cart_id=${cart.id}`,
  );
  const option = options[0];
  if (!option) throw new StepFailure('list shipping options', `none for a cart shipping to ${country}`);
  ({ cart } = await api<{ cart: Cart }>(
    'add shipping method',
    'POST',
    `/store/carts/${cart.id}/shipping-methods`,
    {
      option_id: option.id,
    },
  ));
  say(`✓ shipping "${option.name}"`);

  const { payment_collection: collection } = await api<{ payment_collection: { id: string } }>(
    'create payment collection',
    'POST',
    '/store/payment-collections',
    { cart_id: cart.id },
  );
  await api(
    'create payment session',
    'POST',
    `/store/payment-collections/${collection.id}/payment-sessions`,
    {
      provider_id: 'pp_system_default',
    },
  );
  say('✓ payment session (pp_system_default)');

  const completed = await api<{ type: string; order?: PlacedOrder; error?: { message?: string } }>(
    'complete cart',
    'POST',
    `/store/carts/${cart.id}/complete`,
  );
  if (completed.type !== 'order' || !completed.order) {
    throw new StepFailure(
      'complete cart',
      `no order: ${completed.error?.message ?? JSON.stringify(completed)}`,
    );
  }
  const placed = completed.order;
  say(`✓ order #${placed.display_id} placed (${placed.id})`);

  const { token } = await jsonStep<{ token: string }>({
    step: 'admin login',
    method: 'POST',
    url: `${s.baseUrl}/auth/user/emailpass`,
    body: { email: s.adminEmail, password: s.adminPassword },
  });
  const { order } = await jsonStep<{ order: PlacedOrder }>({
    step: 'find order in admin',
    method: 'GET',
    url: `${s.baseUrl}/admin/orders/${placed.id}?fields=id,display_id,email,total`,
    headers: { authorization: `Bearer ${token}` },
  });
  if (order.display_id !== placed.display_id || order.email !== placed.email) {
    throw new StepFailure('find order in admin', `admin shows #${order.display_id} <${order.email}>`);
  }
  say(`✓ order #${order.display_id} confirmed through the admin API`);
  return order;
}

async function main(): Promise<number> {
  const parsed = parseOrderCheckArgs(process.argv.slice(2), process.env);
  if (!parsed.ok) {
    process.stderr.write(`order-check: ${parsed.error}\n${orderCheckUsage}\n`);
    return 2;
  }
  try {
    const order = await runOrderCheck(parsed.settings);
    say(JSON.stringify({ ok: true, orderId: order.id, displayId: order.display_id }));
    return 0;
  } catch (err) {
    const message = err instanceof StepFailure ? `step "${err.step}": ${err.detail}` : String(err);
    process.stderr.write(`✗ order check failed at ${message}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main().then((code) => process.exit(code));
}

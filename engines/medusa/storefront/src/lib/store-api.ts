/** A small client for Medusa's Store API: every request carries the store's publishable key. */
import type { Cart, Order, PaymentProvider, Product, Region, ShippingOption } from './types.ts';
import type { AddressFields } from './checkout-form.ts';

export class StoreApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'StoreApiError';
  }
}

const productFields = '*variants.calculated_price,+variants.inventory_quantity';

export class StoreApi {
  constructor(
    private readonly baseUrl: string,
    private readonly publishableKey: string,
  ) {}

  private async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          'x-publishable-api-key': this.publishableKey,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new StoreApiError('The store could not be reached. Check your connection and try again.', 0);
    }
    const data = (await res.json().catch(() => ({}))) as { message?: string };
    if (!res.ok)
      throw new StoreApiError(
        data.message || `The store answered with an error (${res.status}).`,
        res.status,
      );
    return data as T;
  }

  regions = () => this.call<{ regions: Region[] }>('GET', '/store/regions').then((r) => r.regions);

  products = (regionId: string) =>
    this.call<{ products: Product[] }>(
      'GET',
      `/store/products?region_id=${regionId}&limit=50&order=created_at&fields=${encodeURIComponent(productFields)}`,
    ).then((r) => r.products);

  product = (handle: string, regionId: string) =>
    this.call<{ products: Product[] }>(
      'GET',
      `/store/products?handle=${encodeURIComponent(handle)}&region_id=${regionId}&fields=${encodeURIComponent(productFields)}`,
    ).then((r) => r.products[0] ?? null);

  createCart = (regionId: string) =>
    this.call<{ cart: Cart }>('POST', '/store/carts', { region_id: regionId }).then((r) => r.cart);

  cart = (id: string) => this.call<{ cart: Cart }>('GET', `/store/carts/${id}`).then((r) => r.cart);

  addItem = (cartId: string, variantId: string, quantity: number) =>
    this.call<{ cart: Cart }>('POST', `/store/carts/${cartId}/line-items`, {
      variant_id: variantId,
      quantity,
    }).then((r) => r.cart);

  setQuantity = (cartId: string, lineId: string, quantity: number) =>
    this.call<{ cart: Cart }>('POST', `/store/carts/${cartId}/line-items/${lineId}`, { quantity }).then(
      (r) => r.cart,
    );

  removeItem = (cartId: string, lineId: string) =>
    this.call<{ parent: Cart }>('DELETE', `/store/carts/${cartId}/line-items/${lineId}`).then(
      (r) => r.parent,
    );

  setContact = (cartId: string, email: string, address: AddressFields) =>
    this.call<{ cart: Cart }>('POST', `/store/carts/${cartId}`, {
      email,
      shipping_address: address,
      billing_address: address,
    }).then((r) => r.cart);

  shippingOptions = (cartId: string) =>
    this.call<{ shipping_options: ShippingOption[] }>(
      'GET',
      `/store/shipping-options?cart_id=${cartId}`,
    ).then((r) => r.shipping_options);

  setShipping = (cartId: string, optionId: string) =>
    this.call<{ cart: Cart }>('POST', `/store/carts/${cartId}/shipping-methods`, {
      option_id: optionId,
    }).then((r) => r.cart);

  paymentProviders = (regionId: string) =>
    this.call<{ payment_providers: PaymentProvider[] }>(
      'GET',
      `/store/payment-providers?region_id=${regionId}`,
    ).then((r) => r.payment_providers);

  /** Payment collection for the cart (created once), then a session with the chosen provider. */
  async startPayment(cartId: string, providerId: string): Promise<void> {
    const { payment_collection } = await this.call<{ payment_collection: { id: string } }>(
      'POST',
      '/store/payment-collections',
      { cart_id: cartId },
    );
    await this.call('POST', `/store/payment-collections/${payment_collection.id}/payment-sessions`, {
      provider_id: providerId,
    });
  }

  async complete(cartId: string): Promise<Order> {
    const result = await this.call<
      { type: 'order'; order: Order } | { type: 'cart'; error?: { message?: string } }
    >('POST', `/store/carts/${cartId}/complete`);
    if (result.type !== 'order') {
      throw new StoreApiError(result.error?.message || 'The order could not be placed.', 400);
    }
    return result.order;
  }

  order = (id: string) => this.call<{ order: Order }>('GET', `/store/orders/${id}`).then((r) => r.order);
}

import { describe, expect, it } from 'vitest';
import { matchRoute } from './routes.ts';

describe('matchRoute', () => {
  it.each([
    ['/', { page: 'products' }],
    ['', { page: 'products' }],
    ['/cart', { page: 'cart' }],
    ['/cart/', { page: 'cart' }],
    ['/checkout', { page: 'checkout' }],
    ['/products/storeplane-tee', { page: 'product', handle: 'storeplane-tee' }],
    ['/products/caf%C3%A9', { page: 'product', handle: 'café' }],
    ['/orders/order_01ABC', { page: 'order', id: 'order_01ABC' }],
    ['/products', { page: 'not-found' }],
    ['/products/a/b', { page: 'not-found' }],
    ['/admin', { page: 'not-found' }],
  ])('%s', (path, route) => expect(matchRoute(path)).toEqual(route));
});

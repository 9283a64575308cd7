/** The storefront's pages by URL path: pure, so it is unit-tested without a browser. */
export type Route =
  | { page: 'products' }
  | { page: 'product'; handle: string }
  | { page: 'cart' }
  | { page: 'checkout' }
  | { page: 'order'; id: string }
  | { page: 'not-found' };

export function matchRoute(path: string): Route {
  const clean = path.replace(/\/+$/, '') || '/';
  if (clean === '/') return { page: 'products' };
  if (clean === '/cart') return { page: 'cart' };
  if (clean === '/checkout') return { page: 'checkout' };
  const product = /^\/products\/([^/]+)$/.exec(clean);
  if (product?.[1]) return { page: 'product', handle: decodeURIComponent(product[1]) };
  const order = /^\/orders\/([^/]+)$/.exec(clean);
  if (order?.[1]) return { page: 'order', id: decodeURIComponent(order[1]) };
  return { page: 'not-found' };
}

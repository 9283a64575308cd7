/** The confirmation page shows the order the checkout just placed, even after a reload. */
import type { Order } from './types.ts';

const key = (id: string) => `storeplane.order.${id}`;

export function rememberOrder(order: Order): void {
  try {
    window.sessionStorage.setItem(key(order.id), JSON.stringify(order));
  } catch {
    // no storage: the page fetches the order instead
  }
}

export function rememberedOrder(id: string): Order | null {
  try {
    const raw = window.sessionStorage.getItem(key(id));
    return raw ? (JSON.parse(raw) as Order) : null;
  } catch {
    return null;
  }
}

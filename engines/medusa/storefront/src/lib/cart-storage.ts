/** The shopper's cart id survives reloads in localStorage; a completed cart is forgotten. */
const key = 'storeplane.cartId';

export const savedCartId = (): string | null => {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
};

export const saveCartId = (id: string | null): void => {
  try {
    if (id) window.localStorage.setItem(key, id);
    else window.localStorage.removeItem(key);
  } catch {
    // private mode without storage: the cart lives as long as the page
  }
};

export const itemCount = (items: readonly { quantity: number }[] | undefined): number =>
  (items ?? []).reduce((sum, item) => sum + item.quantity, 0);

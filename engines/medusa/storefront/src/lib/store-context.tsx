/** What every page needs: config, API client, region, and the shopper's cart. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { saveCartId, savedCartId } from './cart-storage.ts';
import type { StoreConfig } from './runtime-config.ts';
import type { StoreApi } from './store-api.ts';
import type { Cart, Region } from './types.ts';

export interface StoreState {
  config: StoreConfig;
  api: StoreApi;
  region: Region;
  cart: Cart | null;
  setCart: (cart: Cart | null) => void;
  /** The current cart, created on first use. */
  ensureCart: () => Promise<Cart>;
}

const StoreContext = createContext<StoreState | null>(null);

export function useStore(): StoreState {
  const state = useContext(StoreContext);
  if (!state) throw new Error('useStore outside StoreProvider');
  return state;
}

export function StoreProvider(props: {
  config: StoreConfig;
  region: Region;
  api: StoreApi;
  children: ReactNode;
}) {
  const { api, region } = props;
  const [cart, setCartState] = useState<Cart | null>(null);

  const setCart = useCallback((next: Cart | null) => {
    setCartState(next);
    saveCartId(next && !next.completed_at ? next.id : null);
  }, []);

  useEffect(() => {
    const id = savedCartId();
    if (!id) return;
    let current = true;
    api.cart(id).then(
      (c) => {
        if (!current) return;
        if (c.completed_at) saveCartId(null);
        else setCartState((now) => now ?? c); // the shopper's newer cart, if any, wins
      },
      () => current && saveCartId(null), // gone or expired: a new cart on the next add
    );
    return () => {
      current = false;
    };
  }, [api]);

  const ensureCart = useCallback(async () => {
    if (cart) return cart;
    const created = await api.createCart(region.id);
    setCart(created);
    return created;
  }, [api, cart, region.id, setCart]);

  const value = useMemo(
    () => ({ config: props.config, api, region, cart, setCart, ensureCart }),
    [props.config, api, region, cart, setCart, ensureCart],
  );
  return <StoreContext.Provider value={value}>{props.children}</StoreContext.Provider>;
}

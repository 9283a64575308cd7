import { itemCount } from '../lib/cart-storage.ts';
import { Link } from '../lib/router.tsx';
import { useStore } from '../lib/store-context.tsx';

export function Header() {
  const { config, cart } = useStore();
  const count = itemCount(cart?.items);
  return (
    <header className="site-header">
      <div className="bar">
        <Link href="/" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          {config.storeName}
        </Link>
        <nav aria-label="Main">
          <Link href="/">Shop</Link>
          <Link
            href="/cart"
            className="cart-link"
            aria-label={`Cart, ${count} ${count === 1 ? 'item' : 'items'}`}
          >
            Cart{' '}
            <span className="badge" data-testid="cart-count">
              {count}
            </span>
          </Link>
        </nav>
      </div>
    </header>
  );
}

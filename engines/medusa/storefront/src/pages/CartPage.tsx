import { useState } from 'react';
import { Totals } from '../components/CartSummary.tsx';
import { errorText, Notice } from '../components/Status.tsx';
import { formatMoney } from '../lib/money.ts';
import { Link } from '../lib/router.tsx';
import { useStore } from '../lib/store-context.tsx';

export function CartPage() {
  const { cart, api, setCart } = useStore();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState('');
  const items = cart?.items ?? [];

  const change = async (lineId: string, quantity: number) => {
    if (!cart) return;
    setBusy(lineId);
    setError('');
    try {
      setCart(
        quantity > 0
          ? await api.setQuantity(cart.id, lineId, quantity)
          : await api.removeItem(cart.id, lineId),
      );
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(null);
    }
  };

  if (!cart || items.length === 0) {
    return (
      <section>
        <h1>Your cart</h1>
        <Notice kind="info">
          Your cart is empty. <Link href="/">Browse the shop</Link>
        </Notice>
      </section>
    );
  }
  return (
    <section className="cart">
      <h1>Your cart</h1>
      {error && (
        <Notice kind="error" title="The cart could not be updated">
          {error}
        </Notice>
      )}
      <ul className="lines" aria-label="Items in your cart">
        {items.map((item) => (
          <li key={item.id} className="line">
            <img src={item.thumbnail ?? '/favicon.svg'} alt="" width={72} height={72} />
            <div className="line-text">
              <strong>{item.product_title ?? item.title}</strong>
              <span>{item.variant_title}</span>
              <span>{formatMoney(item.unit_price, cart.currency_code)} each</span>
            </div>
            <div className="qty" role="group" aria-label={`Quantity of ${item.product_title ?? item.title}`}>
              <button
                className="button icon"
                aria-label="One fewer"
                disabled={busy === item.id}
                onClick={() => change(item.id, item.quantity - 1)}
              >
                −
              </button>
              <span aria-live="polite">{item.quantity}</span>
              <button
                className="button icon"
                aria-label="One more"
                disabled={busy === item.id}
                onClick={() => change(item.id, item.quantity + 1)}
              >
                +
              </button>
            </div>
            <button className="button link" disabled={busy === item.id} onClick={() => change(item.id, 0)}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      <Totals of={cart} />
      <div className="actions">
        <Link href="/" className="button">
          Keep shopping
        </Link>
        <Link href="/checkout" className="button primary">
          Check out
        </Link>
      </div>
    </section>
  );
}

import { useEffect, useState } from 'react';
import { Totals } from '../components/CartSummary.tsx';
import { errorText, Loading, Notice } from '../components/Status.tsx';
import { formatMoney } from '../lib/money.ts';
import { rememberedOrder } from '../lib/order-storage.ts';
import { Link } from '../lib/router.tsx';
import { useStore } from '../lib/store-context.tsx';
import type { Order } from '../lib/types.ts';

export function OrderPage({ id }: { id: string }) {
  const { api } = useStore();
  const [order, setOrder] = useState<Order | null>(() => rememberedOrder(id));
  const [error, setError] = useState('');
  useEffect(() => {
    if (order) return;
    api.order(id).then(setOrder, (err: unknown) => setError(errorText(err)));
  }, [api, id, order]);

  if (error)
    return (
      <Notice kind="error" title="This order could not be found">
        {error}
      </Notice>
    );
  if (!order) return <Loading label="Loading your order…" />;
  return (
    <section className="confirmation panel">
      <p className="check" aria-hidden="true">
        ✓
      </p>
      <h1>Thank you for your order!</h1>
      <p className="order-number">
        Order number <strong data-testid="order-number">#{order.display_id}</strong>
      </p>
      <p>
        A confirmation goes to <strong>{order.email}</strong>. We will let you know when it ships.
      </p>
      <ul className="mini-lines">
        {(order.items ?? []).map((i) => (
          <li key={i.id}>
            <span>
              {i.quantity} × {i.product_title ?? i.title} <small>{i.variant_title}</small>
            </span>
            <span>{formatMoney(i.unit_price * i.quantity, order.currency_code)}</span>
          </li>
        ))}
      </ul>
      <Totals of={order} />
      <Link href="/" className="button primary">
        Continue shopping
      </Link>
    </section>
  );
}

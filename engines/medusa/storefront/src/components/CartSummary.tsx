import { formatMoney } from '../lib/money.ts';
import type { Cart, Order } from '../lib/types.ts';

/** Subtotal, shipping and total of a cart or an order. */
export function Totals({ of }: { of: Cart | Order }) {
  const c = of.currency_code;
  const subtotal = ('item_subtotal' in of ? of.item_subtotal : undefined) ?? of.subtotal;
  return (
    <dl className="totals">
      <div>
        <dt>Subtotal</dt>
        <dd>{formatMoney(subtotal, c)}</dd>
      </div>
      <div>
        <dt>Shipping</dt>
        <dd>
          {'shipping_methods' in of && (of.shipping_methods ?? []).length === 0
            ? 'Chosen at checkout'
            : formatMoney(of.shipping_total ?? 0, c)}
        </dd>
      </div>
      <div className="grand">
        <dt>Total</dt>
        <dd data-testid="total">{formatMoney(of.total, c)}</dd>
      </div>
    </dl>
  );
}

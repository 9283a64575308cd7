import { useState, type FormEvent } from 'react';
import { Totals } from '../components/CartSummary.tsx';
import { Field } from '../components/Field.tsx';
import { errorText, Notice } from '../components/Status.tsx';
import {
  emptyCheckout,
  toAddress,
  validateCheckout,
  type CheckoutFields,
  type FieldErrors,
} from '../lib/checkout-form.ts';
import { formatMoney } from '../lib/money.ts';
import { rememberOrder } from '../lib/order-storage.ts';
import { Link, navigate } from '../lib/router.tsx';
import { useStore } from '../lib/store-context.tsx';
import type { ShippingOption } from '../lib/types.ts';

const providerLabels: Record<string, string> = { pp_system_default: 'Pay on delivery (manual payment)' };

/** Checkout in three steps on one page: contact and address, delivery, payment. */
export function CheckoutPage() {
  const { cart, api, region, setCart } = useStore();
  const [fields, setFields] = useState<CheckoutFields>({
    ...emptyCheckout,
    country_code: region.countries?.length === 1 ? region.countries[0]!.iso_2 : '',
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [options, setOptions] = useState<ShippingOption[] | null>(null);
  const [providers, setProviders] = useState<string[]>([]);
  const [optionId, setOptionId] = useState('');
  const [providerId, setProviderId] = useState('');
  const [busy, setBusy] = useState<'' | 'address' | 'shipping' | 'order'>('');
  const [error, setError] = useState('');
  const countries = region.countries ?? [];

  if (!cart || (cart.items ?? []).length === 0) {
    return (
      <section>
        <h1>Checkout</h1>
        <Notice kind="error" title="Your cart is empty">
          Add a product to your cart before checking out. <Link href="/">Browse the shop</Link>
        </Notice>
      </section>
    );
  }

  const edit = (name: keyof CheckoutFields, value: string) => {
    setFields({ ...fields, [name]: value });
    if (errors[name]) setErrors({ ...errors, [name]: undefined });
    setOptions(null); // the address decides the delivery options: choose again
    setOptionId('');
  };

  const saveAddress = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    const found = validateCheckout(
      fields,
      countries.map((c) => c.iso_2),
    );
    setErrors(found);
    if (Object.keys(found).length > 0) {
      document.getElementById(`field-${Object.keys(found)[0]}`)?.focus();
      return;
    }
    setBusy('address');
    try {
      setCart(await api.setContact(cart.id, fields.email.trim(), toAddress(fields)));
      const [shipping, payment] = await Promise.all([
        api.shippingOptions(cart.id),
        api.paymentProviders(region.id),
      ]);
      setOptions(shipping);
      setProviders(payment.map((p) => p.id));
      setProviderId(payment.length === 1 ? payment[0]!.id : '');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy('');
    }
  };

  const chooseShipping = async (id: string) => {
    setOptionId(id);
    setError('');
    setBusy('shipping');
    try {
      setCart(await api.setShipping(cart.id, id));
    } catch (err) {
      setOptionId('');
      setError(errorText(err));
    } finally {
      setBusy('');
    }
  };

  const placeOrder = async () => {
    setError('');
    if (!optionId) return setError('Choose a delivery option.');
    if (!providerId) return setError('Choose a payment method.');
    setBusy('order');
    try {
      await api.startPayment(cart.id, providerId);
      const order = await api.complete(cart.id);
      rememberOrder(order);
      setCart(null);
      navigate(`/orders/${order.id}`);
    } catch (err) {
      setError(errorText(err));
      setBusy('');
    }
  };

  return (
    <section className="checkout">
      <h1>Checkout</h1>
      <div className="checkout-grid">
        <div>
          <form onSubmit={saveAddress} noValidate aria-labelledby="contact-heading" className="panel">
            <h2 id="contact-heading">1. Contact and delivery address</h2>
            <Field
              label="Email"
              name="email"
              type="email"
              autoComplete="email"
              value={fields.email}
              error={errors.email}
              onChange={(e) => edit('email', e.target.value)}
            />
            <div className="row">
              <Field
                label="First name"
                name="first_name"
                autoComplete="given-name"
                value={fields.first_name}
                error={errors.first_name}
                onChange={(e) => edit('first_name', e.target.value)}
              />
              <Field
                label="Last name"
                name="last_name"
                autoComplete="family-name"
                value={fields.last_name}
                error={errors.last_name}
                onChange={(e) => edit('last_name', e.target.value)}
              />
            </div>
            <Field
              label="Street address"
              name="address_1"
              autoComplete="address-line1"
              value={fields.address_1}
              error={errors.address_1}
              onChange={(e) => edit('address_1', e.target.value)}
            />
            <div className="row">
              <Field
                label="City"
                name="city"
                autoComplete="address-level2"
                value={fields.city}
                error={errors.city}
                onChange={(e) => edit('city', e.target.value)}
              />
              <Field
                label="Postal code"
                name="postal_code"
                autoComplete="postal-code"
                value={fields.postal_code}
                error={errors.postal_code}
                onChange={(e) => edit('postal_code', e.target.value)}
              />
            </div>
            <div className={`field${errors.country_code ? ' invalid' : ''}`}>
              <label htmlFor="field-country_code">Country</label>
              <select
                id="field-country_code"
                name="country_code"
                autoComplete="country"
                value={fields.country_code}
                aria-invalid={!!errors.country_code}
                aria-describedby={errors.country_code ? 'field-country_code-error' : undefined}
                onChange={(e) => edit('country_code', e.target.value)}
              >
                <option value="">Choose…</option>
                {countries.map((c) => (
                  <option key={c.iso_2} value={c.iso_2}>
                    {c.display_name ?? c.name ?? c.iso_2.toUpperCase()}
                  </option>
                ))}
              </select>
              {errors.country_code && (
                <p className="field-error" id="field-country_code-error">
                  {errors.country_code}
                </p>
              )}
            </div>
            {!options && (
              <button className="button primary" type="submit" disabled={busy === 'address'}>
                {busy === 'address' ? 'Saving…' : 'Continue to delivery'}
              </button>
            )}
          </form>

          {options && (
            <fieldset className="panel" disabled={busy === 'order'}>
              <legend>
                <h2>2. Delivery</h2>
              </legend>
              {options.length === 0 && <Notice kind="error">We cannot deliver to this address yet.</Notice>}
              {options.map((o) => (
                <label key={o.id} className="option">
                  <input
                    type="radio"
                    name="shipping"
                    value={o.id}
                    checked={optionId === o.id}
                    onChange={() => chooseShipping(o.id)}
                  />
                  <span>{o.name}</span>
                  <span className="price">
                    {formatMoney(
                      o.calculated_price?.calculated_amount ?? o.amount ?? null,
                      cart.currency_code,
                    )}
                  </span>
                </label>
              ))}
            </fieldset>
          )}

          {options && (
            <fieldset className="panel" disabled={busy === 'order'}>
              <legend>
                <h2>3. Payment</h2>
              </legend>
              {providers.map((id) => (
                <label key={id} className="option">
                  <input
                    type="radio"
                    name="payment"
                    value={id}
                    checked={providerId === id}
                    onChange={() => setProviderId(id)}
                  />
                  <span>{providerLabels[id] ?? id}</span>
                </label>
              ))}
              <button
                className="button primary wide"
                type="button"
                onClick={placeOrder}
                disabled={busy !== ''}
              >
                {busy === 'order'
                  ? 'Placing your order…'
                  : `Place order · ${formatMoney(cart.total, cart.currency_code)}`}
              </button>
            </fieldset>
          )}
          {error && (
            <Notice kind="error" title="Something went wrong">
              {error}
            </Notice>
          )}
        </div>
        <aside className="panel summary" aria-label="Order summary">
          <h2>Summary</h2>
          <ul className="mini-lines">
            {(cart.items ?? []).map((i) => (
              <li key={i.id}>
                <span>
                  {i.quantity} × {i.product_title ?? i.title} <small>{i.variant_title}</small>
                </span>
                <span>{formatMoney(i.unit_price * i.quantity, cart.currency_code)}</span>
              </li>
            ))}
          </ul>
          <Totals of={cart} />
        </aside>
      </div>
    </section>
  );
}

import { useEffect, useState } from 'react';
import { errorText, Loading, Notice } from '../components/Status.tsx';
import { formatMoney } from '../lib/money.ts';
import { Link } from '../lib/router.tsx';
import { useStore } from '../lib/store-context.tsx';
import type { Product } from '../lib/types.ts';
import { findVariant, initialSelection, inStock, type Selection } from '../lib/variants.ts';

export function ProductPage({ handle }: { handle: string }) {
  const { api, region, ensureCart, setCart } = useStore();
  const [product, setProduct] = useState<Product | null | undefined>(undefined);
  const [loadError, setLoadError] = useState('');
  const [selection, setSelection] = useState<Selection>({});
  const [quantity, setQuantity] = useState(1);
  const [adding, setAdding] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    api.product(handle, region.id).then(
      (p) => {
        setProduct(p);
        if (p) setSelection(initialSelection(p));
      },
      (err: unknown) => setLoadError(errorText(err)),
    );
  }, [api, handle, region.id]);

  if (loadError)
    return (
      <Notice kind="error" title="This product could not be loaded">
        {loadError}
      </Notice>
    );
  if (product === undefined) return <Loading label="Loading product…" />;
  if (product === null) {
    return (
      <Notice kind="info" title="Product not found">
        It may have been removed. <Link href="/">Back to the shop</Link>
      </Notice>
    );
  }

  const variant = findVariant(product, selection);
  const price = variant?.calculated_price?.calculated_amount ?? null;
  const available = !!variant && price !== null && inStock(variant);

  const add = async () => {
    if (!variant) return;
    setAdding(true);
    setResult(null);
    try {
      const cart = await ensureCart();
      setCart(await api.addItem(cart.id, variant.id, quantity));
      setResult({ ok: true, text: `Added ${quantity} × ${product.title} (${variant.title}) to your cart.` });
    } catch (err) {
      setResult({ ok: false, text: errorText(err) });
    } finally {
      setAdding(false);
    }
  };

  return (
    <article className="product">
      <img
        className="product-image"
        src={product.thumbnail ?? product.images?.[0]?.url ?? '/favicon.svg'}
        alt={product.title}
        width={400}
        height={400}
      />
      <div className="product-info">
        <p className="crumbs">
          <Link href="/">Shop</Link> / {product.title}
        </p>
        <h1>{product.title}</h1>
        <p className="price large" aria-live="polite">
          {price === null ? 'Choose an option' : formatMoney(price, region.currency_code)}
        </p>
        {product.description && <p className="description">{product.description}</p>}
        {(product.options ?? []).map((option) => (
          <fieldset key={option.id} className="choices">
            <legend>{option.title}</legend>
            {(option.values ?? []).map(({ value }) => (
              <label key={value} className="chip">
                <input
                  type="radio"
                  name={option.id}
                  value={value}
                  checked={selection[option.id] === value}
                  onChange={() => setSelection({ ...selection, [option.id]: value })}
                />
                <span>{value}</span>
              </label>
            ))}
          </fieldset>
        ))}
        <div className="buy-row">
          <label className="field small">
            <span>Quantity</span>
            <input
              type="number"
              min={1}
              max={99}
              value={quantity}
              onChange={(e) => setQuantity(Math.max(1, Math.min(99, Number(e.target.value) || 1)))}
            />
          </label>
          <button className="button primary" onClick={add} disabled={!available || adding}>
            {adding ? 'Adding…' : available ? 'Add to cart' : variant ? 'Out of stock' : 'Unavailable'}
          </button>
        </div>
        {result &&
          (result.ok ? (
            <Notice kind="info">
              {result.text} <Link href="/cart">View cart</Link>
            </Notice>
          ) : (
            <Notice kind="error" title="Could not add to cart">
              {result.text}
            </Notice>
          ))}
      </div>
    </article>
  );
}

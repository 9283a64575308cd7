import { useEffect, useState } from 'react';
import { errorText, Loading, Notice } from '../components/Status.tsx';
import { formatMoney } from '../lib/money.ts';
import { Link } from '../lib/router.tsx';
import { useStore } from '../lib/store-context.tsx';
import type { Product } from '../lib/types.ts';
import { lowestPrice } from '../lib/variants.ts';

export function ProductsPage() {
  const { api, region, config } = useStore();
  const [state, setState] = useState<{ products?: Product[]; error?: string }>({});
  useEffect(() => {
    api.products(region.id).then(
      (products) => setState({ products }),
      (err: unknown) => setState({ error: errorText(err) }),
    );
  }, [api, region.id]);

  if (state.error)
    return (
      <Notice kind="error" title="Products could not be loaded">
        {state.error}
      </Notice>
    );
  if (!state.products) return <Loading label="Loading products…" />;
  return (
    <>
      <section className="hero">
        <h1>{config.storeName}</h1>
        <p>Good things, shipped to your door.</p>
      </section>
      {state.products.length === 0 ? (
        <Notice kind="info">No products yet. Check back soon.</Notice>
      ) : (
        <ul className="product-grid" aria-label="Products">
          {state.products.map((p) => {
            const from = lowestPrice(p);
            return (
              <li key={p.id} className="product-card">
                <Link href={`/products/${encodeURIComponent(p.handle)}`}>
                  <img
                    src={p.thumbnail ?? p.images?.[0]?.url ?? '/favicon.svg'}
                    alt=""
                    width={400}
                    height={400}
                  />
                  <h2>{p.title}</h2>
                  <p className="price">
                    {from === null ? 'Unavailable' : `From ${formatMoney(from, region.currency_code)}`}
                  </p>
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}

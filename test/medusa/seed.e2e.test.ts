import { describe, expect, inject, it } from 'vitest';

const medusa = inject('medusa');

describe('seed (run twice by the global setup against a fresh database)', () => {
  it('made a sellable store on the first run', () => {
    expect(medusa.seed.first.summary).toMatch(/^\d+ changes: /);
    for (const part of [
      'region Storeplane USD',
      'shipping option Standard Shipping',
      'products storeplane-tee',
      'admin user admin@example.com',
    ]) {
      expect(medusa.seed.first.summary).toContain(part);
    }
  });

  it('changed nothing on the second run and did not fail', () => {
    expect(medusa.seed.second).toEqual({ exitCode: 0, summary: 'nothing to change' });
    expect(medusa.seed.after).toEqual(medusa.seed.before);
    // The fingerprint really covers the seeded rows: four products, twelve variants, one admin.
    expect(medusa.seed.before.product).toMatch(/^4\|/);
    expect(medusa.seed.before.product_variant).toMatch(/^12\|/);
    expect(medusa.seed.before.user).toMatch(/^1\|/);
  });

  it('serves the publishable key and store settings at /storeplane/config', async () => {
    const res = await fetch(`${medusa.backendUrl}/storeplane/config`);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const config = (await res.json()) as Record<string, string>;
    expect(config).toEqual({
      publishableKey: expect.stringMatching(/^pk_[0-9a-f]{64}$/),
      storeName: 'Harbor & Co.',
      currency: 'usd',
    });
  });

  it('lists the seeded products, priced, through the Store API with that key', async () => {
    const { publishableKey } = (await (await fetch(`${medusa.backendUrl}/storeplane/config`)).json()) as {
      publishableKey: string;
    };
    const headers = { 'x-publishable-api-key': publishableKey };
    const { regions } = (await (await fetch(`${medusa.backendUrl}/store/regions`, { headers })).json()) as {
      regions: { id: string; currency_code: string }[];
    };
    expect(regions.map((r) => r.currency_code)).toEqual(['usd']);
    const res = await fetch(
      `${medusa.backendUrl}/store/products?region_id=${regions[0]!.id}&fields=handle,*variants.calculated_price`,
      { headers },
    );
    const { products } = (await res.json()) as {
      products: { handle: string; variants: { calculated_price: { calculated_amount: number } }[] }[];
    };
    expect(products.map((p) => p.handle).sort()).toEqual([
      'storeplane-hoodie',
      'storeplane-mug',
      'storeplane-tee',
      'storeplane-tote',
    ]);
    for (const p of products)
      for (const v of p.variants) expect(v.calculated_price.calculated_amount).toBeGreaterThan(0);
  });
});

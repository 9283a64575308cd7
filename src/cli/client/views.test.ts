import { describe, expect, it } from 'vitest';
import type { StoreDetail, StoreSummary } from '../../api/client/client.ts';
import { readyLine } from './progress.ts';
import { type ClusterInfo, describeStore, unservedNote } from './views.ts';

const simulated: ClusterInfo = { kind: 'simulated', realNode: false };
const withRealNode: ClusterInfo = { kind: 'simulated', realNode: true };
const real: ClusterInfo = { kind: 'kubernetes', realNode: false };

describe('unservedNote: whether a store’s links answer where the platform runs', () => {
  const cases: [string, ClusterInfo | undefined, string, RegExp | undefined][] = [
    ['a real cluster, WooCommerce', real, 'woocommerce', undefined],
    ['a real cluster, MedusaJS', real, 'medusa', undefined],
    ['the API cannot say', undefined, 'woocommerce', undefined],
    ['simulated, no real node, MedusaJS', simulated, 'medusa', /pods do not run/],
    ['simulated, no real node, WooCommerce', simulated, 'woocommerce', /pods do not run/],
    ['simulated with a real node, MedusaJS (it runs there)', withRealNode, 'medusa', undefined],
    ['simulated with a real node, WooCommerce', withRealNode, 'woocommerce', /only MedusaJS stores run/],
  ];
  it.each(cases)('%s', (_, cluster, engine, want) => {
    const note = unservedNote(cluster, engine);
    if (want) expect(note).toMatch(want);
    else expect(note).toBeUndefined();
  });
});

const summary = {
  name: 'shop',
  engine: 'woocommerce',
  phase: 'Ready',
  url: 'http://shop.127.0.0.1.nip.io',
  adminUrl: 'http://shop.127.0.0.1.nip.io/wp-admin/',
  provisioningSeconds: 2.4,
} as StoreSummary;

describe('the links printed at Ready and by stores get', () => {
  it('carry the note on the simulated cluster, and none on a real one', () => {
    expect(readyLine(summary, simulated)).toBe(
      'shop is Ready (2.4s from creation).\n' +
        '  Storefront: http://shop.127.0.0.1.nip.io\n' +
        '  Admin:      http://shop.127.0.0.1.nip.io/wp-admin/\n' +
        '  These links answer on a real cluster. On the local simulated cluster this store’s pods do not run.\n',
    );
    expect(readyLine(summary, real)).not.toMatch(/These links/);
    expect(readyLine({ ...summary, url: undefined, adminUrl: undefined }, simulated)).toBe(
      'shop is Ready (2.4s from creation).\n',
    );
  });

  it('stores get puts the note under the admin URL', () => {
    const detail = {
      ...summary,
      displayName: 'Shop',
      plan: 'small',
      owner: 'ana',
      namespace: 'store-shop',
      createdAt: '2026-12-07T00:00:00Z',
      pipeline: [],
      activity: [],
    } as unknown as StoreDetail;
    const lines = describeStore(detail, Date.parse('2026-12-07T00:01:00Z'), simulated).split('\n');
    const admin = lines.findIndex((l) => l.startsWith('Admin URL:'));
    expect(lines[admin + 1]).toBe(
      `${' '.repeat(14)}These links answer on a real cluster. On the local simulated cluster this store’s pods do not run.`,
    );
    expect(lines[admin + 2]).toMatch(/^Namespace:\s+store-shop$/);
    expect(describeStore(detail, Date.now(), real)).not.toMatch(/These links/);
  });
});

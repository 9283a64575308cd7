import { describe, expect, it } from 'vitest';
import type { Store } from '../../store/schema.ts';
import { countStores, quotaRefusal } from './quotas.ts';

const limits = { storeLimit: 5, globalStoreCap: 10, provisioningPerUser: 2 };

const store = (owner: string, phase?: string, deleting = false): Store =>
  ({
    apiVersion: 'storeplane.dev/v1alpha1',
    kind: 'Store',
    metadata: {
      name: `s-${Math.random().toString(36).slice(2, 8)}`,
      ...(deleting ? { deletionTimestamp: 'x' } : {}),
    },
    spec: { engine: 'medusa', displayName: 'S', owner, plan: 'small' },
    ...(phase ? { status: { phase } } : {}),
  }) as Store;

describe('countStores', () => {
  it('counts owned (deleting ones too), busy (not Ready/Failed, not deleting) and total', () => {
    const stores = [
      store('ann', 'Ready'),
      store('ann'),
      store('ann', 'Provisioning'),
      store('ann', 'Pending', true),
      store('ann', 'Failed'),
      store('bob', 'Provisioning'),
    ];
    expect(countStores(stores, 'ann')).toEqual({ owned: 5, provisioning: 2, total: 6 });
  });
});

describe('quotaRefusal', () => {
  it.each([
    ['room everywhere', { owned: 1, provisioning: 0, total: 3 }, null, undefined],
    ['at the user limit', { owned: 5, provisioning: 0, total: 5 }, null, 'store_limit_reached'],
    ['a per-user override above the default', { owned: 5, provisioning: 0, total: 5 }, 8, undefined],
    ['a per-user override of zero', { owned: 0, provisioning: 0, total: 0 }, 0, 'store_limit_reached'],
    ['platform full', { owned: 1, provisioning: 0, total: 10 }, null, 'platform_full'],
    ['too many provisioning', { owned: 2, provisioning: 2, total: 4 }, null, 'too_many_provisioning'],
    [
      'the user limit is named before the platform’s',
      { owned: 5, provisioning: 2, total: 10 },
      null,
      'store_limit_reached',
    ],
  ] as const)('%s', (_, counts, userLimit, code) => {
    const refusal = quotaRefusal(counts, limits, userLimit);
    expect(refusal?.code).toBe(code);
    if (refusal) {
      expect(refusal.message).toMatch(/\.$/);
      expect(refusal.details).toHaveProperty('limit');
      expect([403, 429, 503]).toContain(refusal.statusCode);
      if (refusal.statusCode !== 403) expect(Number(refusal.headers?.['retry-after'])).toBeGreaterThan(0);
    }
  });
});

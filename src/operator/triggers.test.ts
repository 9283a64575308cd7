import { describe, expect, it } from 'vitest';
import type { Store } from '../store/schema.ts';
import { StoreChangeFilter } from './triggers.ts';

const store = (patch: Partial<Store['metadata']> = {}, status: Store['status'] = {}): Store => ({
  apiVersion: 'storeplane.dev/v1alpha1',
  kind: 'Store',
  metadata: {
    name: 'shop',
    generation: 1,
    resourceVersion: '1',
    finalizers: ['storeplane.dev/finalizer'],
    ...patch,
  },
  spec: { engine: 'medusa', displayName: 'Shop', owner: 'alice', plan: 'small' },
  status,
});

// Fault 8: the operator's own status writes woke the store at once, bypassing backoff.
describe('StoreChangeFilter', () => {
  const cases: { name: string; next: Store; wakes: boolean }[] = [
    {
      name: 'our status write',
      next: store({ resourceVersion: '2' }, { phase: 'Failed', failures: 1 }),
      wakes: false,
    },
    {
      name: 'a label added by someone',
      next: store({ resourceVersion: '2', labels: { team: 'a' } }),
      wakes: false,
    },
    {
      name: 'a new generation (spec change)',
      next: store({ resourceVersion: '2', generation: 2 }),
      wakes: true,
    },
    {
      name: 'a retry request',
      next: store({ resourceVersion: '2', annotations: { 'storeplane.dev/requested-at': 'now' } }),
      wakes: true,
    },
    {
      name: 'deletion',
      next: store({ resourceVersion: '2', deletionTimestamp: '2026-11-29T00:00:00Z' }),
      wakes: true,
    },
    { name: 'finalizers changed', next: store({ resourceVersion: '2', finalizers: [] }), wakes: true },
  ];
  for (const tc of cases) {
    it(`${tc.wakes ? 'wakes on' : 'ignores'} ${tc.name}`, () => {
      const f = new StoreChangeFilter();
      f.added(store());
      expect(f.updated(tc.next)).toBe(tc.wakes);
      expect(f.updated(tc.next)).toBe(false);
    });
  }
  it('forgets deleted stores', () => {
    const f = new StoreChangeFilter();
    f.added(store());
    f.deleted(store());
    expect(f.size()).toBe(0);
  });
});

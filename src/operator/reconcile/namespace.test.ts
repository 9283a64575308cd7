import { describe, expect, it } from 'vitest';
import type { RawObject } from '../../kube/raw.ts';
import type { Store } from '../../store/schema.ts';
import { type Ownership, ownershipOf } from './namespace.ts';

const store: Store = {
  apiVersion: 'storeplane.dev/v1alpha1',
  kind: 'Store',
  metadata: { name: 'shop', uid: 'uid-new' },
  spec: { engine: 'medusa', displayName: 'Shop', owner: 'alice', plan: 'small' },
};
const ns = (
  owners: { name?: string; uid: string; kind?: string }[],
  labels: Record<string, string> = {},
): RawObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: {
    name: 'store-shop',
    labels,
    ownerReferences: owners.map((o) => ({
      apiVersion: 'storeplane.dev/v1alpha1',
      kind: o.kind ?? 'Store',
      name: o.name ?? 'shop',
      uid: o.uid,
    })),
  },
});
const ourLabels = { 'app.kubernetes.io/managed-by': 'storeplane', 'storeplane.dev/store': 'shop' };

// Fault 10: ownership was a label anyone can set.
describe('ownershipOf', () => {
  const cases: { name: string; ns: RawObject; want: Ownership }[] = [
    { name: "owned by this Store's UID", ns: ns([{ uid: 'uid-new' }]), want: 'ours' },
    {
      name: 'owned by an earlier Store of this name (deleted): wait for it to go',
      ns: ns([{ uid: 'uid-old' }], ourLabels),
      want: 'earlier-store',
    },
    {
      name: 'labelled like ours but owned by another kind of thing',
      ns: ns([{ uid: 'x', kind: 'Tenant' }], ourLabels),
      want: 'foreign',
    },
    {
      name: 'owned by a Store of another name',
      ns: ns([{ uid: 'x', name: 'other' }], ourLabels),
      want: 'foreign',
    },
    {
      name: 'our labels and no owner: made by an earlier operator version',
      ns: ns([], ourLabels),
      want: 'adoptable',
    },
    { name: 'a namespace someone made', ns: ns([]), want: 'foreign' },
    {
      name: 'labels for another store',
      ns: ns([], { ...ourLabels, 'storeplane.dev/store': 'other' }),
      want: 'foreign',
    },
  ];
  for (const tc of cases) it(tc.name, () => expect(ownershipOf(tc.ns, store)).toBe(tc.want));
});

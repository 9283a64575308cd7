import { describe, expect, it } from 'vitest';
import {
  applyOwner,
  compareObject,
  defaultForeignManagers,
  differingPaths,
  foreignWriters,
  mergeFieldSets,
  takeoverPatch,
} from './drift.ts';
import type { ManagedFieldsEntry, RawObject } from './raw.ts';

const entry = (
  manager: string,
  operation: 'Apply' | 'Update',
  fieldsV1: Record<string, unknown>,
  subresource?: string,
): ManagedFieldsEntry => ({
  manager,
  operation,
  apiVersion: 'networking.k8s.io/v1',
  fieldsType: 'FieldsV1',
  fieldsV1,
  ...(subresource ? { subresource } : {}),
});
const policy = (
  spec: Record<string, unknown>,
  managedFields: ManagedFieldsEntry[] = [],
  labels = { a: '1' },
): RawObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'default-deny', namespace: 'store-x', labels, resourceVersion: '7', managedFields },
  spec,
});
const denyAll = { podSelector: {}, policyTypes: ['Ingress', 'Egress'] };
const ours = entry('storeplane', 'Apply', { 'f:spec': { 'f:podSelector': {}, 'f:policyTypes': {} } });

describe('compareObject (what the API server answered vs what is live)', () => {
  const cases: { name: string; live?: RawObject; dryRun?: RawObject; kind?: string; detail?: RegExp }[] = [
    { name: 'gone', kind: 'missing', detail: /NetworkPolicy default-deny was deleted/ },
    { name: 'identical', live: policy(denyAll, [ours]), dryRun: policy(denyAll, [ours]) },
    {
      name: 'only bookkeeping differs (resourceVersion, managedFields, status)',
      live: { ...policy(denyAll, [ours]), status: { x: 1 } },
      dryRun: { ...policy(denyAll, []), metadata: { ...policy(denyAll).metadata, resourceVersion: '8' } },
    },
    {
      name: 'a field we own was changed',
      live: policy({ podSelector: {}, policyTypes: ['Egress'] }, [ours]),
      dryRun: policy(denyAll, [ours]),
      kind: 'changed',
      detail: /was changed \(spec\.policyTypes\)/,
    },
    {
      name: 'a label we own was changed',
      live: policy(denyAll, [ours], { a: '2' }),
      dryRun: policy(denyAll, [ours], { a: '1' }),
      kind: 'changed',
      detail: /metadata\.labels\.a/,
    },
    {
      // The fault: a field added by another writer is invisible to the dry-run comparison.
      name: 'widened by kubectl patch: the dry run keeps the added rule, the writer gives it away',
      live: policy({ ...denyAll, ingress: [{}] }, [
        ours,
        entry('kubectl-patch', 'Update', { 'f:spec': { 'f:ingress': {} } }),
      ]),
      dryRun: policy({ ...denyAll, ingress: [{}] }, [ours]),
      kind: 'foreign',
      detail: /was changed by kubectl-patch/,
    },
    {
      name: 'kubectl rollout restart is an operation, not drift',
      live: policy(denyAll, [ours, entry('kubectl-rollout', 'Update', { 'f:spec': {} })]),
      dryRun: policy(denyAll, [ours]),
    },
    {
      name: 'a controller writing status is not drift',
      live: policy(denyAll, [ours, entry('kubectl-edit', 'Update', { 'f:status': {} }, 'status')]),
      dryRun: policy(denyAll, [ours]),
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const d = compareObject(policy(denyAll), tc.live, tc.dryRun ?? tc.live, defaultForeignManagers);
      if (!tc.kind) expect(d).toBeUndefined();
      else {
        expect(d?.kind).toBe(tc.kind);
        expect(d?.detail).toMatch(tc.detail ?? /./);
      }
    });
  }
});

describe('foreign writers', () => {
  it('are kubectl and client-side apply leftovers, never controllers or ourselves', () => {
    const live = policy(denyAll, [
      ours,
      entry('helm', 'Apply', {}),
      entry('kube-controller-manager', 'Update', {}),
      entry('kubectl-client-side-apply', 'Update', {}),
      entry('kubectl', 'Apply', {}),
      entry('before-first-apply', 'Update', {}),
      entry('kubectl-rollout', 'Update', {}),
    ]);
    expect(foreignWriters(live, defaultForeignManagers).map((e) => e.manager)).toEqual([
      'kubectl-client-side-apply',
      'kubectl',
      'before-first-apply',
    ]);
    expect(applyOwner(live, ['storeplane'], defaultForeignManagers)).toBe('helm');
  });
});

describe('takeoverPatch', () => {
  it("merges the foreign writers' fields into the owner's Apply entry, guarded by the resourceVersion", () => {
    const patchEntry = entry('kubectl-patch', 'Update', { 'f:spec': { 'f:ingress': {} } });
    const other = entry('kube-controller-manager', 'Update', { 'f:metadata': {} });
    const live = policy({ ...denyAll, ingress: [{}] }, [ours, patchEntry, other]);
    const ops = takeoverPatch(live, [patchEntry], 'storeplane') as {
      op: string;
      path: string;
      value: ManagedFieldsEntry[] | string;
    }[];
    expect(ops[0]).toEqual({ op: 'test', path: '/metadata/resourceVersion', value: '7' });
    expect(ops[1]?.op).toBe('replace');
    const entries = ops[1]?.value as ManagedFieldsEntry[];
    expect(entries.map((e) => e.manager)).toEqual(['kube-controller-manager', 'storeplane']);
    expect(entries[1]).toMatchObject({
      operation: 'Apply',
      fieldsV1: { 'f:spec': { 'f:podSelector': {}, 'f:policyTypes': {}, 'f:ingress': {} } },
    });
  });

  it('renames the writer to the owner when the owner has no entry yet', () => {
    const patchEntry = entry('kubectl-edit', 'Update', { 'f:spec': { 'f:x': {} } });
    const ops = takeoverPatch(policy(denyAll, [patchEntry]), [patchEntry], 'helm') as {
      value: ManagedFieldsEntry[];
    }[];
    expect(ops[1]?.value).toEqual([
      expect.objectContaining({ manager: 'helm', operation: 'Apply', fieldsV1: { 'f:spec': { 'f:x': {} } } }),
    ]);
  });
});

describe('mergeFieldSets and differingPaths', () => {
  it('unions field tries', () => {
    expect(mergeFieldSets({ 'f:a': { 'f:b': {} } }, { 'f:a': { 'f:c': {} }, 'f:d': {} })).toEqual({
      'f:a': { 'f:b': {}, 'f:c': {} },
      'f:d': {},
    });
  });
  it('names where two objects differ', () => {
    expect(differingPaths({ a: 1, b: { c: 2 } }, { a: 1, b: { c: 3 }, d: 4 })).toEqual(['b.c', 'd (added)']);
    expect(differingPaths({ x: [1] }, { x: [2] })).toEqual(['x']);
  });
});

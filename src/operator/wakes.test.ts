import { describe, expect, it } from 'vitest';
import type { RawObject } from '../kube/raw.ts';
import { WakeFilter, type WakingKind } from './wakes.ts';

// What a metadata-only watch delivers: the kind is PartialObjectMetadata whatever was watched.
const meta = (m: NonNullable<RawObject['metadata']>): RawObject => ({
  apiVersion: 'meta.k8s.io/v1',
  kind: 'PartialObjectMetadata',
  metadata: m,
});
const cronOwned = (uid: string) =>
  meta({
    name: `wp-cron-${uid}`,
    namespace: 'store-shop',
    uid,
    ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'wp-cron', uid: 'cj' }],
  });
const podOf = (jobUid: string) =>
  meta({
    name: `pod-of-${jobUid}`,
    namespace: 'store-shop',
    ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: `job-${jobUid}`, uid: jobUid }],
  });

describe('WakeFilter.decide', () => {
  const cases: [string, WakingKind, RawObject, ReturnType<WakeFilter['decide']>][] = [
    [
      'a store namespace (by its name, not its kind)',
      'Namespace',
      meta({ name: 'store-shop' }),
      { store: 'shop' },
    ],
    [
      'a namespace that is not a store',
      'Namespace',
      meta({ name: 'kube-system' }),
      { ignored: 'not-a-store' },
    ],
    [
      'a pod in a store namespace',
      'Pod',
      meta({ name: 'web-1', namespace: 'store-shop' }),
      { store: 'shop' },
    ],
    ['a pod elsewhere', 'Pod', meta({ name: 'x', namespace: 'default' }), { ignored: 'not-a-store' }],
    ['a Deployment', 'Deployment', meta({ name: 'web', namespace: 'store-shop' }), { store: 'shop' }],
    ['a claim', 'PersistentVolumeClaim', meta({ name: 'data', namespace: 'store-shop' }), { store: 'shop' }],
    [
      'the setup Job (owned by nothing: a Helm hook)',
      'Job',
      meta({ name: 'setup', namespace: 'store-shop', uid: 's' }),
      { store: 'shop' },
    ],
    ['a run of a CronJob', 'Job', cronOwned('run-1'), { ignored: 'scheduled-run' }],
    ['a pod of an unknown Job', 'Pod', podOf('setup-uid'), { store: 'shop' }],
  ];
  it.each(cases)('%s', (_what, kind, obj, want) => {
    expect(new WakeFilter().decide(kind, 'MODIFIED', obj)).toEqual(want);
  });

  it('ignores the pods of a scheduled run, and wakes for the pods of other Jobs', () => {
    const f = new WakeFilter();
    f.decide('Job', 'ADDED', cronOwned('run-1'));
    expect(f.decide('Pod', 'ADDED', podOf('run-1'))).toEqual({ ignored: 'scheduled-run' });
    expect(f.decide('Pod', 'ADDED', podOf('setup-uid'))).toEqual({ store: 'shop' });
  });

  it('still knows a deleted run while its pods go, and forgets it after keepMs', () => {
    let now = 0;
    const f = new WakeFilter(() => now, 1000);
    f.decide('Job', 'ADDED', cronOwned('run-1'));
    f.decide('Job', 'DELETED', cronOwned('run-1'));
    now = 900;
    expect(f.decide('Pod', 'DELETED', podOf('run-1'))).toEqual({ ignored: 'scheduled-run' });
    now = 1500;
    f.decide('Job', 'DELETED', cronOwned('run-2')); // any later deletion prunes
    expect(f.size()).toBe(1);
    expect(f.decide('Pod', 'DELETED', podOf('run-1'))).toEqual({ store: 'shop' });
  });
});

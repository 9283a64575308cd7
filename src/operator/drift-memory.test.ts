import { describe, expect, it } from 'vitest';
import type { RawObject } from '../kube/raw.ts';
import { DriftMemory } from './drift-memory.ts';

const desired = (cpu = '1'): RawObject => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name: 'q', namespace: 'store-x' },
  spec: { hard: { 'requests.cpu': cpu } },
});

/** The live quota as the API server returns it: written by us, its usage by the controller. */
const live = (
  o: { rv?: string; cpu?: string; used?: string; time?: string; extra?: object } = {},
): RawObject => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: {
    name: 'q',
    namespace: 'store-x',
    resourceVersion: o.rv ?? '5',
    labels: { 'app.kubernetes.io/managed-by': 'storeplane' },
    managedFields: [
      {
        manager: 'storeplane',
        operation: 'Apply',
        apiVersion: 'v1',
        time: '2026-12-07T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { 'f:hard': { 'f:requests.cpu': {} } } },
      },
      {
        manager: 'kube-controller-manager',
        operation: 'Update',
        apiVersion: 'v1',
        time: o.time ?? '2026-12-07T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:status': { 'f:used': {} } },
        subresource: 'status',
      },
    ],
    ...o.extra,
  },
  spec: { hard: { 'requests.cpu': o.cpu ?? '1' } },
  status: { used: { 'requests.cpu': o.used ?? '100m' } },
});

describe('DriftMemory', () => {
  it('skips the dry run while only status, the resourceVersion or a writer’s time changed', () => {
    const m = new DriftMemory();
    m.clean('uid', desired(), live());
    expect(m.unchanged('uid', desired(), live())).toBe(true);
    // A WP-Cron run's pod changed the quota's usage: a new resourceVersion, the same quota.
    expect(m.unchanged('uid', desired(), live({ rv: '9', used: '350m', time: '2026-12-07T00:05:00Z' }))).toBe(
      true,
    );
  });

  const looksAgain: [string, RawObject, RawObject][] = [
    ['the spec was changed', desired(), live({ rv: '6', cpu: '4' })],
    ['a label was added', desired(), live({ rv: '6', extra: { labels: { x: 'y' } } })],
    ['an annotation was added', desired(), live({ rv: '6', extra: { annotations: { x: 'y' } } })],
    [
      'another writer wrote the same value (kubectl apply)',
      desired(),
      (() => {
        const l = live({ rv: '6' });
        l.metadata!.managedFields!.push({
          manager: 'kubectl',
          operation: 'Apply',
          apiVersion: 'v1',
          fieldsV1: { 'f:spec': { 'f:hard': { 'f:requests.cpu': {} } } },
        });
        return l;
      })(),
    ],
    [
      'it is being deleted',
      desired(),
      live({ rv: '6', extra: { deletionTimestamp: '2026-12-07T00:06:00Z' } }),
    ],
    ['we want something else (a plan change)', desired('2'), live()],
  ];
  it.each(looksAgain)('looks again when %s', (_, want, now) => {
    const m = new DriftMemory();
    m.clean('uid', desired(), live());
    expect(m.unchanged('uid', want, now)).toBe(false);
  });

  it('keeps each store apart, forgets an object and a whole store', () => {
    const m = new DriftMemory();
    m.clean('uid', desired(), live());
    expect(m.unchanged('other', desired(), live())).toBe(false);
    m.forgetObject('uid', desired());
    expect(m.unchanged('uid', desired(), live())).toBe(false);
    m.clean('uid', desired(), live());
    m.forget('uid');
    expect(m.size()).toBe(0);
  });
});

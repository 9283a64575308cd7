import { describe, expect, it } from 'vitest';
import { stamped } from './owned.ts';

describe('stamped', () => {
  const quota = (cpu: string) => ({
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'store-quota', namespace: 'store-x', labels: { a: '1' } },
    spec: { hard: { 'requests.cpu': cpu, pods: '12' } },
  });
  const digestOf = (o: ReturnType<typeof stamped>) =>
    o.metadata?.annotations?.['storeplane.dev/desired-digest'];

  it('names what was asked for: the same desire, the same digest, whatever the key order', () => {
    const a = stamped(quota('1'));
    const b = stamped({ ...quota('1'), spec: { hard: { pods: '12', 'requests.cpu': '1' } } });
    expect(digestOf(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(digestOf(a)).toBe(digestOf(b));
  });

  it('a new desire (another plan) has another digest, so applying it is an update, not drift', () => {
    expect(digestOf(stamped(quota('1')))).not.toBe(digestOf(stamped(quota('2'))));
  });

  it('keeps the other annotations and labels', () => {
    const s = stamped({ ...quota('1'), metadata: { ...quota('1').metadata, annotations: { keep: 'me' } } });
    expect(s.metadata?.annotations?.keep).toBe('me');
    expect(s.metadata?.labels).toEqual({ a: '1' });
  });
});

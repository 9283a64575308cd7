import { V1MicroTime, type V1Lease } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { leaseDecision } from './leader.ts';

const now = Date.parse('2025-06-01T12:00:00Z');
const renewedAt = new V1MicroTime('2025-06-01T11:59:50Z');
/** How the elector records a renewTime it saw. */
const seen = new Date(renewedAt).toISOString();

const lease = (holderIdentity: string | undefined, leaseDurationSeconds?: number): V1Lease => ({
  metadata: { name: 'storeplane-operator', namespace: 'storeplane-system' },
  spec: {
    ...(holderIdentity === undefined ? {} : { holderIdentity }),
    ...(leaseDurationSeconds === undefined ? {} : { leaseDurationSeconds }),
    renewTime: renewedAt,
  },
});

describe('leaseDecision', () => {
  const cases: {
    name: string;
    lease: V1Lease | undefined;
    observed?: { holder?: string; renewTime?: string; at: number };
    want: ReturnType<typeof leaseDecision>;
  }[] = [
    { name: 'no lease yet: create it', lease: undefined, want: 'create' },
    { name: 'we hold it: renew', lease: lease('me', 15), want: 'renew' },
    {
      name: 'we hold it even if it looks expired: renew',
      lease: lease('me', 15),
      observed: { holder: 'me', renewTime: seen, at: now - 60_000 },
      want: 'renew',
    },
    { name: 'released (empty holder): take over', lease: lease('', 1), want: 'take-over' },
    { name: 'no holder at all: take over', lease: lease(undefined), want: 'take-over' },
    { name: 'lease without spec: take over', lease: { metadata: { name: 'x' } }, want: 'take-over' },
    { name: 'held by another, first time we see it: wait', lease: lease('other', 15), want: 'wait' },
    {
      name: 'held by another, unchanged for less than its duration: wait',
      lease: lease('other', 15),
      observed: { holder: 'other', renewTime: seen, at: now - 10_000 },
      want: 'wait',
    },
    {
      name: 'held by another, unchanged for exactly its duration: wait',
      lease: lease('other', 15),
      observed: { holder: 'other', renewTime: seen, at: now - 15_000 },
      want: 'wait',
    },
    {
      name: 'held by another, unchanged for longer than its duration: take over',
      lease: lease('other', 15),
      observed: { holder: 'other', renewTime: seen, at: now - 15_001 },
      want: 'take-over',
    },
    {
      name: 'no duration on the lease defaults to 15 s',
      lease: lease('other'),
      observed: { holder: 'other', renewTime: seen, at: now - 16_000 },
      want: 'take-over',
    },
    {
      name: "the holder's own (longer) duration is honoured",
      lease: lease('other', 60),
      observed: { holder: 'other', renewTime: seen, at: now - 30_000 },
      want: 'wait',
    },
    {
      name: 'the holder renewed since we last looked: wait',
      lease: lease('other', 15),
      observed: { holder: 'other', renewTime: '2025-06-01T11:59:00.000Z', at: now - 60_000 },
      want: 'wait',
    },
    {
      name: 'another holder took it since we last looked: wait',
      lease: lease('other', 15),
      observed: { holder: 'third', renewTime: seen, at: now - 60_000 },
      want: 'wait',
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(leaseDecision(tc.lease, 'me', tc.observed, now)).toBe(tc.want);
    });
  }
});

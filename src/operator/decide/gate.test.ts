import { describe, expect, it } from 'vitest';
import type { StoreStatus } from '../../store/schema.ts';
import { gate } from './gate.ts';

const t = '2026-11-29T10:00:00.000Z';
const stalled = {
  type: 'Stalled',
  status: 'True',
  reason: 'RetriesExceeded',
  message: '',
  lastTransitionTime: t,
} as const;
const ready = {
  type: 'Ready',
  status: 'True',
  reason: 'StoreReady',
  message: '',
  lastTransitionTime: t,
} as const;

describe('gate', () => {
  const cases: {
    name: string;
    status: StoreStatus;
    generation?: number;
    requestedAt?: string;
    want: ReturnType<typeof gate>;
  }[] = [
    {
      name: 'a new store starts a provisioning attempt',
      status: {},
      want: { kind: 'proceed', retryRequested: false, start: { kind: 'provision', reason: 'new store' } },
    },
    {
      name: 'an attempt under way for this generation carries on',
      status: { attempt: { kind: 'provision', startedAt: t, generation: 1, reason: 'new store' } },
      want: { kind: 'proceed', retryRequested: false },
    },
    {
      name: 'a spec change during provisioning restarts provisioning (never Ready yet)',
      status: { attempt: { kind: 'provision', startedAt: t, generation: 1, reason: 'new store' } },
      generation: 2,
      want: { kind: 'proceed', retryRequested: false, start: { kind: 'provision', reason: 'new store' } },
    },
    {
      name: 'a spec change of a store that was Ready is an update',
      status: { observedGeneration: 1, readyAt: t, conditions: [ready] },
      generation: 2,
      want: {
        kind: 'proceed',
        retryRequested: false,
        start: { kind: 'update', reason: 'the spec changed (generation 2)' },
      },
    },
    {
      name: 'a Ready store carries on without an attempt (resync, a pod went away)',
      status: { observedGeneration: 1, readyAt: t, conditions: [ready] },
      want: { kind: 'proceed', retryRequested: false },
    },
    {
      name: 'a Stalled store waits for a person',
      status: { observedGeneration: 1, conditions: [stalled] },
      want: { kind: 'wait-for-person' },
    },
    {
      name: 'a Stalled store wakes on a spec change',
      status: { observedGeneration: 1, conditions: [stalled] },
      generation: 2,
      want: { kind: 'proceed', retryRequested: false, start: { kind: 'provision', reason: 'new store' } },
    },
    {
      name: 'a Stalled store wakes on a retry request',
      status: { observedGeneration: 1, conditions: [stalled], lastHandledRequestedAt: 'a' },
      requestedAt: 'b',
      want: { kind: 'proceed', retryRequested: true, start: { kind: 'retry', reason: 'retry requested' } },
    },
    {
      name: 'a retry request already handled is not a new one',
      status: { observedGeneration: 1, conditions: [stalled], lastHandledRequestedAt: 'b' },
      requestedAt: 'b',
      want: { kind: 'wait-for-person' },
    },
    {
      name: 'a retry request on a Ready store starts a retry attempt',
      status: { observedGeneration: 1, readyAt: t, conditions: [ready] },
      requestedAt: 'now',
      want: { kind: 'proceed', retryRequested: true, start: { kind: 'retry', reason: 'retry requested' } },
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(
        gate({ status: tc.status, generation: tc.generation ?? 1, requestedAt: tc.requestedAt }),
      ).toEqual(tc.want);
    });
  }
});

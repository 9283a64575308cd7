import { describe, expect, it } from 'vitest';
import type { Engine, Phase, Store } from '../../store/schema.ts';
import { percentile, platformOverview } from './overview.ts';

const now = new Date('2026-12-06T12:00:00Z');
const ago = (hours: number) => new Date(now.getTime() - hours * 3600_000).toISOString();

let n = 0;
function store(o: {
  engine?: Engine;
  phase?: Phase;
  createdHoursAgo?: number;
  readyAfterSeconds?: number;
  failedHoursAgo?: number;
  reason?: string;
  stalled?: boolean;
  deleting?: boolean;
}): Store {
  const created = ago(o.createdHoursAgo ?? 48);
  return {
    apiVersion: 'storeplane.dev/v1alpha1',
    kind: 'Store',
    metadata: {
      name: `s${++n}`,
      creationTimestamp: created,
      generation: 1,
      ...(o.deleting ? { deletionTimestamp: ago(0) } : {}),
    },
    spec: { engine: o.engine ?? 'medusa', displayName: 'S', owner: 'alice', plan: 'small' },
    status: {
      ...(o.phase ? { phase: o.phase } : {}),
      ...(o.readyAfterSeconds !== undefined
        ? { readyAt: new Date(Date.parse(created) + o.readyAfterSeconds * 1000).toISOString() }
        : {}),
      ...(o.failedHoursAgo !== undefined
        ? {
            lastFailure: {
              reason: o.reason ?? 'QuotaExceeded',
              message: 'm',
              fix: 'raise the plan',
              since: ago(o.failedHoursAgo),
            },
          }
        : {}),
      conditions: o.stalled
        ? [{ type: 'Stalled', status: 'True', reason: 'x', message: 'y', lastTransitionTime: ago(1) }]
        : [],
    },
  } as Store;
}

describe('percentile (nearest rank)', () => {
  it.each([
    [[], 50, undefined],
    [[7], 95, 7],
    [[1, 2, 3, 4], 50, 2],
    [[1, 2, 3, 4], 95, 4],
    [Array.from({ length: 100 }, (_, i) => i + 1), 95, 95],
    [Array.from({ length: 100 }, (_, i) => i + 1), 50, 50],
  ])('%j p%d = %s', (values, p, want) => expect(percentile(values, p)).toBe(want));
});

describe('platformOverview', () => {
  it('an empty platform: zero everywhere, no percentiles', () => {
    const o = platformOverview([], 200, now);
    expect(o.stores).toBe(0);
    expect(o.byPhase).toEqual({ Pending: 0, Provisioning: 0, Ready: 0, Degraded: 0, Failed: 0, Deleting: 0 });
    expect(o.byEngine).toEqual({ woocommerce: 0, medusa: 0 });
    expect(o.cap).toEqual({ used: 0, limit: 200 });
    expect(o.provisioning).toEqual({ count: 0 });
    expect(o.needsAttention).toEqual([]);
  });

  it('counts phases and engines, failures of the last 24 h only, and times to Ready', () => {
    const stores = [
      store({ phase: 'Ready', readyAfterSeconds: 30 }),
      store({ phase: 'Ready', engine: 'woocommerce', readyAfterSeconds: 90 }),
      store({ phase: 'Ready', readyAfterSeconds: 60, failedHoursAgo: 30, reason: 'Old' }),
      store({ phase: 'Failed', failedHoursAgo: 2, reason: 'QuotaExceeded' }),
      store({
        phase: 'Failed',
        engine: 'woocommerce',
        failedHoursAgo: 1,
        reason: 'QuotaExceeded',
        stalled: true,
      }),
      store({ phase: 'Degraded', readyAfterSeconds: 45, failedHoursAgo: 5, reason: 'WorkloadsNotReady' }),
      store({}),
      store({ phase: 'Ready', deleting: true, readyAfterSeconds: 120 }),
    ];
    const o = platformOverview(stores, 10, now);
    expect(o.stores).toBe(8);
    expect(o.byPhase).toMatchObject({ Ready: 3, Failed: 2, Degraded: 1, Pending: 1, Deleting: 1 });
    expect(o.byEngine).toEqual({ medusa: 6, woocommerce: 2 });
    expect(o.cap).toEqual({ used: 8, limit: 10 });
    expect(o.failuresLast24h).toEqual({ stores: 3, byReason: { QuotaExceeded: 2, WorkloadsNotReady: 1 } });
    // 30, 45, 60, 90, 120 s
    expect(o.provisioning).toEqual({ count: 5, p50Seconds: 60, p95Seconds: 120 });
    expect(o.needsAttention.map((a) => [a.phase, a.reason])).toEqual([
      ['Stalled', 'QuotaExceeded'],
      ['Failed', 'QuotaExceeded'],
      ['Degraded', 'WorkloadsNotReady'],
    ]);
  });
});

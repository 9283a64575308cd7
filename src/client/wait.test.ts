import { describe, expect, it } from 'vitest';
import type { StoreDetail, StoreSummary } from '../api/client/client.ts';
import { judge, newEvents, type Verdict, type WaitFor } from './wait.ts';

const store = (o: Partial<StoreSummary>): StoreSummary =>
  ({ name: 's', phase: 'Provisioning', stalled: false, ...o }) as StoreSummary;

describe('judge: where a wait stands', () => {
  it.each<[string, StoreSummary | undefined, WaitFor, Verdict]>([
    ['ready store, waiting for ready', store({ phase: 'Ready' }), 'ready', 'done'],
    ['provisioning', store({ phase: 'Provisioning' }), 'ready', 'waiting'],
    ['pending', store({ phase: 'Pending' }), 'ready', 'waiting'],
    ['a failed try the operator retries', store({ phase: 'Failed', stalled: false }), 'ready', 'waiting'],
    ['degraded (was Ready, a pod is not)', store({ phase: 'Degraded' }), 'ready', 'waiting'],
    ['stalled: a person must act', store({ phase: 'Failed', stalled: true }), 'ready', 'stalled'],
    ['being deleted', store({ phase: 'Deleting' }), 'ready', 'gone'],
    ['gone', undefined, 'ready', 'gone'],
    ['gone, waiting for deleted', undefined, 'deleted', 'done'],
    ['still deleting', store({ phase: 'Deleting' }), 'deleted', 'waiting'],
    ['ready, waiting for deleted', store({ phase: 'Ready' }), 'deleted', 'waiting'],
  ])('%s', (_what, s, want, verdict) => {
    expect(judge(s, want)).toBe(verdict);
  });
});

describe('newEvents: what to tell since last time', () => {
  const detail = (
    done: string[],
    failure?: { since: string; reason: string },
    failures = 0,
    stalled = false,
  ) =>
    ({
      stalled,
      failures,
      pipeline: ['namespace', 'guardrails', 'credentials', 'release'].map((stage) => ({
        stage,
        state: done.includes(stage) ? 'done' : 'waiting',
        seconds: 1,
      })),
      ...(failure ? { lastFailure: { ...failure, message: 'm', fix: 'f' } } : {}),
    }) as unknown as StoreDetail;

  it('tells each finished stage once, in pipeline order', () => {
    const seen = { stages: new Set<string>() };
    expect(newEvents(seen, detail(['namespace'])).map((e) => e.type === 'stage' && e.step.stage)).toEqual([
      'namespace',
    ]);
    expect(
      newEvents(seen, detail(['namespace', 'guardrails', 'credentials'])).map(
        (e) => e.type === 'stage' && e.step.stage,
      ),
    ).toEqual(['guardrails', 'credentials']);
    expect(newEvents(seen, detail(['namespace', 'guardrails', 'credentials']))).toEqual([]);
  });

  it('tells a failure once, and again when another try fails or it stalls', () => {
    const seen = { stages: new Set<string>() };
    const f = { since: '2026-12-06T10:00:00Z', reason: 'QuotaExceeded' };
    expect(newEvents(seen, detail([], f, 1))).toEqual([
      expect.objectContaining({ type: 'failure', stalled: false }),
    ]);
    expect(newEvents(seen, detail([], f, 1))).toEqual([]);
    expect(newEvents(seen, detail([], f, 2))).toHaveLength(1);
    expect(newEvents(seen, detail([], f, 2, true))).toEqual([
      expect.objectContaining({ type: 'failure', stalled: true }),
    ]);
  });

  it('leaves stages out when asked (a wait for deletion)', () => {
    expect(newEvents({ stages: new Set() }, detail(['namespace']), false)).toEqual([]);
  });
});

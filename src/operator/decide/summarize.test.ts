import { describe, expect, it } from 'vitest';
import type { Attempt, Condition, StoreStatus } from '../../store/schema.ts';
import type { StageOutcome } from './outcome.ts';
import { jittered } from '../backoff.ts';
import { steadyLookMs, type SummaryConfig, summarize } from './summarize.ts';

const now = new Date('2026-11-29T12:00:00.000Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString();
const config: SummaryConfig = {
  deadlineMs: 600_000,
  retryBudget: 5,
  retryWindowMs: 600_000,
  resyncMs: 300_000,
  degradedPollMs: 30_000,
};
const urls = { url: 'http://shop.example/', adminUrl: 'http://shop.example/wp-admin/' };
const attempt = (kind: Attempt['kind'], startedSecondsAgo: number): Attempt => ({
  kind,
  startedAt: ago(startedSecondsAgo),
  generation: 1,
  reason: 'r',
});
const readyCond: Condition = {
  type: 'Ready',
  status: 'True',
  reason: 'StoreReady',
  message: 'store is ready at http://shop.example/',
  lastTransitionTime: ago(3600),
  observedGeneration: 1,
};
const quota: StageOutcome = {
  kind: 'failed',
  diagnosis: { reason: 'QuotaExceeded', message: 'over quota', fix: 'larger plan' },
};
const waiting: StageOutcome = {
  kind: 'progress',
  message: 'Deployment web: 0/1 ready',
  requeueAfterMs: 10_000,
};

function run(status: StoreStatus, outcome: StageOutcome, wasReady = false) {
  return summarize({ status, wasReady, outcome, generation: 1, now, urls, config, random: () => 0.5 });
}
const cond = (s: StoreStatus, type: string) => s.conditions?.find((c) => c.type === type);

describe('summarize: a store that was Ready', () => {
  const readyStore: StoreStatus = {
    observedGeneration: 1,
    readyAt: ago(7200),
    phase: 'Ready',
    conditions: [readyCond],
  };

  // Fault 1: the provisioning deadline was measured from the first provisioning, so a store older
  // than the deadline failed (then Stalled) on its first not-ready pass.
  it('with a workload not ready, long after its provisioning, is Degraded: no failure, no deadline', () => {
    const r = run(readyStore, waiting, true);
    expect(r.status.phase).toBe('Degraded');
    expect(cond(r.status, 'Ready')).toMatchObject({ status: 'False', reason: 'Degraded' });
    expect(cond(r.status, 'Reconciling')).toMatchObject({ status: 'True', reason: 'Recovering' });
    expect(cond(r.status, 'Stalled')).toBeUndefined();
    expect(r.status.failures).toBeUndefined();
    expect(r.status.lastFailure).toBeUndefined();
    expect(r.events).toEqual([
      { type: 'Warning', reason: 'Degraded', message: 'a workload is not ready: Deployment web: 0/1 ready' },
    ]);
    expect(r.requeueAfterMs).toBe(10_000);
  });

  it('still degraded on the next pass: no new Event', () => {
    const first = run(readyStore, waiting, true);
    const second = run(first.status, waiting, false);
    expect(second.status.phase).toBe('Degraded');
    expect(second.events).toEqual([]);
  });

  it('with a diagnosed cause (a crash loop) is Degraded with the reason and fix, never Stalled', () => {
    const crash: StageOutcome = {
      kind: 'failed',
      diagnosis: { reason: 'CrashLoopBackOff', message: 'web keeps crashing', fix: 'read its logs' },
    };
    let s: StoreStatus = readyStore;
    for (let i = 0; i < 20; i++) s = run(s, crash, i === 0).status;
    expect(s.phase).toBe('Degraded');
    expect(cond(s, 'Stalled')).toBeUndefined();
    expect(s.failures).toBeUndefined();
    expect(s.lastFailure).toMatchObject({ reason: 'CrashLoopBackOff', fix: 'read its logs' });
  });

  it('recovers: Ready again with a Recovered Event, and its first-Ready time kept', () => {
    const degraded = run(readyStore, waiting, true).status;
    const r = run(degraded, { kind: 'done' }, false);
    expect(r.status.phase).toBe('Ready');
    expect(r.status.readyAt).toBe(readyStore.readyAt);
    expect(cond(r.status, 'Reconciling')).toBeUndefined();
    expect(r.events).toEqual([
      { type: 'Normal', reason: 'Recovered', message: 'all workloads are ready again' },
    ]);
    expect(r.finished).toBeUndefined();
  });

  it.each(['provision', 'update', 'upgrade', 'repair'] as const)(
    'an attempt (%s) that ends Ready is looked at again soon, as a steady store',
    (kind) => {
      const r = run({ attempt: attempt(kind, 30) }, { kind: 'done' });
      expect(r.status.phase).toBe('Ready');
      expect(r.status.attempt).toBeUndefined();
      expect(r.requeueAfterMs).toBe(jittered(steadyLookMs, () => 0.5));
      expect(r.requeueAfterMs).toBeLessThan(config.resyncMs);
    },
  );

  it('Ready and staying Ready writes nothing new and schedules the resync', () => {
    const r = run(readyStore, { kind: 'done' }, true);
    expect(r.events).toEqual([]);
    expect(r.status.conditions).toEqual(readyStore.conditions);
    expect(r.requeueAfterMs).toBe(300_000);
  });
});

describe('summarize: an attempt under way', () => {
  it('before its deadline: Provisioning, Ready False for a new store', () => {
    const r = run({ attempt: attempt('provision', 30) }, waiting);
    expect(r.status.phase).toBe('Provisioning');
    expect(cond(r.status, 'Ready')).toMatchObject({ status: 'False', reason: 'Progressing' });
    expect(cond(r.status, 'Reconciling')).toMatchObject({ status: 'True', reason: 'Progressing' });
  });

  it('an update of a Ready store keeps Ready Unknown while it is applied', () => {
    const r = run({ attempt: attempt('update', 30), readyAt: ago(3600) }, waiting);
    expect(cond(r.status, 'Ready')).toMatchObject({ status: 'Unknown', reason: 'Progressing' });
  });

  it('past its deadline: a counted failure (timeout), retried with backoff', () => {
    const r = run({ attempt: attempt('provision', 601) }, waiting);
    expect(r.status.phase).toBe('Failed');
    expect(r.status.failures).toBe(1);
    expect(r.status.lastFailure?.reason).toBe('ProvisioningTimeout');
    expect(r.status.lastFailure?.message).toMatch(
      /not Ready 601s after the provision started \(deadline 600s\)/,
    );
    expect(cond(r.status, 'Reconciling')).toMatchObject({ reason: 'ProgressingWithRetry' });
    expect(r.requeueAfterMs).toBeGreaterThan(0);
  });

  it('an update past its deadline is an UpgradeTimeout', () => {
    const r = run({ attempt: attempt('update', 700), readyAt: ago(9000) }, waiting);
    expect(r.status.lastFailure?.reason).toBe('UpgradeTimeout');
  });

  it('done: Ready, the attempt ends, failures are cleared, the time is measured', () => {
    const r = run(
      {
        attempt: attempt('provision', 42),
        failures: 2,
        failingSince: ago(20),
        lastFailure: { reason: 'X', message: 'm', fix: 'f', since: ago(20) },
      },
      { kind: 'done' },
    );
    expect(r.status.phase).toBe('Ready');
    expect(r.status.attempt).toBeUndefined();
    expect(r.status.failures).toBeUndefined();
    expect(r.status.lastFailure).toBeUndefined();
    expect(r.status.readyAt).toBe(now.toISOString());
    expect(r.status.observedGeneration).toBe(1);
    expect(r.status.url).toBe(urls.url);
    expect(r.finished).toEqual({ outcome: 'ready', attempt: 'provision', seconds: 42 });
    expect(r.events[0]).toMatchObject({
      reason: 'Ready',
      message: 'store is ready at http://shop.example/ (42s)',
    });
  });

  it('a Helm action ran: requeue at once, still Provisioning', () => {
    const r = run({ attempt: attempt('provision', 5) }, { kind: 'acted', message: 'install done' });
    expect(r.requeueAfterMs).toBe(0);
    expect(r.status.phase).toBe('Provisioning');
  });
});

// Fault 8: five tries were spent in about 15 s, so a registry hiccup or a node scale-up Stalled
// stores. The budget is a count *and* a time window.
describe('summarize: the retry budget is a count and a time window', () => {
  const failingFor = (seconds: number, failures: number): StoreStatus => ({
    attempt: attempt('provision', seconds + 5),
    failures,
    failingSince: ago(seconds),
    lastFailure: { reason: 'QuotaExceeded', message: 'over quota', fix: 'larger plan', since: ago(seconds) },
  });
  const cases: { name: string; status: StoreStatus; stalled: boolean }[] = [
    { name: 'first failure', status: { attempt: attempt('provision', 10) }, stalled: false },
    { name: 'budget used up within seconds: keeps retrying', status: failingFor(15, 4), stalled: false },
    { name: 'budget used up, window not yet over', status: failingFor(599, 10), stalled: false },
    { name: 'window over but few tries (long backoff)', status: failingFor(900, 2), stalled: false },
    { name: 'budget and window both used up', status: failingFor(600, 4), stalled: true },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const r = run(tc.status, quota);
      expect(cond(r.status, 'Stalled')?.status === 'True').toBe(tc.stalled);
      expect(r.status.phase).toBe('Failed');
      if (tc.stalled) {
        expect(cond(r.status, 'Stalled')?.reason).toBe('RetriesExceeded');
        expect(cond(r.status, 'Reconciling')).toBeUndefined();
        expect(r.status.attempt).toBeUndefined();
        expect(r.status.observedGeneration).toBe(1);
        expect(r.requeueAfterMs).toBeUndefined();
        expect(r.finished?.outcome).toBe('failed');
      } else {
        expect(r.requeueAfterMs).toBeGreaterThan(0);
        expect(cond(r.status, 'Reconciling')?.reason).toBe('ProgressingWithRetry');
      }
    });
  }

  it('a refusal that needs a person Stalls at once', () => {
    const r = run({ attempt: attempt('update', 1), readyAt: ago(100) }, { ...quota, stall: true });
    expect(cond(r.status, 'Stalled')).toMatchObject({ status: 'True', reason: 'QuotaExceeded' });
  });

  it('a repeated failure keeps its first time and makes no new Event', () => {
    const first = run({ attempt: attempt('provision', 10) }, quota);
    expect(first.events).toHaveLength(1);
    const second = run(first.status, quota);
    expect(second.events).toEqual([]);
    expect(second.status.lastFailure?.since).toBe(first.status.lastFailure?.since);
    expect(second.status.failures).toBe(2);
  });
});

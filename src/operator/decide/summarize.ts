import { removeCondition, setCondition } from '../../store/conditions.ts';
import { events as ev, reasons } from '../../store/keys.ts';
import type { Attempt, StoreStatus } from '../../store/schema.ts';
import { backoffMs, jittered } from '../backoff.ts';
import type { Diagnosis, StageOutcome } from './outcome.ts';

export interface SummaryConfig {
  /** An attempt not Ready this long after its start has failed (and is retried). */
  deadlineMs: number;
  /** Stalled only after this many failed tries... */
  retryBudget: number;
  /** ...spread over at least this long since the first, so a short outage cannot use them up. */
  retryWindowMs: number;
  /** Periodic look at a Ready store. */
  resyncMs: number;
  /** How often a degraded store is looked at when nothing wakes it. */
  degradedPollMs: number;
}

export interface SummaryInput {
  /** The working copy after the stages ran (its attempt, if any, is the one under way). */
  status: StoreStatus;
  /** Ready was True when the pass began. */
  wasReady: boolean;
  outcome: StageOutcome;
  generation: number;
  now: Date;
  urls: { url: string; adminUrl: string };
  config: SummaryConfig;
  random?: () => number;
}

export interface SummaryEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface Summary {
  status: StoreStatus;
  events: SummaryEvent[];
  /** Undefined: nothing to do until something changes (Stalled). */
  requeueAfterMs?: number;
  /** An attempt ended (for the provisioning-time metric). */
  finished?: { outcome: 'ready' | 'failed'; attempt: Attempt['kind']; seconds: number };
}

const seconds = (ms: number) => `${Math.round(ms / 1000)}s`;

/** How soon after an attempt ends the store is looked at as a steady store. */
export const steadyLookMs = 10_000;

function timeout(attempt: Attempt, deadlineMs: number, elapsedMs: number, waiting: string): Diagnosis {
  const provision = attempt.kind === 'provision';
  return {
    reason: provision ? reasons.provisioningTimeout : reasons.upgradeTimeout,
    message: `not Ready ${seconds(elapsedMs)} after the ${attempt.kind} started (deadline ${seconds(deadlineMs)}): ${waiting}`,
    fix: 'Look at the workloads of the store namespace (kubectl get pods,events -n store-<name>), fix the cause, then retry.',
  };
}

const readyEvent: Record<Attempt['kind'], string> = {
  provision: 'store is ready',
  update: 'the spec change is applied and the store is ready',
  upgrade: 'the upgrade is applied and the store is ready',
  retry: 'the store is ready after the retry',
  repair: 'the repair is done and the store is ready',
};

/**
 * Ready, Reconciling and Stalled, the phase, the attempt's end and the failure bookkeeping, from
 * what one pass observed (Flux's summarize, with DESIGN.md §4's rules): deadlines belong to an
 * attempt; a store that was Ready and has a workload not ready is Degraded, never timing out;
 * failures count only within an attempt, and Stall after a budget of tries *and* a time window.
 */
export function summarize(i: SummaryInput): Summary {
  const { now, generation, config, outcome } = i;
  const s = structuredClone(i.status);
  const out: SummaryEvent[] = [];
  const set = (
    type: 'Ready' | 'Reconciling' | 'Stalled',
    status: 'True' | 'False' | 'Unknown',
    reason: string,
    message: string,
  ) => {
    s.conditions = setCondition(s.conditions, { type, status, reason, message }, generation, now);
  };
  const drop = (type: 'Reconciling' | 'Stalled') => {
    s.conditions = removeCondition(s.conditions, type);
  };
  const attempt = s.attempt;
  const elapsed = attempt ? now.getTime() - new Date(attempt.startedAt).getTime() : 0;
  const finished = (outcomeKind: 'ready' | 'failed') =>
    attempt ? { outcome: outcomeKind, attempt: attempt.kind, seconds: elapsed / 1000 } : undefined;

  if (outcome.kind === 'done') {
    set('Ready', 'True', reasons.storeReady, `store is ready at ${i.urls.url}`);
    drop('Reconciling');
    drop('Stalled');
    s.url = i.urls.url;
    s.adminUrl = i.urls.adminUrl;
    s.readyAt ??= now.toISOString();
    s.observedGeneration = generation;
    delete s.failures;
    delete s.failingSince;
    delete s.lastFailure;
    delete s.attempt;
    s.phase = 'Ready';
    if (attempt)
      out.push({
        type: 'Normal',
        reason: ev.ready,
        message: `${readyEvent[attempt.kind]} at ${i.urls.url} (${seconds(elapsed)})`,
      });
    else if (!i.wasReady)
      out.push({ type: 'Normal', reason: ev.recovered, message: 'all workloads are ready again' });
    return {
      status: s,
      events: out,
      // An attempt just ended: drift is not looked for while one runs, and the changes that came
      // meanwhile (a `kubectl set env` during a repair) woke passes that skipped it. One more pass
      // soon, as a steady store (not at once: in a burst of new stores it would compete with
      // them); otherwise the resync.
      requeueAfterMs: jittered(attempt ? Math.min(config.resyncMs, steadyLookMs) : config.resyncMs, i.random),
      finished: finished('ready'),
    };
  }

  const readyWhileWorking = (message: string) =>
    set('Ready', attempt?.kind === 'provision' ? 'False' : 'Unknown', reasons.progressing, message);

  if (outcome.kind === 'acted') {
    set('Reconciling', 'True', reasons.progressing, outcome.message);
    readyWhileWorking(outcome.message);
    s.phase = 'Provisioning';
    return { status: s, events: out, requeueAfterMs: 0 };
  }

  let diagnosis: Diagnosis | undefined;
  let stall = false;
  if (outcome.kind === 'progress') {
    if (!attempt) {
      // Was Ready (or Degraded): waiting for workloads to come back is recovery, not provisioning.
      set('Ready', 'False', reasons.degraded, `a workload is not ready: ${outcome.message}`);
      set(
        'Reconciling',
        'True',
        reasons.recovering,
        `waiting for the workloads to recover: ${outcome.message}`,
      );
      if (i.wasReady)
        out.push({
          type: 'Warning',
          reason: ev.degraded,
          message: `a workload is not ready: ${outcome.message}`,
        });
      s.phase = 'Degraded';
      return { status: s, events: out, requeueAfterMs: outcome.requeueAfterMs };
    }
    if (elapsed <= config.deadlineMs) {
      set('Reconciling', 'True', reasons.progressing, outcome.message);
      readyWhileWorking(outcome.message);
      s.phase = 'Provisioning';
      return { status: s, events: out, requeueAfterMs: outcome.requeueAfterMs };
    }
    diagnosis = timeout(attempt, config.deadlineMs, elapsed, outcome.message);
  } else {
    diagnosis = outcome.diagnosis;
    stall = Boolean(outcome.stall);
  }

  const d = diagnosis;
  const newReason = s.lastFailure?.reason !== d.reason;
  s.lastFailure = {
    reason: d.reason,
    message: d.message.slice(0, 2048),
    fix: d.fix.slice(0, 1024),
    since: newReason || !s.lastFailure ? now.toISOString() : s.lastFailure.since,
  };
  set('Ready', 'False', d.reason, `${d.message} Fix: ${d.fix}`);

  if (!attempt && !stall) {
    // Was Ready, and something now keeps a workload down: say why, keep watching, no retries to count.
    set('Reconciling', 'True', reasons.recovering, `waiting for the store to recover: ${d.reason}`);
    if (newReason) out.push({ type: 'Warning', reason: d.reason, message: `${d.message} Fix: ${d.fix}` });
    s.phase = 'Degraded';
    return { status: s, events: out, requeueAfterMs: config.degradedPollMs };
  }

  const failures = (s.failures ?? 0) + 1;
  s.failures = failures;
  s.failingSince ??= now.toISOString();
  const tried = now.getTime() - new Date(s.failingSince).getTime();
  const exhausted = stall || (failures >= config.retryBudget && tried >= config.retryWindowMs);
  s.phase = 'Failed';
  if (exhausted) {
    const gaveUp = stall ? '' : ` (gave up after ${failures} tries over ${seconds(tried)})`;
    set(
      'Stalled',
      'True',
      stall ? d.reason : reasons.retriesExceeded,
      `${d.message}${gaveUp} Fix: ${d.fix} Then retry: change the spec, or annotate the store with a new storeplane.dev/requested-at.`,
    );
    drop('Reconciling');
    s.observedGeneration = generation;
    delete s.attempt;
    out.push({ type: 'Warning', reason: d.reason, message: `${d.message}${gaveUp} Fix: ${d.fix}` });
    return { status: s, events: out, finished: finished('failed') };
  }
  const wait = backoffMs(failures, { random: i.random });
  set(
    'Reconciling',
    'True',
    reasons.progressingWithRetry,
    `try ${failures} failed (${d.reason}); trying again in ${seconds(wait)}`,
  );
  if (newReason) out.push({ type: 'Warning', reason: d.reason, message: `${d.message} Fix: ${d.fix}` });
  return { status: s, events: out, requeueAfterMs: wait };
}

import { getCondition } from '../../store/conditions.ts';
import type { AttemptKind, StoreStatus } from '../../store/schema.ts';

export interface GateInput {
  status: StoreStatus;
  generation: number;
  /** The storeplane.dev/requested-at annotation, if set. */
  requestedAt?: string;
}

export type Gate =
  /** Stalled for this generation: nothing happens until the spec changes or a retry is asked for. */
  | { kind: 'wait-for-person' }
  | {
      kind: 'proceed';
      /** A new attempt starts now (its deadline runs from now; failures are counted afresh). */
      start?: { kind: AttemptKind; reason: string };
      retryRequested: boolean;
    };

/**
 * Whether a reconcile acts, and whether a new attempt starts, decided from the Store alone:
 * a new generation or a retry request starts an attempt; a Stalled store waits for a person;
 * anything else carries on (an attempt under way, or a steady store being looked after).
 */
export function gate({ status, generation, requestedAt }: GateInput): Gate {
  const retryRequested = requestedAt !== undefined && requestedAt !== status.lastHandledRequestedAt;
  const everReady = Boolean(status.readyAt);
  const specChanged = status.attempt
    ? status.attempt.generation !== generation
    : status.observedGeneration !== generation;
  if (retryRequested)
    return { kind: 'proceed', retryRequested, start: { kind: 'retry', reason: 'retry requested' } };
  if (specChanged) {
    return {
      kind: 'proceed',
      retryRequested,
      start: everReady
        ? { kind: 'update', reason: `the spec changed (generation ${generation})` }
        : { kind: 'provision', reason: 'new store' },
    };
  }
  if (getCondition(status.conditions, 'Stalled')?.status === 'True') return { kind: 'wait-for-person' };
  return { kind: 'proceed', retryRequested };
}

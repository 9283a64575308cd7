/** A failure a person can act on: what happened, and what to do. */
export interface Diagnosis {
  reason: string;
  message: string;
  fix: string;
}

/** What one pass over a store's stages came to. Stages run in order; the first not `done` ends the pass. */
export type StageOutcome =
  | { kind: 'done' }
  /** Waiting for Kubernetes (workloads starting, a volume binding, a quota freed by a terminating pod). */
  | { kind: 'progress'; message: string; requeueAfterMs: number }
  /** A Helm action ran: re-read everything on the next pass (one action per reconcile). */
  | { kind: 'acted'; message: string }
  /** `stall`: retrying cannot help; a person must change something (an invalid spec, lost data). */
  | { kind: 'failed'; diagnosis: Diagnosis; stall?: boolean };

export const done: StageOutcome = { kind: 'done' };

import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import type { HelmRunner } from '../../helm/runner.ts';
import type { KubeClients } from '../../kube/clients.ts';
import type { EventRecorder, EventType } from '../../kube/events.ts';
import { addActivity, type ConditionInput, phaseOf, setCondition } from '../../store/conditions.ts';
import {
  type Store,
  type StoreStatus,
  storeApiVersion,
  storeGroup,
  storePlural,
  storeVersion,
} from '../../store/schema.ts';
import type { OperatorConfig } from '../config.ts';
import type { Diagnosis } from '../diagnosis.ts';
import type { OperatorMetrics } from '../metrics.ts';

export interface OperatorDeps {
  clients: KubeClients;
  helm: HelmRunner;
  helmMajor: number;
  config: OperatorConfig;
  recorder: EventRecorder;
  metrics: OperatorMetrics;
  log: Logger;
  now: () => Date;
}

/** What a stage decided. Stages run in order; the first one that is not `done` ends the pass. */
export type StageOutcome =
  | { kind: 'done' }
  | { kind: 'progress'; message: string; requeueAfterMs: number }
  | { kind: 'failed'; diagnosis: Diagnosis; stall?: boolean }
  /** A Helm action ran: re-read everything on the next pass (one action per reconcile). */
  | { kind: 'acted'; message: string };

export const done: StageOutcome = { kind: 'done' };

/**
 * One reconcile of one store: the store as read, a working copy of its status, and the effects
 * (status writes and Events) that stages ask for. Status is written only when it changed.
 */
export class StoreContext {
  readonly status: StoreStatus;
  /** A person asked for a retry in this pass (storeplane.dev/requested-at changed). */
  retryRequested = false;
  private written: StoreStatus;
  private readonly pendingEvents: { type: EventType; reason: string; message: string }[] = [];

  constructor(
    public store: Store,
    readonly deps: OperatorDeps,
    readonly signal: AbortSignal,
  ) {
    this.status = structuredClone(store.status ?? {});
    this.written = structuredClone(this.status);
  }

  get name(): string {
    return this.store.metadata.name;
  }

  get generation(): number {
    return this.store.metadata.generation ?? 1;
  }

  get log(): Logger {
    return this.deps.log.child({ store: this.name });
  }

  condition(c: ConditionInput): void {
    this.status.conditions = setCondition(this.status.conditions, c, this.generation, this.deps.now());
  }

  /** An Event on the Store plus an entry in the status activity ring. */
  event(type: EventType, reason: string, message: string): void {
    this.pendingEvents.push({ type, reason, message });
    this.status.activity = addActivity(this.status.activity, {
      time: this.deps.now().toISOString(),
      type,
      reason,
      message: message.slice(0, 1024),
    });
  }

  failure(d: Diagnosis): void {
    const since =
      this.status.lastFailure?.reason === d.reason
        ? this.status.lastFailure.since
        : this.deps.now().toISOString();
    this.status.lastFailure = {
      reason: d.reason,
      message: d.message.slice(0, 2048),
      fix: d.fix.slice(0, 1024),
      since,
    };
  }

  /** Writes status (if changed) and records queued Events. Call before any long action. */
  async flush(): Promise<void> {
    this.status.phase = phaseOf(this.status.conditions, Boolean(this.store.metadata.deletionTimestamp));
    if (!isDeepStrictEqual(this.status, this.written)) {
      const body = {
        ...this.store,
        apiVersion: storeApiVersion,
        kind: 'Store' as const,
        status: this.status,
      };
      const updated = (await this.deps.clients.custom.replaceClusterCustomObjectStatus({
        group: storeGroup,
        version: storeVersion,
        plural: storePlural,
        name: this.name,
        body,
      })) as Store;
      this.store = updated;
      this.written = structuredClone(this.status);
    }
    const events = this.pendingEvents.splice(0);
    const target = {
      apiVersion: storeApiVersion,
      kind: 'Store',
      name: this.name,
      uid: this.store.metadata.uid,
    };
    for (const e of events) await this.deps.recorder.record(target, e.type, e.reason, e.message);
  }
}

import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import type { HelmRunner } from '../../helm/runner.ts';
import type { KubeClients } from '../../kube/clients.ts';
import type { EventRecorder, EventType } from '../../kube/events.ts';
import { addActivity, type ConditionInput, removeCondition, setCondition } from '../../store/conditions.ts';
import { events, storeApiVersion, storeKind, storeResource } from '../../store/keys.ts';
import { namespaceFor, releaseFor } from '../../store/naming.ts';
import type { AttemptKind, Store, StoreStatus } from '../../store/schema.ts';
import type { EngineChart } from '../charts.ts';
import type { OperatorConfig } from '../config.ts';
import type { DriftMemory } from '../drift-memory.ts';
import type { OperatorMetrics } from '../metrics.ts';

export interface OperatorDeps {
  clients: KubeClients;
  helm: HelmRunner;
  helmMajor: number;
  config: OperatorConfig;
  charts: Record<Store['spec']['engine'], EngineChart>;
  driftMemory: DriftMemory;
  recorder: EventRecorder;
  metrics: OperatorMetrics;
  log: Logger;
  now: () => Date;
  /**
   * The Store as the operator's informer cache has it now (no API request), or undefined if it
   * is not there. Lets a long Helm action notice a deletion; without it, the store is read.
   */
  cachedStore?: (name: string) => Store | undefined;
}

/**
 * One reconcile of one store: the store as read, a working copy of its status, and the effects
 * (status writes and Events) that stages ask for. Status is written only when it changed, so an
 * idle, healthy store causes no writes.
 */
export class StoreContext {
  readonly status: StoreStatus;
  /** Chart values the volumes stage pins (dotted path → size), layered over the store's values. */
  readonly pinnedValues = new Map<string, string>();
  /** Claims to grow after the release (claim templates cannot be changed by the chart). */
  readonly expansions: { claim: string; what: string; from: string; to: string }[] = [];
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

  get namespace(): string {
    return namespaceFor(this.name);
  }

  get release(): string {
    return releaseFor(this.name);
  }

  get generation(): number {
    return this.store.metadata.generation ?? 1;
  }

  get chart(): EngineChart {
    return this.deps.charts[this.store.spec.engine];
  }

  get log(): Logger {
    return this.deps.log.child({ store: this.name });
  }

  condition(c: ConditionInput): void {
    this.status.conditions = setCondition(this.status.conditions, c, this.generation, this.deps.now());
  }

  /** An Event on the Store plus an entry in the status activity ring. Never put a secret here. */
  event(type: EventType, reason: string, message: string): void {
    this.pendingEvents.push({ type, reason, message });
    this.status.activity = addActivity(this.status.activity, {
      time: this.deps.now().toISOString(),
      type,
      reason,
      message: message.slice(0, 1024),
    });
  }

  /** Starts an attempt: its deadline runs from now and its failures are counted afresh. */
  startAttempt(kind: AttemptKind, reason: string): void {
    this.status.attempt = {
      kind,
      startedAt: this.deps.now().toISOString(),
      generation: this.generation,
      reason: reason.slice(0, 256),
    };
    delete this.status.failures;
    delete this.status.failingSince;
    this.status.conditions = removeCondition(this.status.conditions, 'Stalled');
    const { engine, plan } = this.store.spec;
    if (kind === 'provision')
      this.event('Normal', events.provisioning, `provisioning a ${engine} store (plan ${plan})`);
    else if (kind === 'update' || kind === 'upgrade') this.event('Normal', events.updating, reason);
  }

  /** Writes status (if changed) and records queued Events. Call before any long action. */
  async flush(): Promise<void> {
    await this.writeStatus();
    await this.recordEvents();
  }

  /** Writes status, if it changed. */
  async writeStatus(): Promise<void> {
    // Every write carries a phase. Only a store's first attempt has none before its summary, and
    // a write in the middle of it (before helm, which can take minutes) stands for that long: it
    // must show in `kubectl get stores` as Provisioning, not as a blank.
    this.status.phase ??= 'Provisioning';
    if (!isDeepStrictEqual(this.status, this.written)) {
      const updated = (await this.deps.clients.custom.replaceClusterCustomObjectStatus({
        ...storeResource,
        name: this.name,
        body: { ...this.store, apiVersion: storeApiVersion, kind: storeKind, status: this.status },
      })) as Store;
      this.store = updated;
      this.written = structuredClone(this.status);
    }
  }

  /** Records the queued Events (also for a store that is gone: its Events outlive it). */
  async recordEvents(): Promise<void> {
    const target = {
      apiVersion: storeApiVersion,
      kind: storeKind,
      name: this.name,
      uid: this.store.metadata.uid,
    };
    for (const e of this.pendingEvents.splice(0))
      await this.deps.recorder.record(target, e.type, e.reason, e.message);
  }
}

import type { RawObject } from '../kube/raw.ts';
import { storeOfNamespace } from '../store/naming.ts';
import type { WatchEventType } from '../kube/watch.ts';

/** The kinds whose changes may wake a store, each with its collection path. */
export const wakingKinds = {
  Namespace: '/api/v1/namespaces',
  Pod: '/api/v1/pods',
  PersistentVolumeClaim: '/api/v1/persistentvolumeclaims',
  Deployment: '/apis/apps/v1/deployments',
  StatefulSet: '/apis/apps/v1/statefulsets',
  Job: '/apis/batch/v1/jobs',
} as const;
export type WakingKind = keyof typeof wakingKinds;

export interface Wake {
  /** The store to reconcile, when the change is one it must look at. */
  store?: string;
  /** Why not, for the metrics: `not-a-store` or `scheduled-run`. */
  ignored?: 'not-a-store' | 'scheduled-run';
}

/**
 * Which change in the cluster wakes which store. The kind comes from the watch, never from the
 * object: metadata-only watches answer `kind: PartialObjectMetadata`.
 *
 * Runs of a CronJob (WooCommerce's WP-Cron) and their pods are periodic upkeep that neither
 * readiness nor diagnosis reads, so they wake nothing. Waking on them made each Ready WooCommerce
 * store reconcile several times per run, and with hundreds of stores those reconciles filled the
 * queue ahead of the stores being provisioned. A pod names its Job only by UID, so the UIDs of
 * scheduled Jobs are remembered while they exist and for `keepMs` after (their pods are deleted
 * after them).
 */
export class WakeFilter {
  private readonly scheduledJobs = new Map<string, number>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly keepMs = 10 * 60_000,
  ) {}

  decide(kind: WakingKind, type: WatchEventType, obj: RawObject): Wake {
    const ns = kind === 'Namespace' ? obj.metadata?.name : obj.metadata?.namespace;
    const store = ns ? storeOfNamespace(ns) : undefined;
    if (!store) return { ignored: 'not-a-store' };
    const owners = obj.metadata?.ownerReferences ?? [];
    if (kind === 'Job' && owners.some((o) => o.kind === 'CronJob')) {
      const uid = obj.metadata?.uid;
      if (uid) this.scheduledJobs.set(uid, type === 'DELETED' ? this.now() + this.keepMs : Infinity);
      if (type === 'DELETED') this.prune();
      return { ignored: 'scheduled-run' };
    }
    if (kind === 'Pod' && owners.some((o) => o.kind === 'Job' && this.scheduledJobs.has(o.uid)))
      return { ignored: 'scheduled-run' };
    return { store };
  }

  /** Scheduled Jobs remembered now (bounded by the CronJobs' history limits). */
  size(): number {
    return this.scheduledJobs.size;
  }

  private prune(): void {
    const now = this.now();
    for (const [uid, until] of this.scheduledJobs) if (until < now) this.scheduledJobs.delete(uid);
  }
}

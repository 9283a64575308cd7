import { createHash } from 'node:crypto';
import { canonicalJson } from '../helm/digest.ts';
import type { RawObject } from '../kube/raw.ts';

/**
 * What the last clean drift check of each store saw: per object, a digest of the live object as
 * far as drift is concerned and a digest of what was wanted. When both are the same again, the
 * API server's dry run would answer the same: it is skipped. Status is left out, and so are the
 * times in managedFields: a ResourceQuota's usage after each WP-Cron run or a CronJob's last
 * schedule time changed the resourceVersion (the first key) and cost an idle fleet a dry-run apply
 * per change. Labels, annotations, the body and every writer's fields are in: a write by anyone,
 * even of the same value, is looked at again. One entry per store, dropped when it is deleted.
 */
const digest = (v: unknown) => createHash('sha256').update(canonicalJson(v)).digest('hex').slice(0, 16);

/** The live object without what changes on its own: status, resourceVersion, writers' times. */
export function driftRelevant(live: RawObject): unknown {
  const { status: _status, metadata, ...body } = live;
  return {
    body,
    labels: metadata?.labels ?? {},
    annotations: metadata?.annotations ?? {},
    ownerReferences: metadata?.ownerReferences ?? [],
    finalizers: metadata?.finalizers ?? [],
    deleting: metadata?.deletionTimestamp ?? null,
    writers: (metadata?.managedFields ?? [])
      .filter((e) => !e.subresource)
      .map((e) => [e.manager, e.operation, e.apiVersion, e.fieldsV1 ?? {}]),
  };
}

export class DriftMemory {
  private readonly seen = new Map<string, Map<string, string>>();

  private key(desired: RawObject): string {
    return `${desired.apiVersion}/${desired.kind}/${desired.metadata?.namespace ?? ''}/${desired.metadata?.name}`;
  }

  private stamp(desired: RawObject, live: RawObject): string {
    return `${digest(driftRelevant(live))}|${digest(desired)}`;
  }

  /** True when the object is as it was at the last clean check, for the same desire. */
  unchanged(store: string, desired: RawObject, live: RawObject): boolean {
    return this.seen.get(store)?.get(this.key(desired)) === this.stamp(desired, live);
  }

  clean(store: string, desired: RawObject, live: RawObject): void {
    let m = this.seen.get(store);
    if (!m) this.seen.set(store, (m = new Map()));
    m.set(this.key(desired), this.stamp(desired, live));
  }

  forgetObject(store: string, desired: RawObject): void {
    this.seen.get(store)?.delete(this.key(desired));
  }

  forget(store: string): void {
    this.seen.delete(store);
  }

  size(): number {
    return this.seen.size;
  }
}

import { createHash } from 'node:crypto';
import { canonicalJson } from '../helm/digest.ts';
import type { RawObject } from '../kube/raw.ts';

/**
 * What the last clean drift check of each store saw: per object, the live resourceVersion and a
 * digest of what was wanted. When both are the same again, nothing has written the object since,
 * so the API server's dry run would answer the same: it is skipped. An idle fleet then costs one
 * read per object per resync, not a dry-run apply. One entry per store, dropped when it is deleted.
 */
export class DriftMemory {
  private readonly seen = new Map<string, Map<string, string>>();

  private key(desired: RawObject): string {
    return `${desired.apiVersion}/${desired.kind}/${desired.metadata?.namespace ?? ''}/${desired.metadata?.name}`;
  }

  private stamp(desired: RawObject, live: RawObject): string {
    const wanted = createHash('sha256').update(canonicalJson(desired)).digest('hex').slice(0, 16);
    return `${live.metadata?.resourceVersion}|${wanted}`;
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

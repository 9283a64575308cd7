import { annotations } from '../store/keys.ts';
import type { Store } from '../store/schema.ts';

/** What about a Store may ask for work: never its status, which is the operator's own writing. */
export function fingerprint(s: Store): string {
  return JSON.stringify([
    s.metadata.generation,
    s.metadata.annotations?.[annotations.requestedAt],
    s.metadata.deletionTimestamp,
    s.metadata.finalizers,
  ]);
}

/**
 * Decides which Store updates wake a reconcile: a new generation, a retry request, deletion,
 * finalizers. The operator's own status writes do not, so a failing store waits its backoff
 * instead of retrying at once after every status write (controller-runtime's
 * GenerationChanged/AnnotationChanged predicates). One small entry per existing store.
 */
export class StoreChangeFilter {
  private readonly seen = new Map<string, string>();

  added(s: Store): void {
    this.seen.set(s.metadata.name, fingerprint(s));
  }

  /** True when the update matters; remembers it either way. */
  updated(s: Store): boolean {
    const next = fingerprint(s);
    const before = this.seen.get(s.metadata.name);
    this.seen.set(s.metadata.name, next);
    return before !== next;
  }

  deleted(s: Store): void {
    this.seen.delete(s.metadata.name);
  }

  size(): number {
    return this.seen.size;
  }
}

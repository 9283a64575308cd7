import { randomBytes } from 'node:crypto';
import type { Store } from '../../store/schema.ts';

export type StoreEventType = 'upsert' | 'delete';

export interface StoreEvent {
  /** `<epoch>-<seq>`: the epoch is random per process, so an id from elsewhere is recognisably foreign. */
  id: string;
  type: StoreEventType;
  store: Store;
  /**
   * The store before this change, when it was known: a stream tells a client that a store left
   * its view (an owner changed) from it, with what that client was already allowed to see.
   */
  previous?: Store;
}

export type StoreEventListener = (event: StoreEvent) => void;

/** What feeds a ChangeFeed: a StoreDirectory, or anything with its onChange. */
export interface StoreChangeSource {
  onChange(fn: (type: StoreEventType, store: Store, previous?: Store) => void): () => void;
}

export interface ChangeFeedOptions {
  /** Changes to number and keep (usually the StoreDirectory); without one, call publish(). */
  source?: StoreChangeSource;
  /** Events kept for resuming streams (default 2,000). */
  capacity?: number;
  /** Fixed epoch (tests); default: random per process start. */
  epoch?: string;
}

export const defaultFeedCapacity = 2000;

/**
 * Numbers store changes for the live stream and keeps the last ones in a ring, so a client that
 * reconnects with Last-Event-ID gets only what it missed; an id from another process or older
 * than the ring returns undefined from since(), and the client resyncs from a snapshot.
 */
export class ChangeFeed {
  readonly epoch: string;
  readonly capacity: number;
  private seq = 0;
  private readonly ring: (StoreEvent | undefined)[];
  private readonly listeners = new Set<StoreEventListener>();
  private readonly detach?: () => void;

  constructor(opts: ChangeFeedOptions = {}) {
    this.capacity = Math.max(1, Math.floor(opts.capacity ?? defaultFeedCapacity));
    this.epoch = opts.epoch ?? randomBytes(8).toString('hex');
    if (this.epoch.includes('-') || /[\r\n\0]/.test(this.epoch))
      throw new Error('a feed epoch may not contain "-" or line breaks');
    this.ring = new Array<StoreEvent | undefined>(this.capacity);
    this.detach = opts.source?.onChange((type, store, previous) => this.publish(type, store, previous));
  }

  /** The id of the newest event (`<epoch>-0` before the first): a snapshot taken now is as of it. */
  currentId(): string {
    return `${this.epoch}-${this.seq}`;
  }

  /**
   * Numbers a change, keeps it, and tells every subscriber (synchronously, in order). A
   * subscriber that throws does not keep the others from hearing; the first error is rethrown.
   */
  publish(type: StoreEventType, store: Store, previous?: Store): StoreEvent {
    this.seq += 1;
    const event: StoreEvent = { id: `${this.epoch}-${this.seq}`, type, store };
    if (previous) event.previous = previous;
    this.ring[this.seq % this.capacity] = event;
    let failure: { err: unknown } | undefined;
    for (const fn of [...this.listeners]) {
      try {
        fn(event);
      } catch (err) {
        failure ??= { err };
      }
    }
    if (failure) throw failure.err;
    return event;
  }

  subscribe(fn: StoreEventListener): () => void {
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
    };
  }

  subscriberCount(): number {
    return this.listeners.size;
  }

  /**
   * The events after `lastEventId`, oldest first ([] when nothing was missed), or undefined when
   * the id is not this feed's (another process, a previous run, garbage) or older than the ring.
   */
  since(lastEventId: string): StoreEvent[] | undefined {
    const dash = lastEventId.lastIndexOf('-');
    if (dash <= 0 || lastEventId.slice(0, dash) !== this.epoch) return undefined;
    const digits = lastEventId.slice(dash + 1);
    if (!/^(0|[1-9][0-9]{0,15})$/.test(digits)) return undefined;
    const last = Number(digits);
    if (last > this.seq) return undefined;
    const oldest = Math.max(1, this.seq - this.capacity + 1);
    if (last + 1 < oldest) return undefined;
    const out: StoreEvent[] = [];
    for (let s = last + 1; s <= this.seq; s++) {
      const e = this.ring[s % this.capacity];
      if (!e) return undefined;
      out.push(e);
    }
    return out;
  }

  /** Stops taking changes from the source; subscribers stay until they unsubscribe. */
  close(): void {
    this.detach?.();
  }
}

/**
 * What one client may be told of an event: the change itself when it can see the store; a delete
 * when the store just left its view (told with the store as the client could last see it, so
 * nothing of the new state leaks); nothing when the store was never its to see.
 */
export function visibleChange(
  event: Pick<StoreEvent, 'type' | 'store' | 'previous'>,
  visible: (s: Store) => boolean,
): { type: StoreEventType; store: Store } | undefined {
  if (visible(event.store)) return { type: event.type, store: event.store };
  if (event.previous && visible(event.previous)) return { type: 'delete', store: event.previous };
  return undefined;
}

import { backoffMs } from './backoff.ts';

export interface ReconcileResult {
  /** Run again after this long (also used for periodic resync). */
  requeueAfterMs?: number;
}

export type Reconciler = (key: string, signal: AbortSignal) => Promise<ReconcileResult>;

export interface QueueOptions {
  concurrency: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  onError?: (key: string, err: unknown) => void;
  onDepthChange?: (depth: number) => void;
}

/**
 * A keyed work queue in the spirit of client-go's: a key waiting more than once runs once
 * (de-duplication), a key is never reconciled twice at the same time (an add while it runs is
 * replayed afterwards), failures back off per key with jitter, and at most `concurrency`
 * reconciles run at once.
 */
export class WorkQueue {
  private readonly ready: string[] = [];
  private readonly queued = new Set<string>();
  private readonly active = new Set<string>();
  private readonly dirtyWhileActive = new Set<string>();
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly failures = new Map<string, number>();
  private readonly inflight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private stopped = false;
  private running = false;

  constructor(
    private readonly reconcile: Reconciler,
    private readonly opts: QueueOptions,
  ) {}

  /** Start taking work. */
  start(): void {
    this.running = true;
    this.pump();
  }

  /**
   * Queue a key. `front` is for a key continuing work it just did (requeue after 0): finishing a
   * store already under way comes before starting the next one, so one store's provisioning is
   * not stretched across a whole burst of new stores.
   */
  add(key: string, front = false): void {
    if (this.stopped) return;
    const t = this.timers.get(key);
    if (t) {
      clearTimeout(t.timer);
      this.timers.delete(key);
    }
    if (this.active.has(key)) {
      this.dirtyWhileActive.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    if (front) this.ready.unshift(key);
    else this.ready.push(key);
    this.depthChanged();
    this.pump();
  }

  /**
   * A periodic look: like add, except that a key already due at a set time (a backoff after a
   * failure, a requeueAfter) keeps that time. A resync is a safety net for missed events, and
   * must not cut a failing store's backoff short.
   */
  resync(key: string): void {
    if (this.timers.has(key)) return;
    this.add(key);
  }

  /** Add after a delay; an earlier pending add for the key wins. */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) return this.add(key);
    const at = Date.now() + ms;
    const existing = this.timers.get(key);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    timer.unref();
    this.timers.set(key, { at, timer });
  }

  depth(): number {
    return this.ready.length;
  }

  activeCount(): number {
    return this.active.size;
  }

  /** Stop taking work and abort running reconciles (their helm children get SIGTERM); returns at once. */
  stop(): void {
    this.stopped = true;
    this.running = false;
    for (const t of this.timers.values()) clearTimeout(t.timer);
    this.timers.clear();
    this.ready.length = 0;
    this.queued.clear();
    this.abort.abort();
  }

  /** Resolves when every running reconcile has returned. */
  async drained(): Promise<void> {
    await Promise.allSettled([...this.inflight]);
  }

  /** stop(), then wait for the running reconciles. */
  async shutdown(): Promise<void> {
    this.stop();
    await this.drained();
  }

  private depthChanged(): void {
    this.opts.onDepthChange?.(this.ready.length);
  }

  private pump(): void {
    while (this.running && this.active.size < this.opts.concurrency && this.ready.length > 0) {
      const key = this.ready.shift() as string;
      this.queued.delete(key);
      this.active.add(key);
      this.depthChanged();
      const p = this.runOne(key);
      this.inflight.add(p);
      void p.finally(() => this.inflight.delete(p));
    }
  }

  private async runOne(key: string): Promise<void> {
    let next: number | undefined;
    try {
      const result = await this.reconcile(key, this.abort.signal);
      this.failures.delete(key);
      next = result.requeueAfterMs;
    } catch (err) {
      const n = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, n);
      this.opts.onError?.(key, err);
      next = backoffMs(n, { baseMs: this.opts.baseBackoffMs, maxMs: this.opts.maxBackoffMs });
    } finally {
      this.active.delete(key);
    }
    if (!this.stopped) {
      if (this.dirtyWhileActive.delete(key)) this.add(key);
      else if (next === 0) this.add(key, true);
      else if (next !== undefined) this.addAfter(key, next);
    }
    this.pump();
  }
}

/**
 * One holder at a time per name, inside this process. SQLite serves one API process, so this is
 * the whole lock there; on PostgreSQL it queues a process's own callers before they take a
 * database connection to wait on the shared lock (waiters would otherwise fill the pool).
 */
export class KeyedMutex {
  /** Per name, a promise that settles when the last queued holder is done. */
  readonly #tails = new Map<string, Promise<void>>();

  async run<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(name) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    // `previous` never rejects: it only ever chains `mine`s, which only resolve.
    const tail = previous.then(() => mine);
    this.#tails.set(name, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      // The last holder out forgets the name, so a name per user does not grow the map forever.
      if (this.#tails.get(name) === tail) this.#tails.delete(name);
    }
  }

  /** Names held or waited for (tests check nothing leaks). */
  get size(): number {
    return this.#tails.size;
  }
}

/**
 * Named locks for `withLock`. SQLite serves one API process, and Kysely runs SQLite on one
 * connection (a transaction held across `fn` would block fn's own queries), so an in-process
 * mutex is the whole lock. PostgreSQL may serve several processes: a transaction-scoped advisory
 * lock, held on a connection of its own while `fn` runs its queries on the main pool.
 */
import type pg from 'pg';
import type { Logger } from 'pino';
import { KeyedMutex } from './keyed-mutex.ts';

export type LockRunner = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

export function inProcessLocks(): LockRunner {
  const mutex = new KeyedMutex();
  return (name, fn) => mutex.run(name, fn);
}

/**
 * `lockPool` is not the pool `fn` queries through: if waiters for locks could fill the main pool,
 * the holder's `fn` would wait for a connection forever. The in-process mutex queues this
 * process's waiters for one name without any connection, so a lock connection is used per name
 * held, not per caller.
 */
export function postgresLocks(lockPool: pg.Pool, log?: Logger): LockRunner {
  const local = new KeyedMutex();
  return <T>(name: string, fn: () => Promise<T>): Promise<T> =>
    local.run(name, async () => {
      const client = await lockPool.connect();
      // The connection's failure, not fn's: a connection that failed is destroyed, never handed
      // back to the pool in an unknown state.
      let failure: Error | undefined;
      const fail = (err: unknown) => (failure ??= err instanceof Error ? err : new Error(String(err)));
      // A drop while fn runs ends the transaction and so the lock; without a listener it would
      // also be an uncaught 'error' event.
      client.on('error', fail);
      try {
        try {
          await client.query('BEGIN');
          await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [name]);
        } catch (err) {
          fail(err);
          throw err;
        }
        let result: T;
        try {
          result = await fn();
        } catch (err) {
          await client.query('ROLLBACK').catch(fail);
          throw err;
        }
        // fn's effects stand even if COMMIT fails (the lock only guarded them): keep its result.
        await client.query('COMMIT').catch(fail);
        return result;
      } finally {
        client.off('error', fail);
        if (failure) log?.warn({ lock: name, err: failure }, 'platform lock connection failed');
        client.release(failure);
      }
    });
}

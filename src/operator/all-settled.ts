/**
 * Runs `work` on every item at once and returns the results in order, like Promise.all, except
 * that it waits for every call to end before throwing the first failure: a pass never goes on (or
 * ends) while requests of its own are still in flight.
 */
export async function allSettled<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const settled = await Promise.allSettled(items.map(work));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<R>).value);
}

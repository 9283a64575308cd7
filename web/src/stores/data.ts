import { type QueryClient, useQuery } from '@tanstack/react-query';
import type { StoreDetail, StoreSummary } from '../../../src/api/client/client.ts';
import { api, call } from '../api/http.ts';
import { useStreamStatus } from './stream-status.ts';

export const storesKey = ['stores'] as const;
export const storeKey = (name: string) => ['store', name] as const;

/** While the event stream is down, lists and pages poll at this interval instead. */
export const fallbackPollMs = 5_000;

async function fetchAllStores(): Promise<StoreSummary[]> {
  const all: StoreSummary[] = [];
  let next: string | undefined;
  do {
    const page = await call(
      api.GET('/api/v1/stores', { params: { query: { limit: '500', ...(next ? { continue: next } : {}) } } }),
    );
    all.push(...page.stores);
    next = page.continue ?? undefined;
  } while (next);
  return all;
}

/** The caller's stores: the stream keeps them current; polling only while it is down. */
export function useStores() {
  const live = useStreamStatus() === 'live';
  return useQuery({
    queryKey: storesKey,
    queryFn: fetchAllStores,
    refetchInterval: live ? false : fallbackPollMs,
    staleTime: live ? Number.POSITIVE_INFINITY : 0,
  });
}

export function useStore(name: string) {
  const live = useStreamStatus() === 'live';
  return useQuery({
    queryKey: storeKey(name),
    queryFn: (): Promise<StoreDetail> =>
      call(api.GET('/api/v1/stores/{name}', { params: { path: { name } } })),
    refetchInterval: live ? false : fallbackPollMs,
    retry: (count, err) => count < 2 && !('status' in err && (err as { status: number }).status === 404),
  });
}

/** Puts a store (new, or changed) into the cached list, in name order. */
export function upsertStore(qc: QueryClient, store: StoreSummary) {
  qc.setQueryData<StoreSummary[]>(storesKey, (list = []) => {
    const rest = list.filter((s) => s.name !== store.name);
    return [...rest, store].sort((a, b) => a.name.localeCompare(b.name));
  });
}

export function removeStore(qc: QueryClient, name: string) {
  qc.setQueryData<StoreSummary[]>(storesKey, (list = []) => list.filter((s) => s.name !== name));
}

import type { StoreListQuery, StoreplaneClient, StoreSummary } from '../api/client/client.ts';
import { ok } from './connection.ts';

/** Every store the caller may see, all pages, with the list's filters. */
export async function allStores(
  client: StoreplaneClient,
  query: Pick<StoreListQuery, 'phase' | 'engine' | 'owner'> = {},
): Promise<StoreSummary[]> {
  const out: StoreSummary[] = [];
  let next: string | undefined;
  do {
    const page = await ok(
      client.GET('/api/v1/stores', {
        params: { query: { ...query, limit: '500', ...(next ? { continue: next } : {}) } },
      }),
    );
    out.push(...page.stores);
    next = page.continue ?? undefined;
  } while (next);
  return out;
}

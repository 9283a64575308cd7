import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import type { StoreSummary } from '../../../src/api/client/client.ts';
import { api } from '../api/http.ts';
import { removeStore, storeKey, storesKey, upsertStore } from './data.ts';
import { StreamContext, type StreamStatus } from './stream-status.ts';

/** How long to wait before opening a stream the browser gave up on (it retries dropped ones itself). */
const reopenMs = 5_000;

/**
 * The live store list: one Server-Sent Events stream per signed-in tab. Its snapshot replaces
 * the cached list and each change updates it (and refreshes that store's page); the browser
 * resumes a dropped stream with Last-Event-ID. While it is down, queries poll (data.ts).
 */
export function StoreStreamProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const [status, setStatus] = useState<StreamStatus>('connecting');

  useEffect(() => {
    let source: EventSource | undefined;
    let reopen: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const open = () => {
      source = new EventSource('/api/v1/stores/stream');
      source.onopen = () => setStatus('live');
      source.addEventListener('snapshot', (e) => {
        const { stores } = JSON.parse((e as MessageEvent<string>).data) as { stores: StoreSummary[] };
        qc.setQueryData(
          storesKey,
          [...stores].sort((a, b) => a.name.localeCompare(b.name)),
        );
        setStatus('live');
      });
      source.addEventListener('store', (e) => {
        const change = JSON.parse((e as MessageEvent<string>).data) as {
          type: 'upsert' | 'delete';
          store: StoreSummary;
        };
        if (change.type === 'delete') removeStore(qc, change.store.name);
        else upsertStore(qc, change.store);
        void qc.invalidateQueries({ queryKey: storeKey(change.store.name) });
      });
      source.onerror = () => {
        setStatus('offline');
        if (source?.readyState === EventSource.CLOSED && !stopped) {
          // The server refused the stream (e.g. the session ended): a request tells the session
          // layer (a 401 signs the user out); otherwise try again in a while.
          void api.GET('/api/v1/session');
          reopen = setTimeout(open, reopenMs);
        }
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(reopen);
      source?.close();
    };
  }, [qc]);

  return <StreamContext.Provider value={status}>{children}</StreamContext.Provider>;
}

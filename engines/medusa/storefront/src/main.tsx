import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { Loading, Notice } from './components/Status.tsx';
import { loadStoreConfig, type StoreConfig } from './lib/runtime-config.ts';
import { StoreApi } from './lib/store-api.ts';
import { StoreProvider } from './lib/store-context.tsx';
import type { Region } from './lib/types.ts';
import './styles.css';

interface Boot {
  config: StoreConfig;
  api: StoreApi;
  region: Region;
}

/** Reads the run-time configuration and the store's region before showing any page. */
async function boot(): Promise<Boot> {
  const config = await loadStoreConfig();
  const api = new StoreApi(config.backendUrl, config.publishableKey);
  const regions = await api.regions();
  const region = regions.find((r) => r.currency_code === config.currency) ?? regions[0];
  if (!region) throw new Error('The store has no region to sell in yet.');
  document.title = config.storeName;
  return { config, api, region };
}

function Root() {
  const [state, setState] = useState<{ boot?: Boot; error?: string }>({});
  useEffect(() => {
    boot().then(
      (b) => setState({ boot: b }),
      (err: unknown) => setState({ error: err instanceof Error ? err.message : String(err) }),
    );
  }, []);
  if (state.error) {
    return (
      <main className="page">
        <Notice kind="error" title="The store is not available right now">
          {state.error} Please try again in a moment.
        </Notice>
      </main>
    );
  }
  if (!state.boot) return <Loading label="Opening the store…" />;
  return (
    <StoreProvider config={state.boot.config} api={state.boot.api} region={state.boot.region}>
      <App />
    </StoreProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);

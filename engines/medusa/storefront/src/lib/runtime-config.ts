/**
 * Run-time configuration: the storefront server's /config.json says where the backend is
 * (empty = same origin), and the backend's /storeplane/config gives the publishable key.
 */
export interface StoreConfig {
  backendUrl: string;
  publishableKey: string;
  storeName: string;
  currency: string;
}

async function getJson<T>(url: string, what: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json' }, cache: 'no-store' });
  } catch {
    throw new Error(`Could not reach ${what}.`);
  }
  if (!res.ok) throw new Error(`${what} answered ${res.status}.`);
  return (await res.json()) as T;
}

export async function loadStoreConfig(): Promise<StoreConfig> {
  const { backendUrl = '' } = await getJson<{ backendUrl?: string }>(
    '/config.json',
    'the storefront configuration',
  );
  const base = backendUrl.replace(/\/+$/, '');
  const store = await getJson<Omit<StoreConfig, 'backendUrl'>>(`${base}/storeplane/config`, 'the store');
  if (!store.publishableKey) throw new Error('The store is not set up yet.');
  return { backendUrl: base, ...store };
}

import type { CoreV1Event } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Store } from '../store/schema.ts';
import type { ApiConfig } from './config.ts';
import type { PlatformDb } from './db/platform-db.ts';
import type { ApiMetrics } from './http/metrics.ts';

/** The informer cache of Stores: what the API reads. */
export interface StoreReader {
  synced(): boolean;
  list(): readonly Store[];
  get(name: string): Store | undefined;
  /** Takes in the API's own write, so the writer's next read shows it (read-your-writes). */
  observe(store: Store): void;
  /** Takes in the API's own delete that removed the store at once. */
  observeDeleted(store: Store): void;
}

/** The Kubernetes calls the API makes; the only place it writes to the cluster. */
export interface StoreCluster {
  /** A fresh list from the API server (not the cache): quotas are counted on it. */
  listFresh(): Promise<Store[]>;
  create(store: Store): Promise<Store>;
  /** The store as the delete left it (with its deletionTimestamp), or undefined if it went at once. */
  delete(name: string): Promise<Store | undefined>;
  requestRetry(name: string, at: string): Promise<Store>;
  events(store: Store): Promise<CoreV1Event[]>;
  /** The store's credentials Secret data (decoded), or undefined while it does not exist. */
  credentials(store: Store): Promise<Record<string, string> | undefined>;
}

export interface ApiContext {
  db: PlatformDb;
  config: ApiConfig;
  stores: StoreReader;
  cluster: StoreCluster;
  metrics: ApiMetrics;
  log: Logger;
}

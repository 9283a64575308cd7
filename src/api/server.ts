import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { makeClients } from '../kube/clients.ts';
import { buildApi } from './app.ts';
import type { ApiConfig } from './config.ts';
import type { ApiContext } from './context.ts';
import { openPlatformDb } from './db/connect.ts';
import { apiMetrics } from './http/metrics.ts';
import { bootstrapAdmin, type BootstrapResult } from './identity/bootstrap.ts';
import { storeCluster } from './stores/cluster.ts';
import { StoreDirectory } from './stores/directory.ts';
import { ChangeFeed } from './stream/feed.ts';

export interface ApiServerOptions {
  kc: KubeConfig;
  dataDir: string;
  /** postgres://… from the environment (never argv); absent: SQLite in dataDir. */
  databaseUrl?: string;
  host: string;
  port: number;
  config: ApiConfig;
  adminPasswordFile?: string;
  log: Logger;
  /** The built dashboard to serve at `/` (web/dist), when there is one. */
  dashboardDir?: string;
}

export interface ApiServer {
  url: string;
  bootstrap: BootstrapResult;
  close(): Promise<void>;
}

/** Opens the DB (migrating it), seeds the first admin, starts the Store cache, and listens. */
export async function startApiServer(o: ApiServerOptions): Promise<ApiServer> {
  const db = await openPlatformDb({ databaseUrl: o.databaseUrl, dataDir: o.dataDir, log: o.log });
  const bootstrap = await bootstrapAdmin(db, o.dataDir, o.adminPasswordFile);
  const clients = await makeClients(o.kc, { timeoutMs: 15_000 });
  const directory = new StoreDirectory({
    kc: o.kc,
    custom: clients.custom,
    log: o.log.child({ component: 'store-cache' }),
  });
  const feed = new ChangeFeed({ source: directory });
  const shutdown = new AbortController();
  const ctx: ApiContext = {
    db,
    config: o.config,
    stores: directory,
    cluster: storeCluster(clients, o.log),
    metrics: apiMetrics(() => directory),
    log: o.log,
  };
  const app = await buildApi(
    ctx,
    { feed, directory, signal: shutdown.signal },
    {
      loggerInstance: o.log,
      ...(o.dashboardDir ? { dashboardDir: o.dashboardDir } : {}),
    },
  );
  // Not awaited: the server answers /healthz at once and /readyz says when the cache is in.
  directory.start().catch((err: unknown) => o.log.error({ err }, 'the store cache did not start'));
  const address = await app.listen({ host: o.host, port: o.port });
  const sweep = setInterval(() => {
    const now = new Date().toISOString();
    Promise.all([db.sessions.deleteExpired(now), db.idempotency.deleteExpired(now)]).catch((err: unknown) =>
      o.log.warn({ err }, 'could not delete expired sessions and idempotency keys'),
    );
  }, 10 * 60_000);
  sweep.unref();
  return {
    url: address,
    bootstrap,
    async close() {
      clearInterval(sweep);
      shutdown.abort();
      await app.close();
      await directory.stop();
      clients.close();
      await db.close();
    },
  };
}

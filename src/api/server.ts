import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
  /**
   * Where to serve /metrics instead of the public port: behind an Ingress the public port is the
   * world's, and the metrics (stores by phase, request counts) are for Prometheus only.
   */
  metricsAddress?: { host: string; port: number };
}

export interface ApiServer {
  url: string;
  /** The /metrics listener's URL, when metricsAddress was given. */
  metricsUrl?: string;
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
      metricsRoute: !o.metricsAddress,
    },
  );
  const metricsServer = o.metricsAddress ? await serveMetrics(ctx, o.metricsAddress) : undefined;
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
  const m = metricsServer?.address() as AddressInfo | undefined;
  return {
    url: address,
    ...(m ? { metricsUrl: `http://${m.family === 'IPv6' ? `[${m.address}]` : m.address}:${m.port}` } : {}),
    bootstrap,
    async close() {
      clearInterval(sweep);
      metricsServer?.close();
      shutdown.abort();
      await app.close();
      await directory.stop();
      clients.close();
      await db.close();
    },
  };
}

/** GET /metrics on a listener of its own; anything else is 404. */
async function serveMetrics(ctx: ApiContext, at: { host: string; port: number }): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    ctx.metrics.registry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': ctx.metrics.registry.contentType }).end(body),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(at.port, at.host, resolve);
  });
  return server;
}

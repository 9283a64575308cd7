import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApi } from './app.ts';
import { apiConfig } from './config.ts';
import type { ApiContext, StoreCluster, StoreReader } from './context.ts';
import { openPlatformDb } from './db/connect.ts';
import type { PlatformDb } from './db/platform-db.ts';
import { apiMetrics } from './http/metrics.ts';
import type { StoreDirectory } from './stores/directory.ts';
import { ChangeFeed } from './stream/feed.ts';

/**
 * The API as Fastify builds it, without a cluster or a network: a throwaway SQLite database, an
 * empty store cache that says it is synced, and a cluster whose every call throws. For what
 * needs the routes and their schemas only: the OpenAPI document, the typed client, tests of both.
 */
export interface OfflineApi {
  app: FastifyInstance;
  /** Its database (tests add users and tokens here). */
  db: PlatformDb;
  close(): Promise<void>;
}

export async function buildOfflineApi(): Promise<OfflineApi> {
  const dataDir = await mkdtemp(join(tmpdir(), 'storeplane-openapi-'));
  const log = pino({ level: 'silent' });
  const stores: StoreReader = {
    synced: () => true,
    list: () => [],
    get: () => undefined,
    observe: () => {},
    observeDeleted: () => {},
  };
  const offline = (): never => {
    throw new Error('no cluster: this API instance was built for its OpenAPI document only');
  };
  const cluster: StoreCluster = {
    listFresh: async () => offline(),
    create: async () => offline(),
    delete: async () => offline(),
    requestRetry: async () => offline(),
    events: async () => offline(),
    credentials: async () => offline(),
  };
  const db = await openPlatformDb({ dataDir });
  const ctx: ApiContext = {
    db,
    config: apiConfig(),
    stores,
    cluster,
    metrics: apiMetrics(() => stores),
    log,
  };
  const shutdown = new AbortController();
  const feed = new ChangeFeed();
  const cleanup = async () => {
    shutdown.abort();
    feed.close();
    await db.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  let app: FastifyInstance;
  try {
    app = await buildApi(
      ctx,
      { feed, directory: stores as unknown as StoreDirectory, signal: shutdown.signal },
      { loggerInstance: log },
    );
    await app.ready();
  } catch (err) {
    await cleanup();
    throw err;
  }
  return {
    app,
    db,
    async close() {
      await app.close();
      await cleanup();
    },
  };
}

/** The OpenAPI 3.1 document of the API, exactly as GET /api/v1/openapi.json serves it. */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const api = await buildOfflineApi();
  try {
    // A JSON round trip: the document as a client receives it (no undefined, no shared objects).
    return JSON.parse(JSON.stringify(api.app.swagger())) as Record<string, unknown>;
  } finally {
    await api.close();
  }
}

/** The document as it is committed in src/api/client/openapi.json. */
export function openApiJson(document: Record<string, unknown>): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

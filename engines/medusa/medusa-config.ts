import { defineConfig, loadEnv } from '@medusajs/framework/utils';

// Everything comes from the environment: one image serves every store, and the Helm chart
// (charts/medusa-store) sets these per store. See README.md, "Image contract".
loadEnv(process.env.NODE_ENV || 'development', process.cwd());
// No usage data leaves a store (the entry point and the image set this too).
process.env.MEDUSA_DISABLE_TELEMETRY ??= 'true';

const env = process.env;
const redisUrl = env.REDIS_URL || undefined;

// With REDIS_URL the event bus, workflow engine, cache and locks are shared through Redis, so
// more than one replica can run; without it Medusa uses its in-memory modules (one replica only).
const redisModules = redisUrl
  ? [
      { resolve: '@medusajs/medusa/event-bus-redis', options: { redisUrl } },
      { resolve: '@medusajs/medusa/workflow-engine-redis', options: { redis: { url: redisUrl } } },
      { resolve: '@medusajs/medusa/cache-redis', options: { redisUrl } },
      {
        resolve: '@medusajs/medusa/locking',
        options: {
          providers: [
            {
              resolve: '@medusajs/medusa/locking-redis',
              id: 'locking-redis',
              is_default: true,
              options: { redisUrl },
            },
          ],
        },
      },
    ]
  : [];

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: env.DATABASE_URL,
    redisUrl,
    workerMode: (env.MEDUSA_WORKER_MODE as 'shared' | 'worker' | 'server' | undefined) || 'shared',
    http: {
      storeCors: env.STORE_CORS || 'http://localhost:8000',
      adminCors: env.ADMIN_CORS || 'http://localhost:9000',
      authCors: env.AUTH_CORS || 'http://localhost:8000,http://localhost:9000',
      // Medusa refuses to start in production without these; the dev fallback never ships.
      jwtSecret: env.JWT_SECRET || (env.NODE_ENV === 'production' ? undefined : 'dev-only-jwt-secret'),
      cookieSecret:
        env.COOKIE_SECRET || (env.NODE_ENV === 'production' ? undefined : 'dev-only-cookie-secret'),
    },
  },
  // The admin dashboard, served by the server at /app. `medusa build` bakes these into the
  // dashboard's bundle, so nothing here may come from a store's environment: one image serves
  // every store. backendUrl '/' makes the dashboard call /admin and /auth on the origin it was
  // loaded from, which behind the store's Ingress is the server. See README.md, "Admin UI".
  admin: {
    disable: false,
    path: '/app',
    backendUrl: '/',
  },
  modules: redisModules,
});

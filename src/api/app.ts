import { randomBytes, randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import csrf from '@fastify/csrf-protection';
import helmet from '@fastify/helmet';
import session from '@fastify/session';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import Type from 'typebox';
import { auditRoutes } from './audit/routes.ts';
import { registerAudit } from './audit/audit.ts';
import type { ApiContext } from './context.ts';
import {
  clientErrorHandler,
  frameworkError,
  handleError,
  maxParamLength,
  notFound,
  toApiError,
} from './http/errors.ts';
import { ApiErrorSchema } from './http/schemas.ts';
import { registerAuthentication } from './identity/authenticate.ts';
import { identityRoutes } from './identity/routes.ts';
import { dbSessionStore } from './identity/session-store.ts';
import { userRoutes } from './identity/users-routes.ts';
import { registerRateLimits } from './limits/rate-limit.ts';
import { storeRoutes } from './stores/routes.ts';
import { streamRoutes, type StreamDeps } from './stores/stream-route.ts';
import { platformRoutes } from './platform/routes.ts';
import { dashboardRoutes } from './web/dashboard.ts';
import { version } from './version.ts';

export interface BuildOptions {
  /** A pino logger: the app's request logs go there, with credentials redacted. */
  loggerInstance: ApiContext['log'];
  /** The built dashboard (web/dist) served at `/`; absent: no dashboard, the API alone. */
  dashboardDir?: string;
  /** false: /metrics is served on a listener of its own (server.ts), not on this public one. */
  metricsRoute?: boolean;
}

/**
 * The platform API as a Fastify instance: plugins in the order they must run (security headers,
 * cookies and sessions, authentication, audit, rate limits) and the routes of each context.
 */
export async function buildApi(
  ctx: ApiContext,
  stream: StreamDeps,
  opts: BuildOptions,
): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: opts.loggerInstance,
    bodyLimit: ctx.config.bodyLimit,
    trustProxy: ctx.config.trustProxy,
    // Our ids, not the client's: a client-chosen id could forge or collide with log lines.
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true, allErrors: true },
    },
    routerOptions: { maxParamLength },
    // URLs the router cannot read and requests Node's parser refuses: the one error shape too.
    frameworkErrors: frameworkError,
    clientErrorHandler,
  }) as unknown as FastifyInstance; // the pino Logger type is wider than Fastify's base logger
  app.addSchema(ApiErrorSchema);
  // JSON only: Fastify's text/plain parser would hand a string to routes that expect an object.
  app.removeContentTypeParser('text/plain');
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Storeplane API',
        version,
        description:
          'Provision e-commerce stores (WooCommerce, MedusaJS) on Kubernetes. Errors: {error: {code, message, details?, requestId}}.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'A personal API token (spt_…).' },
          session: { type: 'apiKey', in: 'cookie', name: 'storeplane_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _frag, i) => String(json.$id ?? `def-${i}`) },
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        // Helmet's default would make browsers fetch the dashboard's scripts over https from a
        // plain-http origin (a LAN address, an Ingress without TLS): a blank page. TLS is the
        // Ingress's job; HSTS is set where it terminates.
        upgradeInsecureRequests: null,
      },
    },
    // HSTS only where the API is reached over TLS (the proxy in front sets it otherwise).
    strictTransportSecurity: false,
  });
  if (ctx.config.corsOrigins.length) {
    await app.register(cors, { origin: ctx.config.corsOrigins, credentials: true });
  }
  const secret = await ctx.db.settings.getOrInit('session-secret', randomBytes(48).toString('base64url'));
  await app.register(cookie);
  await app.register(session, {
    secret,
    cookieName: 'storeplane_session',
    saveUninitialized: false,
    rolling: false,
    store: dbSessionStore(ctx.db, ctx.config.sessionTtlSeconds),
    cookie: {
      httpOnly: true,
      sameSite: 'strict',
      // Secure is set per request when it came over TLS (see markSecureOverTls); the plugin's own
      // 'auto' would also weaken SameSite to Lax over plain HTTP.
      secure: false,
      path: '/',
      maxAge: ctx.config.sessionTtlSeconds * 1000,
    },
  });
  await app.register(csrf, { sessionPlugin: '@fastify/session' });

  const touched = new Map<string, number>();
  registerAuthentication(app, ctx.db, (id) => {
    // last-used time to the minute: one write per token per minute, not one per request
    const now = Date.now();
    if ((touched.get(id) ?? 0) > now - 60_000) return;
    touched.set(id, now);
    ctx.db.tokens
      .touch(id, new Date(now).toISOString())
      .catch((err: unknown) => app.log.warn({ err }, 'token touch failed'));
  });
  registerAudit(app, ctx.db);
  await registerRateLimits(app, ctx.db, ctx.config.rateLimits, (request, limit) => {
    ctx.metrics.rateLimited.inc({ limit });
    request.auditDetails = { ...request.auditDetails, limit };
  });

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', String(request.id));
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    ctx.metrics.requestDuration.observe(
      {
        route: request.routeOptions.url ?? 'unmatched',
        method: request.method,
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    if (reply.statusCode === 401)
      ctx.metrics.authFailures.inc({ reason: request.authFailure ?? 'unauthorized' });
  });
  app.setErrorHandler((err, request, reply) => {
    const known = toApiError(err);
    if (known) request.auditDetails = { ...request.auditDetails, error: known.code };
    return handleError(err, request, reply);
  });
  app.setNotFoundHandler((request) => {
    throw notFound(`No endpoint ${request.method} ${request.url.split('?')[0]}.`);
  });
  if (opts.dashboardDir) await dashboardRoutes(app, opts.dashboardDir);

  app.get(
    '/healthz',
    { schema: { hide: true }, config: { public: true, rateLimit: false } as never },
    async () => ({ ok: true }),
  );
  app.get(
    '/readyz',
    { schema: { hide: true }, config: { public: true, rateLimit: false } as never },
    async (_request, reply) => {
      const checks = { database: await ctx.db.ping(), stores: ctx.stores.synced() };
      return reply
        .code(checks.database && checks.stores ? 200 : 503)
        .send({ ready: checks.database && checks.stores, checks });
    },
  );
  if (opts.metricsRoute !== false)
    app.get(
      '/metrics',
      { schema: { hide: true }, config: { public: true, rateLimit: false } as never },
      async (_request, reply) =>
        reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics()),
    );
  app.get('/api/v1/openapi.json', { schema: { hide: true }, config: { public: true } }, async () =>
    app.swagger(),
  );
  app.get(
    '/api/v1/limits',
    {
      schema: {
        tags: ['session'],
        summary: 'The platform’s limits as they apply to you.',
        response: {
          200: Type.Object({
            storeLimit: Type.Integer(),
            globalStoreCap: Type.Integer(),
            provisioningPerUser: Type.Integer(),
            rateLimits: Type.Record(
              Type.String(),
              Type.Object({ max: Type.Integer(), windowSeconds: Type.Integer() }),
            ),
          }),
        },
      },
    },
    async (request) => ({
      storeLimit: request.actor!.user.storeLimit ?? ctx.config.limits.storeLimit,
      globalStoreCap: ctx.config.limits.globalStoreCap,
      provisioningPerUser: ctx.config.limits.provisioningPerUser,
      rateLimits: Object.fromEntries(
        Object.entries(ctx.config.rateLimits).map(([k, r]) => [
          k,
          { max: r.max, windowSeconds: Math.round(r.windowMs / 1000) },
        ]),
      ),
    }),
  );

  identityRoutes(app, ctx);
  userRoutes(app, ctx);
  streamRoutes(app, ctx, stream);
  storeRoutes(app, ctx);
  auditRoutes(app, ctx);
  platformRoutes(app, ctx);
  return app;
}

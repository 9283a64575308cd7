import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { ApiContext } from '../context.ts';
import { ApiError, notFound, unauthorized } from '../http/errors.ts';
import { LoginGuard } from '../limits/login-guard.ts';
import { routeLimit } from '../limits/rate-limit.ts';
import { effectiveScopes, scopesAllowedFor } from './actor.ts';
import { markSecureOverTls } from './authenticate.ts';
import { decoyHash, verifyPassword } from './passwords.ts';
import { mintToken } from './tokens.ts';
import { CreateTokenBody, LoginBody, SessionView, TokenView, tokenView, userView } from './views.ts';

const ErrorRef = { $ref: 'ApiError#' };

/** Sign in and out, who am I, and personal API tokens. */
export function identityRoutes(app: FastifyInstance, ctx: ApiContext) {
  const guard = new LoginGuard(ctx.db, ctx.config.rateLimits);

  const sessionView = (request: FastifyRequest, csrfToken?: string) => {
    const actor = request.actor!;
    const owned = ctx.stores.list().filter((s) => s.spec.owner === actor.user.username).length;
    return {
      user: userView(actor.user),
      via: actor.via,
      scopes: [...actor.scopes],
      ...(csrfToken ? { csrfToken } : {}),
      limits: { storeLimit: actor.user.storeLimit ?? ctx.config.limits.storeLimit, stores: owned },
    };
  };

  app.post(
    '/api/v1/session',
    {
      schema: {
        tags: ['session'],
        summary: 'Sign in with a password; sets the session cookie and returns the CSRF token.',
        body: LoginBody,
        response: { 200: SessionView, 401: ErrorRef, 429: ErrorRef },
      },
      config: {
        public: true,
        action: 'session.login',
        ...routeLimit('login', ctx.config.rateLimits.login, (r) => `ip:${r.ip}`),
      },
    },
    async (request, reply) => {
      const { username, password } = request.body as { username: string; password: string };
      request.auditActorName = username.slice(0, 64);
      request.auditTarget = `user:${username.slice(0, 64)}`;
      await guard.check(username, request.ip);
      const user = await ctx.db.users.byUsername(username);
      const ok = await verifyPassword(user?.passwordHash ?? (await decoyHash()), password);
      if (!user || !ok || user.disabled) {
        await guard.failed(username, request.ip);
        request.authFailure = !user ? 'unknown user' : !ok ? 'wrong password' : 'user disabled';
        ctx.metrics.authFailures.inc({ reason: 'login' });
        throw unauthorized('Wrong user name or password, or the account is disabled.');
      }
      await guard.succeeded(username);
      await request.session.regenerate();
      markSecureOverTls(request);
      request.session.userId = user.id;
      request.actor = { user, via: 'session', scopes: effectiveScopes(user.role) };
      return reply.send(sessionView(request, reply.generateCsrf()));
    },
  );

  app.get(
    '/api/v1/session',
    {
      schema: {
        tags: ['session'],
        summary: 'Who is calling, with which scopes, and (for a session) the CSRF token.',
        response: { 200: SessionView, 401: ErrorRef },
      },
    },
    async (request, reply) =>
      sessionView(request, request.actor?.via === 'session' ? reply.generateCsrf() : undefined),
  );

  app.delete(
    '/api/v1/session',
    {
      schema: {
        tags: ['session'],
        summary: 'Sign out (ends this session).',
        querystring: Type.Object(
          { everywhere: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])) },
          {
            additionalProperties: false,
          },
        ),
        response: { 204: Type.Null(), 401: ErrorRef },
      },
      config: { action: 'session.logout' },
    },
    async (request, reply) => {
      const actor = request.actor!;
      if ((request.query as { everywhere?: string }).everywhere === 'true') {
        const n = await ctx.db.sessions.destroyForUser(actor.user.id);
        request.auditDetails = { sessionsEnded: n };
      }
      if (actor.via === 'session') await request.session.destroy();
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Your API tokens (never their values).',
        response: { 200: Type.Object({ tokens: Type.Array(TokenView) }) },
      },
    },
    async (request) => ({
      tokens: (await ctx.db.tokens.listForUser(request.actor!.user.id))
        .filter((t) => !t.revokedAt)
        .map(tokenView),
    }),
  );

  app.post(
    '/api/v1/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token. Its value is in this response only.',
        body: CreateTokenBody,
        response: { 201: Type.Intersect([TokenView, Type.Object({ token: Type.String() })]), 400: ErrorRef },
      },
      config: { action: 'token.create' },
    },
    async (request, reply) => {
      const actor = request.actor!;
      if (actor.via === 'token') {
        throw new ApiError(
          403,
          'forbidden',
          'Tokens are created from a signed-in session, not with another token.',
        );
      }
      const body = request.body as { name: string; scopes: string[]; expiresInDays?: number | null };
      const allowed = scopesAllowedFor(actor.user.role);
      const beyond = body.scopes.filter((s) => !allowed.includes(s as never));
      if (beyond.length) {
        throw new ApiError(403, 'forbidden', `Your role cannot grant: ${beyond.join(', ')}.`, {
          scopes: beyond,
        });
      }
      const days = body.expiresInDays === undefined ? 30 : body.expiresInDays;
      const now = new Date();
      const minted = mintToken();
      const token = await ctx.db.tokens.create({
        id: minted.id,
        userId: actor.user.id,
        name: body.name,
        scopes: body.scopes,
        tokenHash: minted.hash,
        createdAt: now.toISOString(),
        expiresAt: days === null ? null : new Date(now.getTime() + days * 86_400_000).toISOString(),
      });
      request.auditTarget = `token:${token.id}`;
      request.auditDetails = { name: body.name, scopes: body.scopes, expiresAt: token.expiresAt };
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ ...tokenView(token), token: minted.token });
    },
  );

  app.delete(
    '/api/v1/tokens/:id',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Revoke one of your API tokens.',
        params: Type.Object({ id: Type.String({ pattern: '^[a-z0-9]{12}$' }) }),
        response: { 204: Type.Null(), 404: ErrorRef },
      },
      config: { action: 'token.revoke' },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      request.auditTarget = `token:${id}`;
      if (!(await ctx.db.tokens.revoke(request.actor!.user.id, id, new Date().toISOString()))) {
        throw notFound(`You have no token "${id}".`);
      }
      return reply.code(204).send();
    },
  );
}

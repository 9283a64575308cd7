import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlatformDb } from '../db/platform-db.ts';
import { ApiError, forbidden, unauthorized } from '../http/errors.ts';
import { type Actor, effectiveScopes, isAdmin } from './actor.ts';
import { hashSecret, looksLikeToken, type Scope } from './tokens.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
    /** Why authentication failed, for the audit log and the metrics (never the credential). */
    authFailure?: string;
  }
  interface FastifyContextConfig {
    /** Routes anyone may call (health, login, the OpenAPI document). */
    public?: boolean;
    /** The scope a route needs; admin routes need `admin` (and the admin role). */
    scope?: Scope;
    /** Name of the action in the audit log, e.g. `store.create`. */
    action?: string;
  }
}

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Who is calling: a Bearer token, or else the session cookie. Runs on every request after the
 * session plugin; routes not marked public refuse anonymous callers with 401, callers without
 * the route's scope with 403, and cookie-authenticated unsafe requests without the CSRF token.
 */
export function registerAuthentication(
  app: FastifyInstance,
  db: PlatformDb,
  onTokenUse: (id: string) => void,
) {
  app.decorateRequest('actor', undefined);
  app.decorateRequest('authFailure', undefined);

  // Who is calling: never refuses, so the rate limits (route onRequest hooks, which run after
  // this one) count anonymous and failed callers by IP before anything is refused.
  app.addHook('onRequest', async (request) => {
    markSecureOverTls(request);
    const header = request.headers.authorization;
    if (header !== undefined) {
      request.actor = await fromToken(db, header, request);
      if (request.actor?.tokenId) onTokenUse(request.actor.tokenId);
    } else if (request.session?.userId) {
      const user = await db.users.byId(request.session.userId);
      if (user && !user.disabled) {
        request.actor = { user, via: 'session', scopes: effectiveScopes(user.role) };
      } else {
        request.authFailure = user ? 'user disabled' : 'session of a deleted user';
        await request.session.destroy();
      }
    }
  });

  // What the caller may do: before the body is parsed, after the rate limits.
  app.addHook('preParsing', async (request, reply, payload) => {
    const config = request.routeOptions.config;
    if (config.public) return payload;
    if (!request.actor) {
      request.authFailure ??= 'no credentials';
      throw unauthorized(
        request.authFailure === 'no credentials'
          ? undefined
          : request.authFailure === 'malformed Authorization header'
            ? 'The Authorization header must be "Bearer spt_…" with a Storeplane API token.'
            : 'Your session or token is not valid (expired, revoked, or the user is disabled). Sign in again.',
      );
    }
    if (request.actor.via === 'session' && unsafe.has(request.method)) {
      await new Promise<void>((resolve, reject) =>
        app.csrfProtection(request, reply, (err?: Error) => (err ? reject(err) : resolve())),
      );
    }
    requireScope(request, config.scope);
    return payload;
  });
}

/** The session cookie gets `Secure` when the request came over TLS (directly or via a trusted proxy). */
export function markSecureOverTls(request: FastifyRequest) {
  if (request.protocol === 'https' && request.session) request.session.cookie.secure = true;
}

async function fromToken(
  db: PlatformDb,
  header: string,
  request: FastifyRequest,
): Promise<Actor | undefined> {
  const match = /^Bearer ([^\s]+)$/.exec(header);
  if (!match || !looksLikeToken(match[1]!)) {
    request.authFailure = 'malformed Authorization header';
    return undefined;
  }
  const token = await db.tokens.byHash(hashSecret(match[1]!), new Date().toISOString());
  if (!token) {
    request.authFailure = 'unknown, expired or revoked token';
    return undefined;
  }
  const user = await db.users.byId(token.userId);
  if (!user || user.disabled) {
    request.authFailure = 'token of a disabled user';
    return undefined;
  }
  return { user, via: 'token', tokenId: token.id, scopes: effectiveScopes(user.role, token.scopes) };
}

function requireScope(request: FastifyRequest, scope: Scope | undefined) {
  const actor = request.actor;
  if (!actor || !scope) return;
  if (scope === 'admin') {
    if (!isAdmin(actor)) throw forbidden('Only administrators can do this.', { requiredScope: 'admin' });
    return;
  }
  if (!actor.scopes.has(scope)) {
    throw new ApiError(403, 'insufficient_scope', `This token lacks the "${scope}" scope.`, {
      requiredScope: scope,
    });
  }
}

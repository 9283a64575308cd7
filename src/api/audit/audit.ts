import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PlatformDb } from '../db/platform-db.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** What the request acted on, for the audit log, e.g. `store:bike-parts`. */
    auditTarget?: string;
    /** Extra facts for the audit log; never a secret. */
    auditDetails?: Record<string, unknown>;
    /** The actor's name when there is no authenticated actor (a failed login names its user). */
    auditActorName?: string;
  }
}

const reads = new Set(['GET', 'HEAD', 'OPTIONS']);
const refusals = new Set([401, 403, 429]);

/**
 * Whether a finished request goes in the audit log: every mutating request, and every refusal
 * (bad credentials, forbidden, rate limited) and every reveal, whatever its method.
 */
export function isAudited(
  method: string,
  status: number,
  action: string | undefined,
  anonymousWhoAmI = false,
): boolean {
  // "Who am I?" asked with no credentials at all is how the dashboard learns that nobody is
  // signed in: every visit to the sign-in page, not a refusal worth a line.
  if (anonymousWhoAmI) return false;
  return !reads.has(method) || refusals.has(status) || action === 'store.credentials.reveal';
}

export function outcomeOf(status: number): 'success' | 'refused' | 'failure' {
  if (status < 400) return 'success';
  return status < 500 ? 'refused' : 'failure';
}

export function registerAudit(app: FastifyInstance, db: PlatformDb) {
  app.decorateRequest('auditTarget', undefined);
  app.decorateRequest('auditDetails', undefined);
  app.decorateRequest('auditActorName', undefined);
  app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const action = request.routeOptions.config.action;
    const whoAmI =
      request.method === 'GET' &&
      request.routeOptions.url === '/api/v1/session' &&
      request.authFailure === 'no credentials';
    if (!isAudited(request.method, reply.statusCode, action, whoAmI)) return;
    try {
      await db.audit.append({
        time: new Date().toISOString(),
        actor_id: request.actor?.user.id ?? null,
        actor: request.actor?.user.username ?? request.auditActorName ?? null,
        action: action ?? `${request.method} ${request.routeOptions.url ?? 'unknown route'}`,
        target: request.auditTarget ?? null,
        outcome: outcomeOf(reply.statusCode),
        status: reply.statusCode,
        ip: request.ip,
        request_id: String(request.id),
        details: {
          ...(request.actor?.via === 'token' ? { token: request.actor.tokenId } : {}),
          ...(request.authFailure ? { authFailure: request.authFailure } : {}),
          ...request.auditDetails,
        },
      });
    } catch (err) {
      request.log.error({ err }, 'could not write the audit log');
    }
  });
}

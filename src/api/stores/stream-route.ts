import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiContext } from '../context.ts';
import type { Actor } from '../identity/actor.ts';
import { canSee } from '../identity/actor.ts';
import { hashSecret } from '../identity/tokens.ts';
import type { ChangeFeed } from '../stream/feed.ts';
import { streamStores } from '../stream/sse.ts';
import type { StoreDirectory } from './directory.ts';
import { cachedSummary } from './view.ts';

export interface StreamDeps {
  feed: ChangeFeed;
  directory: StoreDirectory;
  /** Aborted at shutdown: open streams end so the server can close. */
  signal: AbortSignal;
}

/** How often an open stream checks that its session or token is still good. */
const recheckMs = 30_000;

/**
 * Whether the credential a stream was opened with still holds: the user not disabled, the
 * session not ended or expired, the token not revoked or expired. A stream outlives any single
 * request, so it must not outlive the right to read.
 */
async function stillAllowed(ctx: ApiContext, request: FastifyRequest, actor: Actor): Promise<boolean> {
  const user = await ctx.db.users.byId(actor.user.id);
  if (!user || user.disabled) return false;
  const now = new Date().toISOString();
  if (actor.via === 'token') {
    const bearer = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
    return (await ctx.db.tokens.byHash(hashSecret(bearer), now)) !== undefined;
  }
  return (await ctx.db.sessions.get(hashSecret(request.session.sessionId), now)) !== undefined;
}

export function streamRoutes(app: FastifyInstance, ctx: ApiContext, deps: StreamDeps) {
  app.get(
    '/api/v1/stores/stream',
    {
      schema: {
        tags: ['stores'],
        summary:
          'Server-Sent Events: `snapshot` ({stores}) first, then `store` ({type: upsert|delete, store}) for each change to your stores; send Last-Event-ID to resume.',
        response: {
          200: {
            description: 'An event stream.',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
        },
      },
      config: { scope: 'stores:read' },
    },
    (request, reply) => {
      const actor = request.actor!;
      const revoked = new AbortController();
      const timer = setInterval(() => {
        stillAllowed(ctx, request, actor).then(
          (ok) => {
            if (!ok) revoked.abort();
          },
          (err: unknown) => request.log.warn({ err }, 'could not re-check a stream’s credential'),
        );
      }, ctx.config.streamRecheckMs ?? recheckMs);
      timer.unref();
      request.raw.once('close', () => clearInterval(timer));
      return streamStores(request, reply, {
        feed: deps.feed,
        directory: deps.directory,
        visible: (s) => canSee(actor, s.spec.owner),
        heartbeatMs: ctx.config.heartbeatMs,
        toView: cachedSummary,
        signal: AbortSignal.any([deps.signal, revoked.signal]),
      });
    },
  );
}

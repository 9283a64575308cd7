import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.ts';
import { canSee } from '../identity/actor.ts';
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
      return streamStores(request, reply, {
        feed: deps.feed,
        directory: deps.directory,
        visible: (s) => canSee(actor, s.spec.owner),
        heartbeatMs: ctx.config.heartbeatMs,
        toView: cachedSummary,
        signal: deps.signal,
      });
    },
  );
}

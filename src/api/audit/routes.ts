import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ApiContext } from '../context.ts';
import { isAdmin } from '../identity/actor.ts';
import { badRequest } from '../http/errors.ts';

const AuditEntryView = Type.Object({
  id: Type.Integer(),
  time: Type.String({ format: 'date-time' }),
  actor: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  target: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.Union([Type.Literal('success'), Type.Literal('refused'), Type.Literal('failure')]),
  status: Type.Integer(),
  ip: Type.Union([Type.String(), Type.Null()]),
  requestId: Type.Union([Type.String(), Type.Null()]),
  details: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
});

const AuditQuery = Type.Object(
  {
    actor: Type.Optional(Type.String({ maxLength: 128 })),
    action: Type.Optional(Type.String({ maxLength: 64, pattern: '^[a-zA-Z0-9_. /:{}-]+$' })),
    outcome: Type.Optional(
      Type.Union([Type.Literal('success'), Type.Literal('refused'), Type.Literal('failure')]),
    ),
    target: Type.Optional(Type.String({ maxLength: 128 })),
    since: Type.Optional(Type.String({ format: 'date-time' })),
    until: Type.Optional(Type.String({ format: 'date-time' })),
    before: Type.Optional(
      Type.String({ pattern: '^[0-9]{1,15}$', description: 'Entries older than this id (paging).' }),
    ),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: '1-500, default 100.' })),
  },
  { additionalProperties: false },
);

/** The audit log: admins see everyone's entries, members their own. Newest first. */
export function auditRoutes(app: FastifyInstance, ctx: ApiContext) {
  app.get(
    '/api/v1/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first; page with ?before=<last id>.',
        querystring: AuditQuery,
        response: {
          200: Type.Object({ entries: Type.Array(AuditEntryView), next: Type.Optional(Type.String()) }),
        },
      },
    },
    async (request) => {
      const q = request.query as Record<string, string | undefined>;
      const actor = request.actor!;
      const limit = q.limit === undefined ? 100 : Number(q.limit);
      if (!(limit >= 1 && limit <= 500))
        throw badRequest('limit must be between 1 and 500.', { field: 'limit' });
      let actorId: string | undefined = actor.user.id;
      if (isAdmin(actor)) {
        actorId = undefined;
        if (q.actor !== undefined) actorId = (await ctx.db.users.byUsername(q.actor))?.id ?? 'no-such-user';
      }
      const rows = await ctx.db.audit.query({
        actorId,
        action: q.action,
        outcome: q.outcome as 'success' | 'refused' | 'failure' | undefined,
        target: q.target,
        since: q.since,
        until: q.until,
        before: q.before === undefined ? undefined : Number(q.before),
        limit,
      });
      return {
        entries: rows.map((r) => ({
          id: r.id,
          time: r.time,
          actor: r.actor,
          action: r.action,
          target: r.target,
          outcome: r.outcome,
          status: r.status,
          ip: r.ip,
          requestId: r.request_id,
          details: r.details,
        })),
        ...(rows.length === limit ? { next: String(rows[rows.length - 1]!.id) } : {}),
      };
    },
  );
}

/** The audit log: append-only, read newest first in pages. */
import type { Kysely, Selectable } from 'kysely';
import type { AuditRow, PlatformDb } from './platform-db.ts';
import type { AuditLogTable, Tables } from './tables.ts';

export const AUDIT_PAGE_MAX = 500;

/** A page size between 1 and AUDIT_PAGE_MAX, whatever the caller asked. */
export function auditPageSize(limit: number): number {
  if (!Number.isFinite(limit)) return AUDIT_PAGE_MAX;
  return Math.min(AUDIT_PAGE_MAX, Math.max(1, Math.trunc(limit)));
}

export function toAuditRow(row: Selectable<AuditLogTable>): AuditRow {
  return {
    // Numbers on both backends: the PostgreSQL pool parses int8 as a number (connect.ts).
    id: Number(row.id),
    time: row.time,
    actor_id: row.actor_id,
    actor: row.actor,
    action: row.action,
    target: row.target,
    outcome: row.outcome,
    status: row.status,
    ip: row.ip,
    request_id: row.request_id,
    details: row.details === null ? null : (JSON.parse(row.details) as Record<string, unknown>),
  };
}

export function auditRepo(db: Kysely<Tables>): PlatformDb['audit'] {
  return {
    async append(e) {
      // Column by column: an entry object carrying more fields must not become more columns.
      await db
        .insertInto('audit_log')
        .values({
          time: e.time,
          actor_id: e.actor_id,
          actor: e.actor,
          action: e.action,
          target: e.target,
          outcome: e.outcome,
          status: e.status,
          ip: e.ip,
          request_id: e.request_id,
          details: e.details === undefined ? null : JSON.stringify(e.details),
        })
        .execute();
    },

    async query(q) {
      let query = db.selectFrom('audit_log').selectAll();
      if (q.actorId !== undefined) query = query.where('actor_id', '=', q.actorId);
      if (q.action !== undefined) query = query.where('action', '=', q.action);
      if (q.outcome !== undefined) query = query.where('outcome', '=', q.outcome);
      if (q.target !== undefined) query = query.where('target', '=', q.target);
      if (q.since !== undefined) query = query.where('time', '>=', q.since);
      if (q.until !== undefined) query = query.where('time', '<', q.until);
      if (q.before !== undefined) query = query.where('id', '<', q.before);
      const rows = await query.orderBy('id', 'desc').limit(auditPageSize(q.limit)).execute();
      return rows.map(toAuditRow);
    },
  };
}

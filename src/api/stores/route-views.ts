import type { CoreV1Event } from '@kubernetes/client-node';
import Type from 'typebox';
import { userNamePattern } from '../../store/naming.ts';
import { engines, phases, type Store } from '../../store/schema.ts';
import { badRequest } from '../http/errors.ts';
import { storeSummary } from './view.ts';

export const ListQuery = Type.Object(
  {
    owner: Type.Optional(Type.String({ maxLength: 128, pattern: `^(${userNamePattern}|[^\\s]+@[^\\s]+)$` })),
    phase: Type.Optional(Type.Unsafe<string>({ type: 'string', enum: [...phases] })),
    engine: Type.Optional(Type.Unsafe<string>({ type: 'string', enum: [...engines] })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$', description: '1-500, default 100.' })),
    continue: Type.Optional(
      Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', description: 'From the previous page.' }),
    ),
  },
  { additionalProperties: false },
);

/**
 * One page of stores by name. The continue token is the last name of the page (encoded), so a
 * page never repeats or skips a store that existed throughout, even as others come and go.
 */
export function pageOf<V>(
  stores: Store[],
  q: { phase?: string; engine?: string; limit?: string; continue?: string },
  view: (s: Store) => V & { phase: string },
): { stores: V[]; continue?: string } {
  const limit = q.limit === undefined ? 100 : Number(q.limit);
  if (!(limit >= 1 && limit <= 500)) throw badRequest('limit must be between 1 and 500.', { field: 'limit' });
  let after: string | undefined;
  if (q.continue !== undefined) {
    after = Buffer.from(q.continue, 'base64url').toString('utf8');
    if (!/^[a-z][-a-z0-9]{0,62}$/.test(after))
      throw badRequest('The continue token is not one this API gave.', { field: 'continue' });
  }
  const out: V[] = [];
  let last: string | undefined;
  let more = false;
  for (const s of stores) {
    if (after !== undefined && s.metadata.name <= after) continue;
    if (q.engine && s.spec.engine !== q.engine) continue;
    const v = view(s);
    if (q.phase && v.phase !== q.phase) continue;
    if (out.length === limit) {
      more = true;
      break;
    }
    out.push(v);
    last = s.metadata.name;
  }
  return { stores: out, ...(more && last ? { continue: Buffer.from(last).toString('base64url') } : {}) };
}

export const EventView = Type.Object({
  time: Type.String(),
  type: Type.String(),
  reason: Type.String(),
  message: Type.String(),
  object: Type.String({ description: 'Kind/name of what the Event is about.' }),
  count: Type.Integer(),
});
export const EventsView = Type.Object({ events: Type.Array(EventView) });

const iso = (t: unknown) => (t instanceof Date ? t.toISOString() : typeof t === 'string' ? t : '');

export function eventView(e: CoreV1Event) {
  return {
    time:
      iso(e.lastTimestamp) || iso(e.eventTime) || iso(e.firstTimestamp) || iso(e.metadata?.creationTimestamp),
    type: e.type ?? 'Normal',
    reason: e.reason ?? '',
    message: e.message ?? '',
    object: `${e.involvedObject.kind ?? ''}/${e.involvedObject.name ?? ''}`,
    count: e.count ?? 1,
  };
}

export const CredentialsView = Type.Object({
  username: Type.String({ description: 'The store admin’s login (WooCommerce user name, Medusa e-mail).' }),
  password: Type.String(),
  adminUrl: Type.Union([Type.String(), Type.Null()]),
});

export { storeSummary };

/**
 * The platform database's tables (what is not a store: DESIGN.md §1). One shape for SQLite and
 * PostgreSQL: times are ISO-8601 UTC strings of one width (`2026-12-06T07:41:08.123Z`) so they
 * compare and sort as text on both; booleans are 0/1 integers; JSON is text.
 */
import type { ColumnType, Generated } from 'kysely';

export type Role = 'admin' | 'member';

export interface UsersTable {
  id: string;
  username: string;
  role: Role;
  password_hash: string;
  disabled: number;
  /** Null: the platform default. */
  store_limit: number | null;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  /** sha256 (hex) of the session id held in the cookie: a database leak does not hand out sessions. */
  id_hash: string;
  user_id: string;
  /** JSON of the session's data (the CSRF secret). */
  data: string;
  created_at: string;
  expires_at: string;
}

export interface ApiTokensTable {
  /** Public part of the token (`spt_<id>_<secret>`), shown in lists. */
  id: string;
  user_id: string;
  name: string;
  /** sha256 (hex) of the whole token. */
  token_hash: string;
  /** Space-separated scopes. */
  scopes: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  time: string;
  actor_id: string | null;
  actor: string | null;
  action: string;
  target: string | null;
  outcome: 'success' | 'refused' | 'failure';
  status: number;
  ip: string | null;
  request_id: string | null;
  /** JSON, never a secret. */
  details: string | null;
}

export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  /** sha256 of method, path and body: the same key with another request is 422. */
  fingerprint: string;
  state: 'pending' | 'done';
  status_code: number | null;
  /** JSON {headers, body} of the first response. */
  response: string | null;
  created_at: string;
  expires_at: string;
}

export interface CountersTable {
  /** e.g. `rl:create:user:<id>` or `login:ip:1.2.3.4`. */
  key: string;
  /** Epoch milliseconds of the start of the current window. */
  window_start: ColumnType<number, number, number>;
  count: number;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface Tables {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  idempotency_keys: IdempotencyKeysTable;
  counters: CountersTable;
  settings: SettingsTable;
}

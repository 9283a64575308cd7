/**
 * What the API asks of its database, one method per question, so routes never hold SQL and the
 * same contract is tested on SQLite and PostgreSQL (test/api/db.int.test.ts).
 */
import type { Kysely } from 'kysely';
import type { AuditLogTable, Role, Tables } from './tables.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface User {
  id: string;
  username: string;
  role: Role;
  disabled: boolean;
  storeLimit: number | null;
  createdAt: string;
}

export interface UserWithHash extends User {
  passwordHash: string;
}

export interface ApiToken {
  id: string;
  userId: string;
  name: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface SessionRecord {
  userId: string;
  data: string;
  expiresAt: string;
}

export type AuditEntry = Omit<AuditLogTable, 'id' | 'details'> & { details?: Record<string, unknown> };
export interface AuditRow extends Omit<AuditEntry, 'details'> {
  id: number;
  details: Record<string, unknown> | null;
}
export interface AuditQuery {
  actorId?: string;
  action?: string;
  outcome?: AuditLogTable['outcome'];
  target?: string;
  /** Rows at or after this time. */
  since?: string;
  /** Rows before this time (exclusive, so consecutive ranges do not overlap). */
  until?: string;
  /** Rows with an id lower than this (paging newest first). */
  before?: number;
  /** Page size, held to 1..500. */
  limit: number;
}

export type IdempotencyClaim =
  | { kind: 'claimed' }
  | { kind: 'mismatch' }
  | { kind: 'pending' }
  | { kind: 'done'; statusCode: number; response: string };

export interface PlatformDb {
  readonly dialect: Dialect;
  readonly kysely: Kysely<Tables>;
  /** Answers a trivial query (readiness). */
  ping(): Promise<boolean>;
  close(): Promise<void>;

  users: {
    /** Throws UsernameTakenError (errors.ts) when the username is in use. */
    create(u: {
      username: string;
      role: Role;
      passwordHash: string;
      storeLimit?: number | null;
    }): Promise<User>;
    /** Undefined when absent. Usernames compare exactly (they are spec.owner). */
    byUsername(username: string): Promise<UserWithHash | undefined>;
    byId(id: string): Promise<User | undefined>;
    list(): Promise<User[]>;
    count(): Promise<number>;
    update(
      id: string,
      patch: Partial<{ disabled: boolean; storeLimit: number | null; passwordHash: string; role: Role }>,
    ): Promise<User | undefined>;
  };

  sessions: {
    create(idHash: string, s: SessionRecord): Promise<void>;
    /** Undefined when absent or expired. */
    get(idHash: string, now: string): Promise<SessionRecord | undefined>;
    set(idHash: string, s: SessionRecord): Promise<void>;
    destroy(idHash: string): Promise<void>;
    destroyForUser(userId: string): Promise<number>;
    deleteExpired(now: string): Promise<number>;
  };

  tokens: {
    create(t: Omit<ApiToken, 'lastUsedAt' | 'revokedAt'> & { tokenHash: string }): Promise<ApiToken>;
    /** The token with this hash if it is neither revoked nor expired at `now`. */
    byHash(tokenHash: string, now: string): Promise<ApiToken | undefined>;
    listForUser(userId: string): Promise<ApiToken[]>;
    /** False when the user has no such live token. */
    revoke(userId: string, id: string, now: string): Promise<boolean>;
    touch(id: string, now: string): Promise<void>;
  };

  audit: {
    append(e: AuditEntry): Promise<void>;
    /** Newest first. */
    query(q: AuditQuery): Promise<AuditRow[]>;
  };

  idempotency: {
    /** Claims the key for this request, or says what holds it (expired keys are reclaimed). */
    claim(
      userId: string,
      key: string,
      fingerprint: string,
      now: string,
      expiresAt: string,
    ): Promise<IdempotencyClaim>;
    complete(userId: string, key: string, statusCode: number, response: string): Promise<void>;
    /** Forgets a claim whose request ended without a response worth replaying (a 5xx). */
    release(userId: string, key: string): Promise<void>;
    deleteExpired(now: string): Promise<number>;
  };

  counters: {
    /**
     * Adds one hit to `key` atomically (one statement) and returns the count in its window and
     * when that window opened: at the key's first hit, for `windowMs`, then at the next hit after.
     */
    hit(key: string, windowMs: number, nowMs: number): Promise<{ count: number; windowStart: number }>;
    /** The count in the key's open window without adding to it (0 when none is open). */
    peek(key: string, windowMs: number, nowMs: number): Promise<{ count: number; windowStart: number }>;
    reset(key: string): Promise<void>;
  };

  settings: {
    get(key: string): Promise<string | undefined>;
    /** Stores `value` unless the key is set, and returns what is stored (first writer wins). */
    getOrInit(key: string, value: string): Promise<string>;
  };

  /**
   * Runs `fn` holding the named lock: one holder at a time across every API process sharing the
   * database (PostgreSQL: an advisory lock in a transaction on a connection of its own; SQLite,
   * one process: an in-process mutex). Used to make store quotas exact. Not reentrant: `fn` must
   * not take the same lock again.
   */
  withLock<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

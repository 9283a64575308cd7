/**
 * Database errors the API tells apart. Drivers report constraint failures differently
 * (better-sqlite3's `SQLITE_CONSTRAINT_*` codes, PostgreSQL's SQLSTATE), so callers ask here.
 */

/** A username already in use: the API answers 409. */
export class UsernameTakenError extends Error {
  constructor(readonly username: string) {
    super(`username ${JSON.stringify(username)} is taken`);
    this.name = 'UsernameTakenError';
  }
}

/** True for a unique or primary-key violation on either backend. */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null || !('code' in err)) return false;
  const code = (err as { code: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

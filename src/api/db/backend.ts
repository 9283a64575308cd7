/**
 * Which database DATABASE_URL names. The URL can hold a password, so no message here or below
 * quotes it: at most its scheme.
 */
import { join } from 'node:path';

export type Backend = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export const SQLITE_FILE = 'platform.db';

export function chooseBackend(databaseUrl: string | undefined, dataDir: string): Backend {
  const url = databaseUrl?.trim();
  if (!url) return { kind: 'sqlite', file: join(dataDir, SQLITE_FILE) };
  if (/^postgres(ql)?:\/\//i.test(url)) return { kind: 'postgres', url };
  // Only a scheme followed by `//`: in `user:secret@host` the part before `:` is a username.
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1];
  throw new Error(
    'DATABASE_URL must start with postgres:// or postgresql://, or be unset for SQLite in the data directory' +
      (scheme ? ` (it starts with ${scheme}://)` : ''),
  );
}

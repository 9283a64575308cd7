import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * Kysely's SQLite driver prepares every query anew; preparing is a third of the API's database
 * time under load (bench:api's profile). The API runs a few dozen distinct statements, so each is
 * prepared once and reused (better-sqlite3 statements are reusable; kysely runs one at a time on
 * its single connection). Bounded, in case a caller ever builds unbounded distinct SQL.
 */
export function cachingStatements(db: SqliteDatabase, max = 500): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => db.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (!stmt) {
        stmt = db.prepare(sql);
        if (cache.size >= max) cache.delete(cache.keys().next().value as string);
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}

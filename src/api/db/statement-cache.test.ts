import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { cachingStatements } from './statement-cache.ts';

describe('cachingStatements', () => {
  it('prepares each SQL text once and answers like the plain driver', async () => {
    const raw = new Database(':memory:');
    let prepared = 0;
    const counting = { close: () => raw.close(), prepare: (q: string) => (prepared++, raw.prepare(q)) };
    const db = new Kysely<{ t: { id: number; v: string } }>({
      dialect: new SqliteDialect({ database: cachingStatements(counting, 3) }),
    });
    await sql`create table t (id integer primary key, v text)`.execute(db);
    for (let i = 0; i < 5; i++)
      await db
        .insertInto('t')
        .values({ id: i, v: `v${i}` })
        .execute();
    expect(await db.selectFrom('t').select('v').where('id', '=', 3).executeTakeFirst()).toEqual({ v: 'v3' });
    expect(await db.selectFrom('t').select('v').where('id', '=', 4).executeTakeFirst()).toEqual({ v: 'v4' });
    expect(prepared).toBe(3); // create, insert, select
    // Beyond the bound the oldest is dropped and prepared again when needed.
    await db.selectFrom('t').select('id').execute();
    await db.selectFrom('t').select(['id', 'v']).execute();
    await sql`create table u (x integer)`.execute(db);
    expect(prepared).toBe(6);
    await db.destroy();
  });
});

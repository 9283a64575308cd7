/** The users table: accounts, their role and their store limit. */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable, Updateable } from 'kysely';
import { isUniqueViolation, UsernameTakenError } from './errors.ts';
import type { PlatformDb, User, UserWithHash } from './platform-db.ts';
import type { Tables, UsersTable } from './tables.ts';

export function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    disabled: row.disabled === 1,
    storeLimit: row.store_limit,
    createdAt: row.created_at,
  };
}

export function usersRepo(db: Kysely<Tables>, now: () => string): PlatformDb['users'] {
  return {
    /** Throws UsernameTakenError when the name is in use. */
    async create(u) {
      const time = now();
      const row: Selectable<UsersTable> = {
        id: randomUUID(),
        username: u.username,
        role: u.role,
        password_hash: u.passwordHash,
        disabled: 0,
        store_limit: u.storeLimit ?? null,
        created_at: time,
        updated_at: time,
      };
      try {
        await db.insertInto('users').values(row).execute();
      } catch (err) {
        if (isUniqueViolation(err)) throw new UsernameTakenError(u.username);
        throw err;
      }
      return toUser(row);
    },

    async byUsername(username) {
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('username', '=', username)
        .executeTakeFirst();
      return row ? ({ ...toUser(row), passwordHash: row.password_hash } satisfies UserWithHash) : undefined;
    },

    async byId(id) {
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toUser(row) : undefined;
    },

    async list() {
      const rows = await db.selectFrom('users').selectAll().orderBy('username').execute();
      return rows.map(toUser);
    },

    async count() {
      const { n } = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(n);
    },

    async update(id, patch) {
      const set: Updateable<UsersTable> = { updated_at: now() };
      if (patch.disabled !== undefined) set.disabled = patch.disabled ? 1 : 0;
      if (patch.storeLimit !== undefined) set.store_limit = patch.storeLimit;
      if (patch.passwordHash !== undefined) set.password_hash = patch.passwordHash;
      if (patch.role !== undefined) set.role = patch.role;
      const row = await db
        .updateTable('users')
        .set(set)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row ? toUser(row) : undefined;
    },
  };
}

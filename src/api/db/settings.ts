/** Platform-wide key/value settings (e.g. secrets generated on first start). */
import type { Kysely } from 'kysely';
import type { PlatformDb } from './platform-db.ts';
import type { Tables } from './tables.ts';

export function settingsRepo(db: Kysely<Tables>): PlatformDb['settings'] {
  const get = async (key: string) =>
    (await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value;
  return {
    get,
    async getOrInit(key, value) {
      // Two processes starting together both offer a value; the insert that lands first is kept.
      await db
        .insertInto('settings')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      const stored = await get(key);
      if (stored === undefined) throw new Error(`setting ${key} vanished right after it was stored`);
      return stored;
    },
  };
}

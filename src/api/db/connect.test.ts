import { describe, expect, it } from 'vitest';
import { openPlatformDb } from './connect.ts';

// The rest of openPlatformDb needs a database: test/api/db.int.test.ts.
describe('openPlatformDb', () => {
  it('refuses an unparsable PostgreSQL URL without repeating it', async () => {
    const err = (await openPlatformDb({
      databaseUrl: 'postgres://admin:hunter2#x@db:5432/platform',
      dataDir: '/nonexistent',
    }).catch((e: unknown) => e)) as Error & { input?: string };
    expect(err.message).toMatch(/not a PostgreSQL URL/);
    expect(err.message).not.toContain('hunter2');
    expect(err.input).toBeUndefined();
  });
});

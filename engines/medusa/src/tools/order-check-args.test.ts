import { describe, expect, it } from 'vitest';
import { parseOrderCheckArgs } from './order-check-args.ts';

const admin = { MEDUSA_ADMIN_EMAIL: 'admin@example.com', MEDUSA_ADMIN_PASSWORD: 'pw' };

describe('parseOrderCheckArgs', () => {
  it.each([
    [['--url', 'http://shop.local:9000/'], 'http://shop.local:9000'],
    [['--url=https://shop.example.com'], 'https://shop.example.com'],
    [['--url', 'http://10.0.0.1:9000//'], 'http://10.0.0.1:9000'],
  ])('accepts %j', (argv, baseUrl) => {
    expect(parseOrderCheckArgs(argv, admin)).toEqual({
      ok: true,
      settings: { baseUrl, adminEmail: 'admin@example.com', adminPassword: 'pw' },
    });
  });

  it.each([
    [[], admin, 'missing --url'],
    [['--url'], admin, '--url needs a value'],
    [['--url', 'not a url'], admin, 'not a URL'],
    [['--url', 'ftp://x'], admin, 'must be http(s)'],
    [['--password', 'x'], admin, 'unknown argument: --password'],
    [['--url', 'http://x'], {}, 'MEDUSA_ADMIN_EMAIL and MEDUSA_ADMIN_PASSWORD must be set'],
    [['--url', 'http://x'], { MEDUSA_ADMIN_EMAIL: 'a@b.c' }, 'must be set'],
  ])('rejects %j', (argv, env, message) => {
    const result = parseOrderCheckArgs(argv, env);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(message);
  });
});

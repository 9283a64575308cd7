import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { charts, parseManifests, podsOf } from './charts.ts';
import { containerEnv } from './env.ts';
import { helmSetupTimeout, helmTemplate, platformValues } from './helm-template.ts';
import { isEmail } from './is-email.ts';
import { emailPattern, userNamePattern } from '../../src/store/naming.ts';

/**
 * Fault 7, chart side: the WooCommerce chart uses the store's owner as the admin e-mail only when
 * it is an e-mail address by the platform's owner rule, and every address that rule accepts is
 * one WordPress's is_email() accepts (else `wp core install` fails).
 */

/** The platform's owner rule (src/store/naming.ts): a user name or an e-mail address. */
const ownerUserPattern = `^${userNamePattern}$`;
const ownerEmailPattern = `^${emailPattern}$`;
const emailRule = new RegExp(ownerEmailPattern);

const valid = [
  'alice@example.com',
  'a@b.co',
  'Bob.Smith+shop@Mail.Example.ORG',
  'x_y%z-1@sub-1.sub2.example.museum',
  'a..b.@example.com',
  `${'l'.repeat(64)}@${'d'.repeat(63)}.${'e'.repeat(63)}.${'t'.repeat(63)}`,
  '0@0.io',
];
/** Refused by the rule; those marked * were accepted by the chart's old rule (^[^@ ]+@[^@ ]+\.[^@ ]+$). */
const invalid = [
  'bob@exa_mple.com', // *
  'bob@-example.com', // *
  'bob@example-.com', // *
  'bob@example..com', // *
  'bob@example.com.', // *
  'bob@.example.com', // *
  'b"ob@example.com', // *
  "o'brien@example.com", // * (is_email accepts it; the platform does not)
  'bob@exämple.com', // *
  'bob@example.c', // *
  'bob@example.c0m', // *
  'grå@example.com', // *
  'bob@127.0.0.1', // *
  '.bob@example.com', // *
  'bob@@example.com',
  'bob@localhost',
  'alice',
  'a@b.c',
  'bob@example.com\n',
  ' bob@example.com',
  `${'l'.repeat(65)}@example.com`,
  `bob@${'d'.repeat(64)}.com`,
];

describe("WordPress's is_email(), ported", () => {
  // WordPress's own cases (tests/phpunit/tests/formatting/isEmail.php).
  it.each([
    'bob@example.com',
    'phil@example.info',
    'ace@204.32.222.14',
    'kevin@many.subdomains.make.a.happy.man.edu',
    'a@b.co',
    'bill+ted@example.com',
  ])('accepts %j', (email) => expect(isEmail(email)).toBe(true));
  it.each([
    'khaaaaaaaaaaaaaaan!',
    'http://bob.example.com/',
    "sif i'd give u it, spamer!1",
    'com.exampleNOSPAMbob',
    'bob@your mom',
    'a@b.c',
    'bob@exa_mple.com',
    'bob@example..com',
    'bob@-example.com',
  ])('refuses %j', (email) => expect(isEmail(email)).toBe(false));
});

describe('the owner e-mail rule', () => {
  it('accepts the valid corpus and refuses the invalid one', () => {
    expect(valid.filter((e) => !emailRule.test(e))).toEqual([]);
    expect(invalid.filter((e) => emailRule.test(e))).toEqual([]);
  });

  it('every address it accepts, is_email() accepts (fixed and generated corpora)', () => {
    const generated = generatedAddresses(20_000);
    const accepted = [...valid, ...invalid, ...generated].filter((e) => emailRule.test(e));
    // The generated corpus must exercise the rule, not only its refusals.
    expect(accepted.length).toBeGreaterThan(1_000);
    expect(accepted.filter((e) => !isEmail(e))).toEqual([]);
  });

  it('a user name and an e-mail address are told apart: no owner is both', () => {
    const userRule = new RegExp(ownerUserPattern);
    for (const e of [...valid, ...generatedAddresses(2_000)])
      expect(userRule.test(e) && emailRule.test(e)).toBe(false);
  });
});

describe('charts/woocommerce-store: the admin e-mail', { timeout: 60_000 }, () => {
  const woo = charts.find((c) => c.engine === 'woocommerce')!;
  const fallback = 'admin@shop.stores.example.com';

  async function adminEmail(values: Record<string, unknown>): Promise<string | undefined> {
    const r = await helmTemplate(woo.dir, values);
    expect(r.stderr).toBe('');
    const objects = parseManifests(r.stdout);
    const setup = podsOf(objects).find((p) => p.source === 'Job/shop-setup')!;
    return containerEnv(setup.spec.containers[0]!, objects).get('ADMIN_EMAIL');
  }

  beforeAll(async () => {
    expect(await adminEmail(platformValues('woocommerce'))).toBe('alice@example.com');
  }, helmSetupTimeout);

  it('_helpers.tpl and values.schema.json hold the platform rule, verbatim', () => {
    expect(readFileSync(join(woo.dir, 'templates', '_helpers.tpl'), 'utf8')).toContain(
      `\`${ownerEmailPattern}\``,
    );
    const schema = JSON.parse(readFileSync(join(woo.dir, 'values.schema.json'), 'utf8')) as {
      properties: { woocommerce: { properties: { adminEmail: { pattern: string } } } };
    };
    expect(schema.properties.woocommerce.properties.adminEmail.pattern).toBe(`^$|${ownerEmailPattern}`);
  });

  it.each([...valid.slice(0, 4), ...invalid.slice(0, 14), 'alice', 'bob.smith'])(
    'owner %j: the admin e-mail exactly when the rule accepts it',
    async (owner) => {
      const got = await adminEmail(platformValues('woocommerce', { owner }));
      expect(got).toBe(emailRule.test(owner) ? owner : fallback);
      expect(isEmail(got!)).toBe(true);
    },
  );

  it('woocommerce.adminEmail, when set, wins over the owner', async () => {
    const values = { ...platformValues('woocommerce'), woocommerce: { adminEmail: 'shop@example.org' } };
    expect(await adminEmail(values)).toBe('shop@example.org');
  });

  it('refuses to render when the fallback admin@<host> is no address WordPress accepts', async () => {
    const values = platformValues('woocommerce', { owner: 'alice' });
    const r = await helmTemplate(woo.dir, { ...values, ingress: { host: 'localhost' } });
    expect(r.ok).toBe(false);
    expect(r.stderr).toContain(
      'admin@localhost is not an e-mail address WordPress accepts: set woocommerce.adminEmail',
    );
  });
});

/** Addresses built from the characters that matter to either rule, by a seeded generator. */
function generatedAddresses(count: number): string[] {
  let seed = 7;
  const random = () => {
    // mulberry32: small, seeded, so a failure reproduces.
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const pick = (chars: string, max: number) =>
    Array.from({ length: Math.floor(random() * max) }, () => chars[Math.floor(random() * chars.length)]).join(
      '',
    );
  // Mostly characters both rules allow, some that one of them refuses.
  const alnum = 'aZ09';
  const label = () => `${pick(alnum, 2)}${pick(`${alnum}${alnum}-_`, 4)}${pick(alnum, 2)}`;
  const addresses: string[] = [];
  for (let i = 0; i < count; i++) {
    const local = `${pick(alnum, 2)}${pick(`${alnum}${alnum}._%+-!#'"@ `, 6)}`;
    const labels = Array.from({ length: 1 + Math.floor(random() * 3) }, label);
    const tld = `${pick('aZ', 4)}${pick('aZaZ0-', 2)}`;
    addresses.push(`${local}@${labels.join(random() < 0.05 ? '..' : '.')}.${tld}`);
  }
  return addresses;
}

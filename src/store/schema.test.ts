import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { StoreSpec } from './schema.ts';

const validator = Compile(StoreSpec);

const good = {
  engine: 'medusa',
  displayName: 'My Shop',
  owner: 'alice@example.com',
  plan: 'small',
  version: '2.1.0',
};

describe('StoreSpec validation', () => {
  const cases: { name: string; spec: unknown; valid: boolean; path?: string }[] = [
    { name: 'a full valid spec', spec: good, valid: true },
    {
      name: 'woocommerce, large, no version',
      spec: { ...good, engine: 'woocommerce', plan: 'large', version: undefined },
      valid: true,
    },
    { name: 'empty version means the platform default', spec: { ...good, version: '' }, valid: true },
    { name: 'pre-release version', spec: { ...good, version: '1.0.0-rc.1' }, valid: true },
    { name: 'build metadata version', spec: { ...good, version: '1.0.0+build.5' }, valid: true },
    { name: 'plain user name owner', spec: { ...good, owner: 'bob_smith-2' }, valid: true },
    { name: 'unknown engine', spec: { ...good, engine: 'magento' }, valid: false, path: '/engine' },
    { name: 'engine in another case', spec: { ...good, engine: 'Medusa' }, valid: false, path: '/engine' },
    { name: 'unknown plan', spec: { ...good, plan: 'huge' }, valid: false, path: '/plan' },
    { name: 'missing plan', spec: { ...good, plan: undefined }, valid: false },
    { name: 'missing engine', spec: { ...good, engine: undefined }, valid: false },
    { name: 'unknown field', spec: { ...good, replicas: 3 }, valid: false },
    { name: 'empty display name', spec: { ...good, displayName: '' }, valid: false, path: '/displayName' },
    {
      name: 'display name over 80',
      spec: { ...good, displayName: 'x'.repeat(81) },
      valid: false,
      path: '/displayName',
    },
    { name: 'empty owner', spec: { ...good, owner: '' }, valid: false, path: '/owner' },
    {
      name: 'owner starting with a symbol',
      spec: { ...good, owner: '@alice' },
      valid: false,
      path: '/owner',
    },
    { name: 'owner with a space', spec: { ...good, owner: 'alice smith' }, valid: false, path: '/owner' },
    { name: 'owner with a slash', spec: { ...good, owner: 'alice/../root' }, valid: false, path: '/owner' },
    { name: 'owner over 128', spec: { ...good, owner: 'a'.repeat(129) }, valid: false, path: '/owner' },
    // Fault 7: owners must be what the engines accept (WordPress's is_email() for the admin e-mail).
    { name: 'owner e-mail with a two-letter domain', spec: { ...good, owner: 'a@b.co' }, valid: true },
    {
      name: 'owner e-mail with plus addressing',
      spec: { ...good, owner: 'bob+shop@mail.example.org' },
      valid: true,
    },
    {
      name: 'owner e-mail without a dot in the domain',
      spec: { ...good, owner: 'bob@localhost' },
      valid: false,
      path: '/owner',
    },
    {
      name: 'owner e-mail with an underscore in the domain',
      spec: { ...good, owner: 'bob@exa_mple.com' },
      valid: false,
      path: '/owner',
    },
    {
      name: 'owner e-mail with two dots in the domain',
      spec: { ...good, owner: 'bob@example..com' },
      valid: false,
      path: '/owner',
    },
    {
      name: 'owner e-mail with a one-letter top-level domain',
      spec: { ...good, owner: 'bob@example.c' },
      valid: false,
      path: '/owner',
    },
    { name: 'owner with two @', spec: { ...good, owner: 'a@b@example.com' }, valid: false, path: '/owner' },
    {
      name: 'display name with any text',
      spec: { ...good, displayName: '--Summer Sale-- «Été» 🛒 $(x) {{ y }}' },
      valid: true,
    },
    {
      name: 'display name with a newline',
      spec: { ...good, displayName: 'a\nb' },
      valid: false,
      path: '/displayName',
    },
    {
      name: 'display name with a tab',
      spec: { ...good, displayName: 'a\tb' },
      valid: false,
      path: '/displayName',
    },
    // Medusa trims store names: spaces at either end would be lost in one engine and kept in the other.
    {
      name: 'display name with a space at the end',
      spec: { ...good, displayName: 'Shop ' },
      valid: false,
      path: '/displayName',
    },
    {
      name: 'display name with a space at the start',
      spec: { ...good, displayName: ' Shop' },
      valid: false,
      path: '/displayName',
    },
    { name: 'one-character display name', spec: { ...good, displayName: 'X' }, valid: true },
    { name: 'version with a v prefix', spec: { ...good, version: 'v2.1.0' }, valid: false, path: '/version' },
    { name: 'version without patch', spec: { ...good, version: '2.1' }, valid: false, path: '/version' },
    { name: 'version "latest"', spec: { ...good, version: 'latest' }, valid: false, path: '/version' },
    {
      name: 'version over 32',
      spec: { ...good, version: `1.0.0-${'a'.repeat(30)}` },
      valid: false,
      path: '/version',
    },
    { name: 'not an object', spec: 'medusa', valid: false },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      // JSON round trip: undefined fields are absent, as in a real request body.
      const spec: unknown = tc.spec === undefined ? undefined : JSON.parse(JSON.stringify(tc.spec));
      expect(validator.Check(spec)).toBe(tc.valid);
      const errors = [...validator.Errors(spec)];
      if (tc.valid) expect(errors).toEqual([]);
      else expect(errors.length).toBeGreaterThan(0);
      if (tc.path) expect(errors.map((e) => e.instancePath)).toContain(tc.path);
    });
  }
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClients } from '../../src/kube/clients.ts';
import { installStoreCrd } from '../../src/store/install-crd.ts';
import { type PrivateCluster, privateCluster, storeYaml } from './harness.ts';

let c: PrivateCluster;
beforeAll(async () => {
  c = await privateCluster({ count: 1 });
  await installStoreCrd(await makeClients(c.kc));
});
afterAll(async () => {
  await c?.stop();
});

const apply = (doc: unknown) =>
  c.kubectl(['apply', '-f', '-'], typeof doc === 'string' ? doc : JSON.stringify(doc));
const base = JSON.parse(storeYaml('valid-store'));

describe('the API server validates Stores with the CRD schema', () => {
  const cases: { name: string; doc: unknown; error: RegExp }[] = [
    {
      name: 'a name that is too short',
      doc: { ...base, metadata: { name: 'ab' } },
      error: /store name must be 3 to 30 lower-case letters/,
    },
    {
      name: 'a name that is too long',
      doc: { ...base, metadata: { name: 'a'.repeat(31) } },
      error: /store name must be 3 to 30/,
    },
    {
      name: 'a name with a dot',
      doc: { ...base, metadata: { name: 'my.store' } },
      error: /store name must be 3 to 30 lower-case letters, digits or "-"/,
    },
    {
      // Fault 7: the charts' Services need DNS-1035 labels, so such a store could never provision.
      name: 'a name starting with a digit',
      doc: { ...base, metadata: { name: '9lives' } },
      error: /store name must be 3 to 30 lower-case letters, digits or "-", starting with a letter/,
    },
    {
      name: 'an owner e-mail WordPress would refuse',
      doc: { ...base, spec: { ...base.spec, owner: 'bob@exa_mple.com' } },
      error: /spec\.owner in body should match/,
    },
    {
      name: 'a display name with a newline',
      doc: { ...base, spec: { ...base.spec, displayName: 'Summer\nSale' } },
      error: /spec\.displayName in body should match/,
    },
    {
      name: 'an unknown engine',
      doc: { ...base, spec: { ...base.spec, engine: 'magento' } },
      error: /spec\.engine: Unsupported value: "magento": supported values: "woocommerce", "medusa"/,
    },
    {
      name: 'an unknown plan',
      doc: { ...base, spec: { ...base.spec, plan: 'huge' } },
      error: /spec\.plan: Unsupported value: "huge"/,
    },
    {
      name: 'a missing owner',
      doc: { ...base, spec: { engine: 'medusa', displayName: 'x' } },
      error: /spec\.owner: Required value/,
    },
    {
      name: 'an unknown field',
      doc: { ...base, spec: { ...base.spec, replicas: 3 } },
      error: /unknown field "spec\.replicas"/,
    },
    {
      name: 'a version that is not semver',
      doc: { ...base, spec: { ...base.spec, version: 'latest' } },
      error: /spec\.version in body should match/,
    },
  ];
  for (const tc of cases) {
    it(`rejects ${tc.name} with a clear message`, async () => {
      const r = await apply(tc.doc);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(tc.error);
    });
  }

  it('accepts a valid store, defaults its plan, and refuses to change its engine', async () => {
    const { plan: _plan, ...spec } = base.spec;
    const created = await apply({ ...base, spec });
    expect(created.stderr).toBe('');
    const store = await c.getStore('valid-store');
    expect(store.spec.plan).toBe('small');
    const change = await apply({ ...base, spec: { ...base.spec, engine: 'medusa' } });
    expect(change.code).not.toBe(0);
    expect(change.stderr).toMatch(/engine is immutable: create a new store instead/);
  });

  it('prints Engine, Owner, Phase, URL and Age columns', async () => {
    const r = await c.kubectl(['get', 'stores']);
    expect(r.stdout.split('\n')[0]).toMatch(/^NAME\s+ENGINE\s+OWNER\s+PHASE\s+URL\s+AGE$/);
    expect(r.stdout).toMatch(/valid-store\s+woocommerce\s+alice@example\.com/);
  });
});

/**
 * The store's display name is user input and reaches the seed as STORE_NAME. Each hostile name
 * goes through a real seed run against the running store: the seed succeeds, Medusa holds the
 * name exactly, /storeplane/config serves it exactly, and nothing in it executes.
 */
import { existsSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hostileDisplayNames, pwnedPath } from '../fixtures/hostile-names.ts';
import { AdminApi } from './harness/admin.ts';
import { StoreOwner } from './harness/owner.ts';
import { runSeed } from './harness/seed.ts';

const medusa = inject('medusa');
const pwnedMtime = () => (existsSync(pwnedPath) ? statSync(pwnedPath).mtimeMs : undefined);
let owner: StoreOwner;
let pwnedBefore: number | undefined;

beforeAll(async () => {
  owner = new StoreOwner(await AdminApi.login(medusa.backendUrl, medusa.adminEmail, medusa.adminPassword));
  pwnedBefore = pwnedMtime();
});
// The files after this one expect the suite's own store name.
afterAll(async () => {
  await runSeed(medusa.engineEnv, medusa.resultsDir, 'seed-name-restore');
});

const servedName = async () =>
  ((await (await fetch(`${medusa.backendUrl}/storeplane/config`)).json()) as { storeName: string }).storeName;

describe('hostile display names through the seed', () => {
  it.each(hostileDisplayNames.map((name) => [JSON.stringify(name), name]))('%s', async (_label, name) => {
    const run = await runSeed({ ...medusa.engineEnv, STORE_NAME: name }, medusa.resultsDir, 'seed-names');
    expect(run.exitCode, run.output.slice(-3000)).toBe(0);
    // The seed's log line quotes the name: one line, no format directive applied.
    expect(run.summary).toContain(`store ${JSON.stringify(name)} in usd`);
    expect((await owner.store()).name).toBe(name);
    expect(await servedName()).toBe(name);
    expect(pwnedMtime()).toBe(pwnedBefore);
  });

  it('a blank name falls back to the default one', async () => {
    const run = await runSeed({ ...medusa.engineEnv, STORE_NAME: ' \t ' }, medusa.resultsDir, 'seed-names');
    expect(run.exitCode, run.output.slice(-3000)).toBe(0);
    expect((await owner.store()).name).toBe('Storeplane Store');
    expect(await servedName()).toBe('Storeplane Store');
  });
});

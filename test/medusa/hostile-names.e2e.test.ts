/**
 * The store's display name is user input and reaches the seed as STORE_NAME. Each hostile name
 * goes through a real seed run against the running store: the seed succeeds, Medusa holds the
 * name exactly, /storeplane/config serves it exactly, and nothing in it executes.
 */
import { existsSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hostileDisplayNames } from '../fixtures/hostile-names.ts';
import { AdminApi } from './harness/admin.ts';
import { StoreOwner } from './harness/owner.ts';
import { runSeed } from './harness/seed.ts';

const medusa = inject('medusa');
/** What the corpus's command substitutions would create if anything ran them through a shell. */
const pwned = '/tmp/pwned';
const pwnedMtime = () => (existsSync(pwned) ? statSync(pwned).mtimeMs : undefined);
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
  // Surrounding spaces are Medusa's own extra case: the name is stored as given, not trimmed.
  const names = [...hostileDisplayNames, '  Padded Harbor  '];

  it.each(names.map((name) => [JSON.stringify(name), name]))('%s', async (_label, name) => {
    const run = await runSeed({ ...medusa.engineEnv, STORE_NAME: name }, medusa.resultsDir, 'seed-names');
    expect(run.exitCode, run.output.slice(-3000)).toBe(0);
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

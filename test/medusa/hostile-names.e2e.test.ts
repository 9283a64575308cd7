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
    // Medusa's store module trims a store's name when it stores it (and so does the seed, to
    // compare like with like); everything else in the name is kept.
    const stored = name.trim();
    const run = await runSeed({ ...medusa.engineEnv, STORE_NAME: name }, medusa.resultsDir, 'seed-names');
    expect(run.exitCode, run.output.slice(-3000)).toBe(0);
    // The seed's log line quotes the name: one line, no format directive applied.
    expect(run.summary).toContain(`store ${JSON.stringify(stored)} in usd`);
    expect((await owner.store()).name).toBe(stored);
    expect(await servedName()).toBe(stored);
    expect(pwnedMtime()).toBe(pwnedBefore);
  });

  it('a name with surrounding spaces: a second run changes nothing', async () => {
    const env = { ...medusa.engineEnv, STORE_NAME: ' Harbor Supplies ' };
    await runSeed(env, medusa.resultsDir, 'seed-names');
    const again = await runSeed(env, medusa.resultsDir, 'seed-names');
    expect(again).toMatchObject({ exitCode: 0, summary: 'nothing to change' });
  });

  it('a blank name falls back to the default one', async () => {
    const run = await runSeed({ ...medusa.engineEnv, STORE_NAME: ' \t ' }, medusa.resultsDir, 'seed-names');
    expect(run.exitCode, run.output.slice(-3000)).toBe(0);
    expect((await owner.store()).name).toBe('Storeplane Store');
    expect(await servedName()).toBe('Storeplane Store');
  });
});

import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildEngine, entryPoint, installEngineDeps, storefrontBundleGzipBytes } from './harness/engine.ts';
import { startPostgres, type PgConnection, type Postgres } from './harness/postgres.ts';
import { freePort, runOk, startService, waitForHttp, type Service } from './harness/processes.ts';
import { seedSnapshot, type SeedSnapshot } from './harness/seed-snapshot.ts';
import { seedSummary, type SeedRun } from './harness/seed.ts';

/** A seed run as the tests see it (the output stays in test-results/medusa/seed-*.log). */
export type SeedRunSummary = Pick<SeedRun, 'exitCode' | 'summary'>;

export interface MedusaTestEnv {
  backendUrl: string;
  storefrontUrl: string;
  adminEmail: string;
  adminPassword: string;
  resultsDir: string;
  /** The environment the engine's commands run with (secrets included: pass it as env only). */
  engineEnv: Record<string, string>;
  /** The store's database, for fingerprinting what a seed run wrote (seed-snapshot.ts). */
  database: PgConnection;
  seed: { first: SeedRunSummary; second: SeedRunSummary; before: SeedSnapshot; after: SeedSnapshot };
}

declare module 'vitest' {
  export interface ProvidedContext {
    medusa: MedusaTestEnv;
  }
}

const say = (line: string) => process.stderr.write(`[medusa] ${line}\n`);
/**
 * One real stack for the whole Medusa suite: engine dependencies and build, a throwaway
 * PostgreSQL, migrate, seed twice, the Medusa server and the storefront server. Prints the
 * figures and writes them to test-results/medusa/figures.json.
 */
export default async function setup(project: TestProject) {
  const resultsDir = resolve(import.meta.dirname, '../../test-results/medusa');
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });
  const log = (name: string) => join(resultsDir, `${name}.log`);
  const services: Service[] = [];
  let pg: Postgres | undefined;
  const teardown = async () => {
    for (const s of services.reverse()) await s.stop();
    await pg?.stop();
  };

  try {
    const install = await installEngineDeps(log('npm'));
    say(
      `engine dependencies ${install.fresh ? 'installed' : 'up to date'} (npm ci ${install.seconds.toFixed(1)}s)`,
    );
    const buildSeconds = await buildEngine(log('build'));
    say(`built server and storefront in ${buildSeconds.toFixed(1)}s`);

    pg = await startPostgres(resultsDir);
    const [port, storefrontPort] = [await freePort(), await freePort()];
    const backendUrl = `http://127.0.0.1:${port}`;
    const storefrontUrl = `http://127.0.0.1:${storefrontPort}`;
    const adminEmail = 'admin@example.com';
    const adminPassword = randomBytes(12).toString('base64url');
    const engineEnv: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      NODE_ENV: 'production',
      DATABASE_URL: pg.url,
      JWT_SECRET: randomBytes(24).toString('base64url'),
      COOKIE_SECRET: randomBytes(24).toString('base64url'),
      STORE_CORS: storefrontUrl,
      ADMIN_CORS: backendUrl,
      AUTH_CORS: `${storefrontUrl},${backendUrl}`,
      MEDUSA_BACKEND_URL: backendUrl,
      MEDUSA_ADMIN_EMAIL: adminEmail,
      MEDUSA_ADMIN_PASSWORD: adminPassword,
      STORE_NAME: 'Harbor & Co.',
      STORE_CURRENCY: 'usd',
      HOST: '127.0.0.1',
      PORT: String(port),
      STOREFRONT_HOST: '127.0.0.1',
      STOREFRONT_PORT: String(storefrontPort),
    };
    const opts = (name: string) => ({ env: engineEnv, log: log(name) });

    const migrate = await runOk(entryPoint, ['migrate'], opts('migrate'));
    const first = await runOk(entryPoint, ['seed'], opts('seed-1'));
    const before = seedSnapshot(pg);
    const second = await runOk(entryPoint, ['seed'], opts('seed-2'));
    const after = seedSnapshot(pg);
    say(
      `migrate ${migrate.seconds.toFixed(1)}s, seed ${first.seconds.toFixed(1)}s, seed again ${second.seconds.toFixed(1)}s`,
    );

    const server = startService(entryPoint, ['server'], opts('server'));
    services.push(server);
    const bootSeconds = await waitForHttp(`${backendUrl}/health`, server, 180_000);
    const storefront = startService(entryPoint, ['storefront'], opts('storefront'));
    services.push(storefront);
    await waitForHttp(`${storefrontUrl}/healthz`, storefront, 30_000);
    say(`server healthy after ${bootSeconds.toFixed(1)}s at ${backendUrl}; storefront at ${storefrontUrl}`);

    const figures = {
      npmCiSeconds: round(install.seconds),
      npmCiRanThisRun: install.fresh,
      buildSeconds: round(buildSeconds),
      migrateSeconds: round(migrate.seconds),
      seedSeconds: round(first.seconds),
      migrateAndSeedSeconds: round(migrate.seconds + first.seconds),
      reseedSeconds: round(second.seconds),
      serverBootToHealthySeconds: round(bootSeconds),
      storefrontBundleGzipBytes: storefrontBundleGzipBytes(),
    };
    writeFileSync(join(resultsDir, 'figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
    say(`figures: ${JSON.stringify(figures)}`);

    project.provide('medusa', {
      backendUrl,
      storefrontUrl,
      adminEmail,
      adminPassword,
      resultsDir,
      engineEnv,
      database: { port: pg.port, user: pg.user, password: pg.password, binDir: pg.binDir },
      seed: {
        first: { exitCode: first.code, summary: seedSummary(first.output) },
        second: { exitCode: second.code, summary: seedSummary(second.output) },
        before,
        after,
      },
    });
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** The Medusa engine as the suite uses it: dependencies, build, and its entry point. */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runOk } from './processes.ts';

export const engineDir = resolve(import.meta.dirname, '../../../engines/medusa');
export const storefrontDir = join(engineDir, 'storefront');
export const entryPoint = join(engineDir, 'bin/storeplane-medusa');
const stampFile = join(engineDir, 'node_modules/.storeplane-install.json');

interface InstallStamp {
  lockHash: string;
  seconds: number;
}

function lockHash(): string {
  const hash = createHash('sha256');
  for (const dir of [engineDir, storefrontDir]) hash.update(readFileSync(join(dir, 'package-lock.json')));
  return hash.digest('hex');
}

/**
 * `npm ci` for the server and the storefront unless the installed tree matches the lockfiles
 * (a stamp records the lockfiles' hash). Returns the install time and whether it ran now.
 */
export async function installEngineDeps(log: string): Promise<{ seconds: number; fresh: boolean }> {
  const hash = lockHash();
  const stamp = existsSync(stampFile)
    ? (JSON.parse(readFileSync(stampFile, 'utf8')) as InstallStamp)
    : undefined;
  if (stamp?.lockHash === hash && existsSync(join(storefrontDir, 'node_modules'))) {
    return { seconds: stamp.seconds, fresh: false };
  }
  const started = performance.now();
  const npmFlags = ['ci', '--no-audit', '--no-fund', '--loglevel=error'];
  await runOk('npm', npmFlags, { cwd: engineDir, log });
  await runOk('npm', npmFlags, { cwd: storefrontDir, log });
  const seconds = (performance.now() - started) / 1000;
  writeFileSync(stampFile, JSON.stringify({ lockHash: hash, seconds } satisfies InstallStamp));
  return { seconds, fresh: true };
}

/** The heap cap for `medusa build` (the Dockerfile uses the same value). */
export const adminBuildNodeOptions = '--max-old-space-size=2048';

/**
 * Type-checks the engine (medusa build only reports type errors, and the unit tests next to the
 * code are outside the root tsconfig), then `medusa build` (server, seed, tools and the admin
 * dashboard) and the storefront's Vite build.
 */
export async function buildEngine(log: string): Promise<number> {
  const started = performance.now();
  // vitest sets NODE_ENV=test, which would give Vite a development build of React.
  const env = { ...process.env, NODE_ENV: 'production', MEDUSA_DISABLE_TELEMETRY: 'true' };
  // The admin dashboard's Vite build is the memory peak; cap the heap as the Dockerfile does.
  const buildEnv = { ...env, NODE_OPTIONS: adminBuildNodeOptions };
  await runOk('npm', ['run', 'typecheck'], { cwd: engineDir, env, log });
  await runOk(join(engineDir, 'node_modules/.bin/medusa'), ['build'], { cwd: engineDir, env: buildEnv, log });
  // The storefront's build checks the app alone (its tests need the repository's vitest).
  await runOk('npm', ['run', 'typecheck'], { cwd: storefrontDir, env, log });
  await runOk('npm', ['run', 'build'], { cwd: storefrontDir, env, log });
  return (performance.now() - started) / 1000;
}

/** Gzipped size of the storefront's JS and CSS, what a shopper downloads on first visit. */
export function storefrontBundleGzipBytes(): number {
  const assets = join(storefrontDir, 'dist/assets');
  return readdirSync(assets)
    .filter((f) => f.endsWith('.js') || f.endsWith('.css'))
    .reduce((sum, f) => sum + gzipSync(readFileSync(join(assets, f)), { level: 9 }).length, 0);
}

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');
export const webDir = join(root, 'web');
export const dashboardDist = join(webDir, 'dist');
/** Written beside the build: the digest of the inputs it was built from. */
const stampFile = join(dashboardDist, '.inputs-digest');

/** The built dashboard's directory, when there is a build. */
export function builtDashboard(): string | undefined {
  return existsSync(join(dashboardDist, 'index.html')) ? dashboardDist : undefined;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}

/** sha256 over the dashboard's sources, its build config and the lockfile (names and contents). */
export function dashboardInputsDigest(): string {
  const h = createHash('sha256');
  for (const file of [...filesUnder(webDir), join(root, 'package-lock.json')]) {
    h.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return h.digest('hex');
}

/** Whether web/dist is missing or was built from other inputs than the ones in the checkout. */
export function dashboardStale(): boolean {
  if (!builtDashboard() || !existsSync(stampFile)) return true;
  return readFileSync(stampFile, 'utf8').trim() !== dashboardInputsDigest();
}

/**
 * Builds the dashboard with Vite when its build is missing or stale (`storeplane start`, the
 * test setup); returns the build directory. Vite's output goes to stderr.
 */
export function ensureDashboard(say: (line: string) => void): string {
  if (!dashboardStale()) return dashboardDist;
  const digest = dashboardInputsDigest();
  say(
    builtDashboard() ? 'The dashboard changed since its last build; building it.' : 'Building the dashboard.',
  );
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', join(webDir, 'vite.config.ts')], {
    cwd: root,
    stdio: ['ignore', 2, 2],
    // Always the production build: under Vitest NODE_ENV is "test", and Vite would keep it and
    // bundle React's development build (a third bigger, and slower).
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0)
    throw new Error(`the dashboard build failed (vite exited ${result.status ?? result.signal})`);
  writeFileSync(stampFile, `${digest}\n`);
  return dashboardDist;
}

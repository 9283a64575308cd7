import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** Where the dashboard's sources and build are, under a checkout. */
export function dashboardPaths(root = resolve(import.meta.dirname, '..', '..')) {
  const web = join(root, 'web');
  const dist = join(web, 'dist');
  return {
    root,
    web,
    dist,
    lockfile: join(root, 'package-lock.json'),
    /** Written beside the build: the digest of the inputs it was built from. */
    stamp: join(dist, '.inputs-digest'),
  };
}
type Paths = ReturnType<typeof dashboardPaths>;
const here = dashboardPaths();

/** The built dashboard's directory, when there is a build. */
export function builtDashboard(p: Paths = here): string | undefined {
  return existsSync(join(p.dist, 'index.html')) ? p.dist : undefined;
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
export function dashboardInputsDigest(p: Paths = here): string {
  const h = createHash('sha256');
  for (const file of [...filesUnder(p.web), p.lockfile]) {
    h.update(relative(p.root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return h.digest('hex');
}

/** Whether web/dist is missing or was built from other inputs than the ones in the checkout. */
export function dashboardStale(p: Paths = here): boolean {
  if (!builtDashboard(p) || !existsSync(p.stamp)) return true;
  return readFileSync(p.stamp, 'utf8').trim() !== dashboardInputsDigest(p);
}

/** Records that the build in dist was made from the inputs as they are now. */
export function stampDashboard(p: Paths = here, digest = dashboardInputsDigest(p)): void {
  writeFileSync(p.stamp, `${digest}\n`);
}

/**
 * Builds the dashboard with Vite when its build is missing or stale (`storeplane start`, the
 * test setup); returns the build directory. Vite's output goes to stderr.
 */
export function ensureDashboard(say: (line: string) => void): string {
  if (!dashboardStale()) return here.dist;
  const digest = dashboardInputsDigest();
  say(
    builtDashboard() ? 'The dashboard changed since its last build; building it.' : 'Building the dashboard.',
  );
  const vite = join(here.root, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', join(here.web, 'vite.config.ts')], {
    cwd: here.root,
    stdio: ['ignore', 2, 2],
    // Always the production build: under Vitest NODE_ENV is "test", and Vite would keep it and
    // bundle React's development build (a third bigger, and slower).
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0)
    throw new Error(`the dashboard build failed (vite exited ${result.status ?? result.signal})`);
  stampDashboard(here, digest);
  return here.dist;
}

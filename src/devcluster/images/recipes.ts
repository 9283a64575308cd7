import { type ExecFileOptions, execFile } from 'node:child_process';
import { chmod, copyFile, cp, mkdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { imagesDir, keyOf, pruneOthers, sha256OfFile, treeDigest } from './cache.ts';
import { debianSource, debootstrap } from './debian.ts';
import type { ImageConfig } from './oci.ts';
import { imageRefs } from './refs.ts';
import { ensureDashboard } from '../../cli/dashboard.ts';
import { ensureBinaries } from '../binaries.ts';

const exec = promisify(execFile);

/** execFile that, on failure, says what the command printed last (npm and tsc write to stdout). */
async function run(
  cmd: string,
  args: string[],
  opts: ExecFileOptions = {},
): Promise<{ stdout: string; stderr: string }> {
  try {
    const r = await exec(cmd, args, { maxBuffer: 64 << 20, ...opts });
    return { stdout: String(r.stdout), stderr: String(r.stderr) };
  } catch (err) {
    const e = err as Error & { stdout?: string; stderr?: string };
    const tail = `${e.stdout ?? ''}\n${e.stderr ?? ''}`.trim().split('\n').slice(-25).join('\n');
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${tail}`);
  }
}
// Beside this file in a checkout; the compiled dist/devcluster/images reads them from src.
const repoRoot = resolve(import.meta.dirname, '../../..');
const here = existsSync(join(import.meta.dirname, 'pause.c'))
  ? import.meta.dirname
  : join(repoRoot, 'src/devcluster/images');
const recipesVersion = '1'; // bump to rebuild every image after a change to this file's recipes

export interface BuildContext {
  /** A scratch directory of this build, removed afterwards. */
  work: string;
  /** The real node's binaries (realnode/build.sh): coredns for its image. */
  nodeBinDir: string;

  log: (line: string) => void;
}

/** How one image is made: what decides it (its key) and how to lay out its layers. */
export interface Recipe {
  /** Short name: the cache file is `<name>@<key>.tar`. */
  name: string;
  /** The name the node's containerd knows it by (what values-devnode.yaml refers to). */
  ref: string;
  key(ctx: Omit<BuildContext, 'work'>): Promise<string>;
  build(ctx: BuildContext): Promise<Omit<ImageConfig, 'name'>>;
}

const gccVersion = async () => (await run('gcc', ['-dumpfullversion'])).stdout.trim();

/** The pod sandbox: a static pause binary (pause.c). */
const pause: Recipe = {
  name: 'pause',
  ref: imageRefs.pause,
  key: async () => keyOf([recipesVersion, await readFile(join(here, 'pause.c')), await gccVersion()]),
  async build({ work }) {
    const root = join(work, 'rootfs');
    await mkdir(root, { recursive: true });
    await run('gcc', ['-static', '-Os', '-s', '-o', join(root, 'pause'), join(here, 'pause.c')]);
    return { layers: [root], entrypoint: ['/pause'], user: '65535:65535' };
  },
};

/** Debian's busybox-static: the local-path helper pods and the tests' own probe pods. */
const busyboxBinary = '/bin/busybox';
const busybox: Recipe = {
  name: 'busybox',
  ref: imageRefs.busybox,
  key: async () => keyOf([recipesVersion, await sha256OfFile(busyboxBinary)]),
  async build({ work }) {
    const root = join(work, 'rootfs');
    for (const d of ['bin', 'tmp', 'etc']) await mkdir(join(root, d), { recursive: true });
    await chmod(join(root, 'tmp'), 0o1777);
    await copyFile(busyboxBinary, join(root, 'bin/busybox'));
    const applets = (await run(busyboxBinary, ['--list'])).stdout
      .split('\n')
      .filter((a) => /^[a-z0-9_.[-]+$/.test(a) && a !== 'busybox');
    for (const a of applets) await symlink('busybox', join(root, 'bin', a));
    await writeFile(
      join(root, 'etc/passwd'),
      'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n',
    );
    await writeFile(join(root, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
    return { layers: [root], cmd: ['/bin/sh'] };
  },
};

/** The cluster DNS: the cut-down CoreDNS of realnode/build.sh. */
const coredns: Recipe = {
  name: 'coredns',
  ref: imageRefs.coredns,
  key: async ({ nodeBinDir }) => keyOf([recipesVersion, await sha256OfFile(join(nodeBinDir, 'coredns'))]),
  async build({ work, nodeBinDir }) {
    const root = join(work, 'rootfs');
    await mkdir(root, { recursive: true });
    await copyFile(join(nodeBinDir, 'coredns'), join(root, 'coredns'));
    return { layers: [root], entrypoint: ['/coredns'], user: '65532:65532' };
  },
};

const pgMajor = '15';
const pgBin = `/usr/lib/postgresql/${pgMajor}/bin`;

/**
 * PostgreSQL from Debian, with the official image's contract (postgres/entrypoint.sh): env
 * POSTGRES_*, PGDATA, uid 70 (the Alpine images' postgres user, which the charts run as).
 */
const postgres: Recipe = {
  name: 'postgres',
  ref: imageRefs.postgres,
  key: async () => {
    const src = debianSource();
    return keyOf([
      recipesVersion,
      src.suite,
      src.mirror,
      pgMajor,
      await readFile(join(here, 'postgres/entrypoint.sh')),
    ]);
  },
  async build({ work, log }) {
    const root = join(work, 'rootfs');
    await debootstrap(root, debianSource(), [`postgresql-${pgMajor}`], log);
    // The package's own cluster and configuration: the entrypoint makes the cluster in PGDATA.
    await rm(join(root, 'var/lib/postgresql', pgMajor), { recursive: true, force: true });
    await rm(join(root, 'etc/postgresql', pgMajor), { recursive: true, force: true });
    await remapUser(root, 'postgres', 70);
    await mkdir(join(root, 'var/lib/postgresql/data'), { recursive: true });
    await mkdir(join(root, 'var/run/postgresql'), { recursive: true });
    await run('chown', ['-R', '70:70', join(root, 'var/lib/postgresql'), join(root, 'var/run/postgresql')]);
    const entry = join(root, 'usr/local/bin/docker-entrypoint.sh');
    await copyFile(join(here, 'postgres/entrypoint.sh'), entry);
    await chmod(entry, 0o755);
    return {
      layers: [root],
      entrypoint: ['docker-entrypoint.sh'],
      cmd: ['postgres'],
      env: [
        `PATH=${pgBin}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
        'PGDATA=/var/lib/postgresql/data',
        'LANG=C.UTF-8',
      ],
      user: '70:70',
      exposedPorts: [5432],
    };
  },
};

/** Gives a system user (and its group) a fixed uid/gid in a root filesystem's passwd and group. */
async function remapUser(root: string, user: string, id: number): Promise<void> {
  for (const file of ['etc/passwd', 'etc/group']) {
    const path = join(root, file);
    const lines = (await readFile(path, 'utf8')).split('\n').map((line) => {
      const f = line.split(':');
      if (f[0] !== user) return line;
      f[2] = String(id);
      if (file === 'etc/passwd') f[3] = String(id);
      return f.join(':');
    });
    await writeFile(path, lines.join('\n'));
  }
}

/**
 * Debian's minbase for this machine's release, kept as a directory in the cache: the lower
 * layer of the Medusa image, so a change to the engine does not run debootstrap again.
 */
async function debianBase(log: (line: string) => void): Promise<string> {
  const src = debianSource();
  const name = `debian-minbase@${keyOf([recipesVersion, src.suite, src.mirror])}`;
  const dir = join(imagesDir(), name);
  if (existsSync(join(dir, '.complete'))) return join(dir, 'rootfs');
  await rm(dir, { recursive: true, force: true });
  await debootstrap(join(dir, 'rootfs'), src, [], log);
  await writeFile(join(dir, '.complete'), '');
  await pruneOthers('debian-minbase', name);
  return join(dir, 'rootfs');
}

/** What decides a Debian minbase with this machine's Node.js, the start of a Node image's key. */
async function nodeImageKey(): Promise<string[]> {
  const src = debianSource();
  return [recipesVersion, src.suite, src.mirror, process.version, await sha256OfFile(process.execPath)];
}

const medusaEngine = join(repoRoot, 'engines/medusa');
/** What the Dockerfile's build context leaves out (.dockerignore's spirit): outputs and installs. */
const medusaSkip = ['node_modules', '.medusa', 'dist', 'test-results', 'README.md'];

/**
 * The Medusa engine image, as engines/medusa/Dockerfile builds it (same steps, entry point, env,
 * user and writable paths), on a Debian minbase with this machine's Node.js (the runtime the
 * engine's suites use; Debian's own nodejs is too old for Medusa v2).
 */
const medusa: Recipe = {
  name: 'medusa',
  ref: imageRefs.medusa,
  key: async () => {
    return keyOf([...(await nodeImageKey()), await treeDigest(medusaEngine, medusaSkip)]);
  },
  async build({ work, log }) {
    const base = await debianBase(log);

    // ---- build stage: a clean copy of the engine, installed and built as the Dockerfile does ----
    const src = join(work, 'src');
    await cp(medusaEngine, src, {
      recursive: true,
      filter: (from) => !medusaSkip.some((s) => from.split('/').includes(s) && from.startsWith(medusaEngine)),
    });
    const env = { ...process.env, NODE_ENV: 'production', MEDUSA_DISABLE_TELEMETRY: 'true' };
    const npm = async (args: string[], cwd: string, extra: Record<string, string> = {}) => {
      log(`npm ${args.join(' ')} (in ${cwd.slice(work.length + 1) || '.'})`);
      await run('npm', args, {
        cwd,
        env: { ...env, NODE_ENV: 'development', ...extra },
        maxBuffer: 64 << 20,
      });
    };
    const ci = ['ci', '--no-audit', '--no-fund', '--loglevel=error'];
    await npm(ci, src);
    await npm(ci, join(src, 'storefront'));
    log('medusa build (server, admin dashboard)');
    await run(join(src, 'node_modules/.bin/medusa'), ['build'], {
      cwd: src,
      env: { ...env, NODE_OPTIONS: '--max-old-space-size=2048' },
      maxBuffer: 64 << 20,
    });
    log('storefront build');
    await run('npm', ['run', 'build'], { cwd: join(src, 'storefront'), env, maxBuffer: 64 << 20 });
    const server = join(src, '.medusa/server');
    await npm([...ci, '--omit=dev'], server);
    // As the Dockerfile: the migrator's directories, which it cannot create on a read-only root.
    await run(process.execPath, [join(src, 'build/migration-dirs.mjs'), server]);

    // ---- runtime layer: /app read-only and owned by root, node in /usr/local/bin ----
    const app = join(work, 'app');
    await mkdir(join(app, 'usr/local/bin'), { recursive: true });
    await copyFile(process.execPath, join(app, 'usr/local/bin/node'));
    await rename(server, join(app, 'app'));
    await rename(join(src, 'storefront/dist'), join(app, 'app/storefront'));
    await mkdir(join(app, 'app/bin'), { recursive: true });
    await copyFile(join(src, 'bin/storeplane-medusa'), join(app, 'app/bin/storeplane-medusa'));
    await chmod(join(app, 'app/bin/storeplane-medusa'), 0o755);
    await run('chmod', ['-R', 'go-w', join(app, 'app')]);
    return {
      layers: [base, app],
      entrypoint: ['/app/bin/storeplane-medusa'],
      cmd: ['server'],
      env: [
        'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        'NODE_ENV=production',
        'MEDUSA_DISABLE_TELEMETRY=true',
        'HOME=/tmp',
        'PORT=9000',
        'STOREFRONT_PORT=8000',
      ],
      workingDir: '/app',
      user: '1000:1000',
      exposedPorts: [9000, 8000],
    };
  },
};

/** What of src/ the platform image leaves out: tests and the Go modules of the local cluster. */
const platformSkip = ['go', 'node_modules'];
const platformSources = () => [
  treeDigest(join(repoRoot, 'src'), platformSkip),
  treeDigest(join(repoRoot, 'web'), ['dist', 'node_modules']),
  treeDigest(join(repoRoot, 'charts', 'woocommerce-store'), []),
  treeDigest(join(repoRoot, 'charts', 'medusa-store'), []),
  sha256OfFile(join(repoRoot, 'package-lock.json')),
  sha256OfFile(join(repoRoot, 'package.json')),
  sha256OfFile(join(repoRoot, 'tsconfig.build.json')),
];

/**
 * The platform image (operator, API, dashboard, helm, engine charts), laid out as the root
 * Dockerfile lays it out (/app/dist, /app/web/dist, /app/charts, /usr/local/bin/helm; uid 65532;
 * writes only to /tmp), on a Debian minbase with this machine's Node.js. The Dockerfile's
 * `npm ci --omit=dev` would compile better-sqlite3 again: a copy of this checkout's installed
 * dependencies, pruned to production ones, holds the same build.
 */
const platform: Recipe = {
  name: 'platform',
  ref: imageRefs.platform,
  key: async () => {
    const helm = (await ensureBinaries()).helm;
    return keyOf([
      ...(await nodeImageKey()),
      await sha256OfFile(helm),
      ...(await Promise.all(platformSources())),
    ]);
  },
  async build({ work, log }) {
    // The simulated cluster's helm: the version the suites test, as the Dockerfile builds it.
    const helm = (await ensureBinaries()).helm;
    const base = await debianBase(log);
    const layer = join(work, 'app');
    const app = join(layer, 'app');
    await mkdir(join(layer, 'usr/local/bin'), { recursive: true });
    log('tsc -p tsconfig.build.json (src/ to /app/dist)');
    await run(
      process.execPath,
      [
        join(repoRoot, 'node_modules/typescript/bin/tsc'),
        '-p',
        join(repoRoot, 'tsconfig.build.json'),
        '--outDir',
        join(app, 'dist'),
      ],
      { cwd: repoRoot },
    );
    log('the dashboard (web/dist, built when stale)');
    await cp(ensureDashboard(log), join(app, 'web/dist'), { recursive: true });
    log('production dependencies (a pruned copy of node_modules)');
    for (const f of ['package.json', 'package-lock.json']) await copyFile(join(repoRoot, f), join(app, f));
    await cp(join(repoRoot, 'node_modules'), join(app, 'node_modules'), {
      recursive: true,
      verbatimSymlinks: true,
    });
    await run('npm', ['prune', '--omit=dev', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd: app,
    });
    await rm(join(app, 'package-lock.json'));
    for (const chart of ['woocommerce-store', 'medusa-store'])
      await cp(join(repoRoot, 'charts', chart), join(app, 'charts', chart), { recursive: true });
    await copyFile(process.execPath, join(layer, 'usr/local/bin/node'));
    await copyFile(helm, join(layer, 'usr/local/bin/helm'));
    await run('chmod', ['-R', 'go-w', app]);
    return {
      layers: [base, layer],
      entrypoint: ['node', '/app/dist/cli/main.js'],
      cmd: ['help'],
      env: [
        'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        'NODE_ENV=production',
        'HOME=/tmp',
        'HELM_CACHE_HOME=/tmp/helm/cache',
        'HELM_CONFIG_HOME=/tmp/helm/config',
        'HELM_DATA_HOME=/tmp/helm/data',
        'STOREPLANE_HELM=/usr/local/bin/helm',
      ],
      workingDir: '/app',
      user: '65532:65532',
      exposedPorts: [8080, 9090],
    };
  },
};

export const recipes = { pause, busybox, coredns, postgres, medusa, platform } satisfies Record<
  keyof typeof imageRefs,
  Recipe
>;
export type ImageName = keyof typeof recipes;

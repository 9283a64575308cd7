import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { imagesOfCheckout } from './images.ts';
import {
  afterUp,
  type ClusterKind,
  clusterKinds,
  configDir,
  formatCommand,
  missingToolsMessage,
  parseDockerClusterArgs,
  planDown,
  planUp,
  platformRelease,
  requiredTools,
  type Step,
} from './plan.ts';

/** What the command touches outside itself; tests point it at a temporary PATH and capture output. */
export interface DockerClusterIo {
  /** The repository root: every command runs there. */
  root: string;
  /** The PATH searched for docker, kind, k3d, helm and kubectl (and given to the commands). */
  path: string;
  /** --dry-run's command lines. */
  stdout: (text: string) => void;
  /** Progress and errors. */
  stderr: (text: string) => void;
  /** The steps' own output: to the terminal (default), or nowhere (tests). */
  childStdio?: 'inherit' | 'ignore';
}

const defaultIo = (): DockerClusterIo => ({
  root: resolve(import.meta.dirname, '..', '..', '..'),
  path: process.env.PATH ?? '',
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
});

/** Whether main.ts should hand `argv` (everything after `storeplane`) to this command. */
export function isDockerClusterCommand(argv: string[]): boolean {
  if (argv[0] !== 'dev' || argv[1] === undefined) return false;
  // `dev cluster ...` is the local simulated cluster; `dev <other> up|down` is answered here, so
  // `dev minikube up` says which kinds there are instead of "unknown command".
  return (
    clusterKinds.includes(argv[1] as ClusterKind) ||
    (argv[1] !== 'cluster' && (argv[2] === 'up' || argv[2] === 'down'))
  );
}

/** An executable file named `tool` in one of the PATH's directories. */
export function findOnPath(tool: string, path: string): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, tool);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not there, or not executable: keep looking
    }
  }
  return undefined;
}

/**
 * Whether the cluster exists, so `up` can be run again after a failed build or install without
 * deleting the cluster first. Also an early, plain failure when Docker is not running.
 */
function clusterExists(
  kind: ClusterKind,
  name: string,
  io: DockerClusterIo,
): { ok: true; exists: boolean } | { ok: false; message: string } {
  const argv = kind === 'kind' ? ['kind', 'get', 'clusters'] : ['k3d', 'cluster', 'list', '-o', 'json'];
  const r = spawnSync(argv[0]!, argv.slice(1), {
    cwd: io.root,
    env: { ...process.env, PATH: io.path },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.error || r.status !== 0)
    return {
      ok: false,
      message:
        `\`${formatCommand(argv)}\` failed${r.error ? ` (${r.error.message})` : ''}: ` +
        `${(r.stderr ?? '').trim() || `exit ${r.status}`}\nIs Docker running?`,
    };
  if (kind === 'kind') return { ok: true, exists: r.stdout.split('\n').some((l) => l.trim() === name) };
  try {
    const clusters = JSON.parse(r.stdout || '[]') as { name?: string }[];
    return { ok: true, exists: clusters.some((c) => c.name === name) };
  } catch {
    return { ok: false, message: `\`${formatCommand(argv)}\` printed something other than JSON` };
  }
}

/** Runs one step with the terminal attached; resolves to its exit code (or a spawn error). */
function runStep(step: Step, io: DockerClusterIo): Promise<{ code: number | null; error?: Error }> {
  return new Promise((done) => {
    const child = spawn(step.argv[0]!, step.argv.slice(1), {
      cwd: io.root,
      env: { ...process.env, PATH: io.path },
      stdio: io.childStdio ?? 'inherit',
    });
    child.once('error', (error) => done({ code: null, error }));
    child.once('close', (code) => done({ code }));
  });
}

/** `storeplane dev kind|k3d up|down [--name N] [--dry-run] [--skip-build]`; returns the exit code. */
export async function devDockerCluster(argv: string[], io: DockerClusterIo = defaultIo()): Promise<number> {
  const say = (line: string) => io.stderr(`${line}\n`);
  const parsed = parseDockerClusterArgs(argv);
  if (!parsed.ok) {
    say(`storeplane: ${parsed.message}`);
    return 2;
  }
  const o = parsed.options;

  if (!o.dryRun) {
    const missing = missingToolsMessage(
      requiredTools(o.kind, o.action).filter((t) => !findOnPath(t, io.path)),
    );
    if (missing) {
      say(`storeplane dev ${o.kind} ${o.action}: ${missing}`);
      return 1;
    }
  }

  if (!o.dryRun && o.action === 'up') {
    // Before minutes of cluster creation and image builds, not after them.
    const needed = [
      ...(o.kind === 'kind' ? [`${configDir}/kind-config.yaml`] : []),
      `${configDir}/ingress-nginx-${o.kind}.yaml`,
      `${platformRelease.chart}/Chart.yaml`,
      platformRelease.values,
    ].filter((f) => !existsSync(join(io.root, f)));
    if (needed.length) {
      say(`storeplane dev ${o.kind} up: missing from this checkout: ${needed.join(', ')}`);
      return 1;
    }
  }

  let exists = false;
  if (!o.dryRun) {
    const found = clusterExists(o.kind, o.name, io);
    if (!found.ok) {
      say(`storeplane dev ${o.kind} ${o.action}: ${found.message}`);
      return 1;
    }
    exists = found.exists;
  }

  let steps: Step[];
  if (o.action === 'down') {
    if (!o.dryRun && !exists) {
      say(`There is no ${o.kind} cluster named "${o.name}"; nothing to delete.`);
      return 0;
    }
    steps = planDown(o);
  } else {
    const images = imagesOfCheckout(io.root);
    if (!images.ok) {
      say(`storeplane dev ${o.kind} up: ${images.message}`);
      return 1;
    }
    if (exists) say(`The ${o.kind} cluster "${o.name}" exists; using it (to start afresh: down, then up).`);
    steps = planUp(o, images.images, exists);
  }

  if (o.dryRun) {
    for (const step of steps) io.stdout(`${formatCommand(step.argv)}\n`);
    return 0;
  }

  for (const [i, step] of steps.entries()) {
    say(`==> [${i + 1}/${steps.length}] ${step.what}`);
    say(`    $ ${formatCommand(step.argv)}`);
    const r = await runStep(step, io);
    if (r.code !== 0) {
      const why = r.error ? r.error.message : `${step.argv[0]} exited with ${r.code ?? 'a signal'}`;
      say(`storeplane dev ${o.kind} ${o.action}: step ${i + 1} failed (${step.what}): ${why}.`);
      if (step.hint) say(step.hint);
      return 1;
    }
  }
  if (o.action === 'up') for (const line of afterUp(o)) say(line);
  else say(`Deleted the ${o.kind} cluster "${o.name}".`);
  return 0;
}

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface HelmResult {
  ok: boolean;
  code: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface HelmRunOptions {
  /** Values written to a 0600 file in a private directory and passed with -f (never on argv). */
  values?: unknown;
  signal?: AbortSignal;
}

/** The only way the operator talks to Helm: an argument array, never a shell string. */
export interface HelmRunner {
  run(args: string[], opts?: HelmRunOptions): Promise<HelmResult>;
  /** Number of helm children running now. */
  running(): number;
  /**
   * SIGTERM every running child (helm then marks its release failed, not pending) and wait. With
   * `killAfterMs`, a child still running then is killed: only for a leader that lost its lease,
   * which must not write once a standby may lead (the new leader unlocks what is left pending).
   */
  terminateAll(killAfterMs?: number): Promise<string[]>;
}

export interface HelmRunnerConfig {
  binary: string;
  /** Extra environment: KUBECONFIG, HELM_*_HOME. Never secrets. */
  env?: Record<string, string>;
  onFinish?: (args: string[], result: HelmResult) => void;
}

const maxOutputBytes = 8 << 20; // 8 MiB

export function createHelmRunner(config: HelmRunnerConfig): HelmRunner {
  const children = new Set<ChildProcess>();
  const exits = new Map<ChildProcess, Promise<void>>();

  async function run(args: string[], opts: HelmRunOptions = {}): Promise<HelmResult> {
    const started = Date.now();
    let dir: string | undefined;
    let argv = args;
    if (opts.values !== undefined) {
      dir = await mkdtemp(join(tmpdir(), 'storeplane-helm-'));
      const file = join(dir, 'values.json');
      await writeFile(file, JSON.stringify(opts.values), { mode: 0o600 });
      argv = [...args, '-f', file];
    }
    try {
      const result = await spawnHelm(argv, opts.signal);
      const full = { ...result, durationMs: Date.now() - started };
      config.onFinish?.(args, full);
      return full;
    } finally {
      if (dir) await rm(dir, { recursive: true, force: true });
    }
  }

  function spawnHelm(argv: string[], signal?: AbortSignal): Promise<Omit<HelmResult, 'durationMs'>> {
    return new Promise((resolve) => {
      const child = spawn(config.binary, argv, {
        env: { ...process.env, ...config.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.add(child);
      let stdout = '';
      let stderr = '';
      child.stdout?.on('data', (d: Buffer) => {
        if (stdout.length < maxOutputBytes) stdout += d.toString();
      });
      child.stderr?.on('data', (d: Buffer) => {
        if (stderr.length < maxOutputBytes) stderr += d.toString();
      });
      const onAbort = () => child.kill('SIGTERM');
      signal?.addEventListener('abort', onAbort, { once: true });
      const exited = new Promise<void>((done) => {
        child.on('close', (code) => {
          children.delete(child);
          exits.delete(child);
          signal?.removeEventListener('abort', onAbort);
          resolve({ ok: code === 0, code, stdout, stderr });
          done();
        });
        child.on('error', (err) => {
          stderr += String(err);
        });
      });
      exits.set(child, exited);
    });
  }

  return {
    run,
    running: () => children.size,
    async terminateAll(killAfterMs?: number) {
      const killed: string[] = [];
      for (const child of children) child.kill('SIGTERM');
      const all = Promise.all(exits.values());
      if (killAfterMs === undefined) {
        await all;
        return killed;
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([all, new Promise((r) => (timer = setTimeout(r, killAfterMs)))]);
      clearTimeout(timer);
      for (const child of children) {
        killed.push(child.spawnargs.slice(1, 3).join(' '));
        child.kill('SIGKILL');
      }
      await all;
      return killed;
    },
  };
}

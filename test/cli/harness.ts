import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

export interface CliRun {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * One person at a terminal-less shell: runs the real `storeplane` entry point (what bin/storeplane
 * execs) with its own config directory, as a script or CI job would. Every run is kept, so a test
 * can search all command lines and all output for secrets.
 */
export class CliUser {
  static readonly runs: CliRun[] = [];
  private constructor(
    readonly configHome: string,
    readonly server: string,
  ) {}

  static async create(server: string): Promise<CliUser> {
    return new CliUser(await mkdtemp(join(tmpdir(), 'storeplane-cli-')), server);
  }

  get configFile(): string {
    return join(this.configHome, 'storeplane', 'config.json');
  }

  token(): string {
    return (JSON.parse(readFileSync(this.configFile, 'utf8')) as { token: string }).token;
  }

  run(args: string[], o: { stdin?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], {
        cwd: root,
        env: {
          PATH: process.env.PATH,
          HOME: this.configHome,
          XDG_CONFIG_HOME: this.configHome,
          STOREPLANE_SERVER: this.server,
          ...o.env,
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        const r = { args, code: code ?? -1, stdout, stderr };
        CliUser.runs.push(r);
        resolve(r);
      });
      child.stdin.end(o.stdin ?? '');
    });
  }
}

/**
 * Every process's command line on this machine, sampled while tests run: a secret passed as an
 * argument (to the CLI, or by the CLI to anything it starts) would show up here.
 */
export class CommandLineWatch {
  readonly seen = new Set<string>();
  private timer?: NodeJS.Timeout;

  start(everyMs = 20): this {
    this.timer = setInterval(() => this.sample(), everyMs);
    return this;
  }

  sample(): void {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        this.seen.add(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '));
      } catch {
        // gone already
      }
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

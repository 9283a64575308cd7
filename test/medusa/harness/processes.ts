/** Child processes for the Medusa suite: one-shot commands and long-running servers. */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';

export interface RunResult {
  code: number | null;
  output: string;
  seconds: number;
}

/** Runs a command to completion, teeing its output to a log file. Never throws on exit status. */
export function run(cmd: string, args: string[], opts: SpawnOptions & { log: string }): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = createWriteStream(opts.log, { flags: 'a' });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      log.write(chunk);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => {
      log.end();
      resolve({ code, output, seconds: (performance.now() - started) / 1000 });
    });
  });
}

/** Like run, but a non-zero exit is an error that quotes the end of the output. */
export async function runOk(
  cmd: string,
  args: string[],
  opts: SpawnOptions & { log: string },
): Promise<RunResult> {
  const result = await run(cmd, args, opts);
  if (result.code !== 0) {
    throw new Error(
      `${cmd} ${args.join(' ')} exited ${result.code} (log: ${opts.log}):\n${result.output.slice(-3000)}`,
    );
  }
  return result;
}

export interface Service {
  child: ChildProcess;
  stop: () => Promise<void>;
}

/** Starts a long-running process in its own process group, logging to a file. */
export function startService(
  cmd: string,
  args: string[],
  opts: SpawnOptions & { log: string; stopSignal?: NodeJS.Signals },
): Service {
  const log = createWriteStream(opts.log, { flags: 'a' });
  const child = spawn(cmd, args, { ...opts, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    // A graceful signal to the group first, SIGKILL only if it hangs.
    signalGroup(child, opts.stopSignal ?? 'SIGTERM');
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  return { child, stop };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Polls a URL until it answers 2xx, the service dies, or the deadline passes. */
export async function waitForHttp(url: string, service: Service, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (service.child.exitCode !== null)
      throw new Error(`process exited with ${service.child.exitCode} before ${url} answered`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return (performance.now() - started) / 1000;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
}

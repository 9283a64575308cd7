import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Starts a component detached from this process (its own process group, output to its log),
 * so the cluster outlives the `up` command that started it.
 */
export function startDetached(cmd: {
  binary: string;
  args: string[];
  log: string;
  env?: Record<string, string>;
  cwd?: string;
}): number {
  const fd = openSync(cmd.log, 'a');
  try {
    const child = spawn(cmd.binary, cmd.args, {
      detached: true,
      stdio: ['ignore', fd, fd],
      ...(cmd.env ? { env: { ...process.env, ...cmd.env } } : {}),
      ...(cmd.cwd ? { cwd: cmd.cwd } : {}),
    });
    if (child.pid === undefined) throw new Error(`could not start ${cmd.binary}`);
    child.unref();
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

/** True when `pid` is alive and still runs `binary` (a recycled pid is not ours). */
export async function isOurs(pid: number, binary: string): Promise<boolean> {
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.split('\0')[0] === binary;
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL if it is still there after `graceMs`. Only ever signals our own process. */
export async function stopProcess(pid: number, binary: string, graceMs = 10_000): Promise<void> {
  if (!(await isOurs(pid, binary))) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!(await isOurs(pid, binary)) || (await isZombie(pid))) return;
    await sleep(100);
  }
  if (await isOurs(pid, binary)) process.kill(pid, 'SIGKILL');
}

async function isZombie(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

export async function tail(file: string, lines = 30): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

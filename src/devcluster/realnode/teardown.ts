import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { isOurs, stopProcess } from '../processes.ts';
import { bridgeName, paths } from './configs.ts';
import { lockFile, lockHolder, releaseNodeLock } from './lock.ts';
import type { RealNodeState } from './node.ts';
import { chainsToRemove, mountsUnder, ourIpsets } from './cleanup.ts';

const run = promisify(execFile);
const quiet = async (cmd: string, args: string[]) => {
  try {
    return (await run(cmd, args, { maxBuffer: 64 << 20 })).stdout;
  } catch {
    return '';
  }
};

/**
 * Stops the real node and removes everything it put on the machine: its processes and every
 * container (tasks killed through containerd), the pods' network namespaces, every mount under
 * the node's directory, the bridge, the iptables chains and ipsets of kubelet, kube-proxy,
 * kube-router and the CNI plugins, and ip_forward back to what it was. Returns what it stopped.
 */
export async function stopRealNode(dataDir: string, node: RealNodeState): Promise<string[]> {
  const stopped: string[] = [];
  const p = paths({ dir: node.dir, binDir: node.binDir, kubeconfig: '', caFile: '', hostIp: node.hostIp });
  const stop = async (name: string, graceMs = 10_000) => {
    const proc = node.processes[name];
    if (proc && (await isOurs(proc.pid, proc.binary))) {
      await stopProcess(proc.pid, proc.binary, graceMs);
      stopped.push(name);
    }
  };
  // The kubelet first, so it restarts nothing while the containers go.
  for (const name of ['ingress', 'local-path-provisioner', 'kubelet', 'kube-router', 'kube-proxy'])
    await stop(name);

  const containerd = node.processes.containerd;
  if (containerd && (await isOurs(containerd.pid, containerd.binary))) {
    const ctr = (...args: string[]) =>
      quiet('ctr', ['--address', p.containerdSocket, '--namespace', 'k8s.io', ...args]);
    // --force kills a running task before deleting it.
    for (const t of (await ctr('tasks', 'list', '--quiet')).split('\n').filter(Boolean))
      await ctr('tasks', 'delete', '--force', t);
    for (const c of (await ctr('containers', 'list', '--quiet')).split('\n').filter(Boolean))
      await ctr('containers', 'delete', c);
  }
  await stop('containerd');
  // Shims outlive containerd; each belongs to us when its command line names our socket.
  for (const pid of await shimsOf(p.containerdSocket)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }

  // Pod network namespaces: the CRI names them cni-<uuid> under /run/netns.
  if (existsSync('/run/netns'))
    for (const ns of await readdir('/run/netns'))
      if (ns.startsWith('cni-')) await quiet('ip', ['netns', 'delete', ns]);

  const mounts = mountsUnder(await readFile('/proc/self/mountinfo', 'utf8'), node.dir);
  for (const m of mounts)
    if ((await quiet('umount', [m])) === '' && (await stillMounted(m))) await quiet('umount', ['-l', m]);

  await quiet('ip', ['link', 'delete', bridgeName]);
  await removeIptables();
  for (const set of ourIpsets(await quiet('ipset', ['list', '-name'])))
    await quiet('ipset', ['destroy', set]);
  await writeFile('/proc/sys/net/ipv4/ip_forward', `${node.ipForwardBefore}\n`).catch(() => {});
  await releaseNodeLock(dataDir);
  return stopped;
}

/**
 * What a stopped real node would have left on the machine, one line each (empty: nothing):
 * processes of its binaries, mounts under its directory, the bridge, node iptables chains and
 * ipsets, pod network namespaces, ip_forward not restored, the lock.
 */
export async function leftovers(node: RealNodeState): Promise<string[]> {
  const out: string[] = [];
  const p = paths({ dir: node.dir, binDir: node.binDir, kubeconfig: '', caFile: '', hostIp: node.hostIp });
  for (const [name, proc] of Object.entries(node.processes))
    if (await isOurs(proc.pid, proc.binary)) out.push(`process ${name} (pid ${proc.pid})`);
  const shims = await shimsOf(p.containerdSocket);
  if (shims.length) out.push(`containerd shims ${shims.join(', ')}`);
  for (const m of mountsUnder(await readFile('/proc/self/mountinfo', 'utf8'), node.dir))
    out.push(`mount ${m}`);
  if (existsSync(`/sys/class/net/${bridgeName}`)) out.push(`bridge ${bridgeName}`);
  for (const table of ['filter', 'nat', 'mangle', 'raw']) {
    const chains = chainsToRemove(await quiet('iptables-save', ['-t', table])).filter((l) =>
      l.startsWith('-X '),
    );
    if (chains.length) out.push(`iptables ${table}: ${chains.map((l) => l.slice(3)).join(', ')}`);
  }
  const sets = ourIpsets(await quiet('ipset', ['list', '-name']));
  if (sets.length) out.push(`ipsets ${sets.join(', ')}`);
  if (existsSync('/run/netns')) {
    const ns = (await readdir('/run/netns')).filter((n) => n.startsWith('cni-'));
    if (ns.length) out.push(`network namespaces ${ns.join(', ')}`);
  }
  const fwd = (await readFile('/proc/sys/net/ipv4/ip_forward', 'utf8')).trim();
  if (fwd !== node.ipForwardBefore) out.push(`ip_forward is ${fwd}, was ${node.ipForwardBefore}`);
  if ((await lockHolder()) === dirname(node.dir)) out.push(`lock ${lockFile}`);
  return out;
}

async function stillMounted(target: string): Promise<boolean> {
  return mountsUnder(await readFile('/proc/self/mountinfo', 'utf8'), target).includes(target);
}

async function shimsOf(socket: string): Promise<number[]> {
  const out: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0');
      if (cmd[0]?.endsWith('containerd-shim-runc-v2') && cmd.includes(socket)) out.push(Number(entry));
    } catch {
      /* exited */
    }
  }
  return out;
}

/** Deletes the rules that jump to the node's chains, then the chains, in every table. */
async function removeIptables(): Promise<void> {
  const restore = (script: string) =>
    new Promise<boolean>((resolve) => {
      const child = execFile('iptables-restore', ['--noflush'], (err) => resolve(!err));
      child.stdin?.end(script);
    });
  for (const table of ['filter', 'nat', 'mangle', 'raw']) {
    const lines = chainsToRemove(await quiet('iptables-save', ['-t', table]));
    if (!lines.length) continue;
    // All at once; if one line is refused, line by line so the others still go.
    if (await restore(`*${table}\n${lines.join('\n')}\nCOMMIT\n`)) continue;
    for (const line of lines) await restore(`*${table}\n${line}\nCOMMIT\n`);
  }
}

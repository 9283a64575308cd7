import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * What a real node needs from this machine, checked before anything starts, each missing thing
 * named exactly (a capability by its name and bit, a binary by its Debian package).
 */
export interface MachineFacts {
  uid: number;
  /** CapEff of this process, as the hex mask in /proc/self/status. */
  capEff: bigint;
  /** Binaries found on PATH (or in /usr/lib/cni for CNI plugins). */
  has: (binary: string) => boolean;
  /** /proc/sys/net/bridge/bridge-nf-call-iptables exists (br_netfilter). */
  bridgeNetfilter: boolean;
  /** cgroup v1 controllers or a cgroup2 mount are present. */
  cgroups: boolean;
  /** The address pods and the API server use to reach this host. */
  hostIp?: string;
}

const capabilities: [name: string, bit: number, why: string][] = [
  ['CAP_NET_ADMIN', 12, 'bridges, veth pairs, iptables and routes for pod networking'],
  ['CAP_SYS_ADMIN', 21, 'mounts for container root filesystems, volumes and network namespaces'],
  ['CAP_NET_RAW', 13, 'iptables and ipset'],
  ['CAP_SYS_CHROOT', 18, 'containers and building the images (debootstrap)'],
  ['CAP_SETUID', 7, 'running containers as their own users'],
  ['CAP_SETGID', 6, 'running containers as their own groups'],
  ['CAP_CHOWN', 0, 'giving volumes to their pods'],
];

/** Binary → Debian package that provides it. */
export const requiredPackages: Record<string, string> = {
  containerd: 'containerd',
  ctr: 'containerd',
  runc: 'runc',
  iptables: 'iptables',
  ipset: 'ipset',
  conntrack: 'conntrack',
  debootstrap: 'debootstrap',
  bridge: 'containernetworking-plugins',
  'host-local': 'containernetworking-plugins',
  portmap: 'containernetworking-plugins',
};

export interface Problem {
  what: string;
  fix: string;
}

/** Everything that keeps this machine from running a real node; empty when it can. */
export function problems(f: MachineFacts): Problem[] {
  const out: Problem[] = [];
  if (f.uid !== 0)
    out.push({
      what: 'not running as root',
      fix: 'A real node runs containers: run as root (or use --dev-cluster without --real-node).',
    });
  for (const [name, bit, why] of capabilities) {
    if ((f.capEff & (1n << BigInt(bit))) === 0n)
      out.push({
        what: `missing capability ${name} (bit ${bit} of CapEff)`,
        fix: `needed for ${why}; run where the process has it`,
      });
  }
  const missing = Object.entries(requiredPackages).filter(([bin]) => !f.has(bin));
  if (missing.length) {
    const pkgs = [...new Set(missing.map(([, p]) => p))];
    out.push({
      what: `missing ${missing.map(([b]) => b).join(', ')}`,
      fix: `apt-get install --no-install-recommends ${pkgs.join(' ')}`,
    });
  }
  if (!f.bridgeNetfilter)
    out.push({
      what: 'no br_netfilter (/proc/sys/net/bridge/bridge-nf-call-iptables)',
      fix: 'modprobe br_netfilter, or a kernel with it built in',
    });
  if (!f.cgroups)
    out.push({ what: 'no cgroups mounted under /sys/fs/cgroup', fix: 'mount cgroups (v1 or v2)' });
  if (!f.hostIp)
    out.push({
      what: 'no non-loopback IPv4 address',
      fix: 'the node and the API server need an address pods can reach',
    });
  return out;
}

function onPath(binary: string): boolean {
  const dirs = [
    ...(process.env.PATH ?? '').split(delimiter),
    '/usr/sbin',
    '/sbin',
    '/usr/lib/cni',
    '/opt/cni/bin',
  ];
  return dirs.some((d) => d && existsSync(join(d, binary)));
}

/** Reads the facts off this machine. */
export function readMachineFacts(hostIp: string | undefined): MachineFacts {
  const status = readFileSync('/proc/self/status', 'utf8');
  const capEff = BigInt(`0x${/CapEff:\s*([0-9a-f]+)/.exec(status)?.[1] ?? '0'}`);
  return {
    uid: process.getuid?.() ?? -1,
    capEff,
    has: onPath,
    bridgeNetfilter: existsSync('/proc/sys/net/bridge/bridge-nf-call-iptables'),
    cgroups: existsSync('/sys/fs/cgroup/memory') || existsSync('/sys/fs/cgroup/cgroup.controllers'),
    ...(hostIp ? { hostIp } : {}),
  };
}

import { describe, expect, it } from 'vitest';
import { type MachineFacts, problems, requiredPackages } from './preflight.ts';

// CapEff of this kind of machine: everything but CAP_SYS_RESOURCE (bit 24), which a real node
// does without (containerd's restrict_oom_score_adj).
const thisMachine = 0x000001fffeffffffn;
const all = (): MachineFacts => ({
  uid: 0,
  capEff: thisMachine,
  has: () => true,
  bridgeNetfilter: true,
  cgroups: true,
  hostIp: '192.0.2.2',
});

describe('real node preflight', () => {
  it('a root machine with the packages and capabilities can run a node, without CAP_SYS_RESOURCE', () => {
    expect(problems(all())).toEqual([]);
  });

  it.each([
    ['CAP_NET_ADMIN', 12],
    ['CAP_SYS_ADMIN', 21],
    ['CAP_NET_RAW', 13],
  ])('names a missing %s by name and bit', (name, bit) => {
    const out = problems({ ...all(), capEff: thisMachine & ~(1n << BigInt(bit)) });
    expect(out).toHaveLength(1);
    expect(out[0]?.what).toBe(`missing capability ${name} (bit ${bit} of CapEff)`);
  });

  it('names each missing binary and the Debian packages that bring them, once each', () => {
    const missing = new Set(['containerd', 'ctr', 'ipset', 'bridge']);
    const out = problems({ ...all(), has: (b) => !missing.has(b) });
    expect(out).toEqual([
      {
        what: 'missing containerd, ctr, ipset, bridge',
        fix: 'apt-get install --no-install-recommends containerd ipset containernetworking-plugins',
      },
    ]);
    expect(Object.keys(requiredPackages)).toEqual(
      expect.arrayContaining(['runc', 'iptables', 'debootstrap']),
    );
  });

  it('reports not being root, no br_netfilter, no cgroups and no address, each with a fix', () => {
    const out = problems({ ...all(), uid: 1000, bridgeNetfilter: false, cgroups: false, hostIp: undefined });
    expect(out.map((p) => p.what)).toEqual([
      'not running as root',
      'no br_netfilter (/proc/sys/net/bridge/bridge-nf-call-iptables)',
      'no cgroups mounted under /sys/fs/cgroup',
      'no non-loopback IPv4 address',
    ]);
    for (const p of out) expect(p.fix.length).toBeGreaterThan(10);
  });
});

import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The Debian release and mirror this machine's apt uses: the images are built from the same. */
export interface DebianSource {
  suite: string;
  mirror: string;
}

/** Reads the suite from /etc/os-release and the mirror from apt's sources (deb822 or one-line). */
export function debianSource(
  read: (file: string) => string | undefined = (f) => (existsSync(f) ? readFileSync(f, 'utf8') : undefined),
): DebianSource {
  const osRelease = read('/etc/os-release') ?? '';
  const suite = /^VERSION_CODENAME=(\S+)$/m.exec(osRelease)?.[1] ?? 'bookworm';
  return { suite, mirror: mirrorFrom(read) ?? 'http://deb.debian.org/debian' };
}

/** The first mirror that serves `main` of the release itself (not -security or -updates). */
export function mirrorFrom(read: (file: string) => string | undefined): string | undefined {
  const deb822 = read('/etc/apt/sources.list.d/debian.sources');
  if (deb822) {
    for (const stanza of deb822.split(/\n\s*\n/)) {
      const uri = /^URIs:\s*(\S+)/m.exec(stanza)?.[1];
      const suites = /^Suites:\s*(.+)$/m.exec(stanza)?.[1]?.split(/\s+/) ?? [];
      if (uri && suites.some((s) => !s.includes('-'))) return uri;
    }
  }
  const list = read('/etc/apt/sources.list');
  for (const line of list?.split('\n') ?? []) {
    const m = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+([a-z]+)\s/.exec(line.trim());
    if (m?.[1] && m[2]) return m[1];
  }
  return undefined;
}

/**
 * A minimal Debian root filesystem (debootstrap's minbase variant) with `include` on top, as
 * root, without apt's caches and lists (an image never runs apt).
 */
export async function debootstrap(
  target: string,
  source: DebianSource,
  include: string[],
  log: (line: string) => void,
): Promise<void> {
  const args = [
    '--variant=minbase',
    ...(include.length ? [`--include=${include.join(',')}`] : []),
    source.suite,
    target,
    source.mirror,
  ];
  log(`debootstrap ${args.join(' ')}`);
  await run('debootstrap', args, {
    maxBuffer: 64 << 20,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  for (const dir of ['var/cache/apt/archives', 'var/lib/apt/lists']) {
    const full = join(target, dir);
    if (!existsSync(full)) continue;
    for (const f of await readdir(full))
      if (f !== 'partial' && f !== 'lock') await rm(join(full, f), { recursive: true, force: true });
  }
  await rm(join(target, 'var/log'), { recursive: true, force: true });
}

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, relative } from 'node:path';

/** ~/.cache/storeplane (or $STOREPLANE_CACHE), shared with src/devcluster/build.sh. */
export function cacheRoot(): string {
  return (
    process.env.STOREPLANE_CACHE ||
    join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'storeplane')
  );
}

export const imagesDir = () => join(cacheRoot(), 'images');

/** A short key over everything that decides a build's output. */
export function keyOf(parts: (string | Buffer)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 12);
}

export async function sha256OfFile(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}

/**
 * The digest of a source tree: every file's path and content, in a stable order, skipping the
 * directories `skip` names (relative to `dir`, or any directory with that base name).
 */
export async function treeDigest(dir: string, skip: string[]): Promise<string> {
  const h = createHash('sha256');
  const walk = async (d: string): Promise<void> => {
    const entries = (await readdir(d, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      const full = join(d, e.name);
      const rel = relative(dir, full);
      if (skip.includes(e.name) || skip.includes(rel)) continue;
      if (e.isDirectory()) await walk(full);
      else if (e.isFile()) {
        h.update(rel)
          .update('\0')
          .update(await readFile(full))
          .update('\0');
        h.update(((await stat(full)).mode & 0o111 ? 'x' : '-') + '\0');
      }
    }
  };
  await walk(dir);
  return h.digest('hex');
}

/** Removes earlier builds of `name` (files `name@<other key>…`), so the cache holds one archive per image. */
export async function pruneOthers(name: string, keep: string): Promise<void> {
  const dir = imagesDir();
  if (!existsSync(dir)) return;
  for (const f of await readdir(dir)) {
    if (f.startsWith(`${name}@`) && f !== keep && !f.startsWith('.'))
      await rm(join(dir, f), { recursive: true, force: true });
  }
}

export async function ensureDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  return dir;
}

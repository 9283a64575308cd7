import { existsSync } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDir, imagesDir, pruneOthers } from './cache.ts';
import { writeImageArchive } from './oci.ts';
import { type ImageName, recipes } from './recipes.ts';

export interface BuiltImage {
  name: ImageName;
  ref: string;
  archive: string;
  /** Seconds this call spent building it; 0 when it came from the cache. */
  seconds: number;
}

/**
 * The OCI archive of each named image, built on first use (progress through `log`) and cached
 * in ~/.cache/storeplane/images keyed by the image's inputs. A failed build leaves nothing in
 * the cache.
 */
export async function ensureImages(
  names: ImageName[],
  opts: { nodeBinDir: string; log: (line: string) => void },
): Promise<BuiltImage[]> {
  const dir = await ensureDir(imagesDir());
  const out: BuiltImage[] = [];
  for (const name of names) {
    const recipe = recipes[name];
    const key = await recipe.key(opts);
    const file = `${name}@${key}.tar`;
    const archive = join(dir, file);
    if (existsSync(archive)) {
      out.push({ name, ref: recipe.ref, archive, seconds: 0 });
      continue;
    }
    const t0 = performance.now();
    const work = await mkdtemp(join(dir, `.work-${name}-`));
    const log = (line: string) => opts.log(`[images] ${name}: ${line}`);
    const heartbeat = setInterval(
      () => log(`${((performance.now() - t0) / 1000).toFixed(0)}s elapsed`),
      15_000,
    );
    try {
      log(`building ${recipe.ref} (key ${key}) ...`);
      const config = await recipe.build({ ...opts, work, log });
      await writeImageArchive({ ...config, name: recipe.ref }, join(work, 'image.tar'));
      await rename(join(work, 'image.tar'), archive);
      await pruneOthers(name, file);
      const seconds = (performance.now() - t0) / 1000;
      log(`built in ${seconds.toFixed(0)}s`);
      out.push({ name, ref: recipe.ref, archive, seconds });
    } finally {
      clearInterval(heartbeat);
      await rm(work, { recursive: true, force: true });
    }
  }
  return out;
}

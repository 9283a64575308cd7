import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { PlatformImages } from './plan.ts';

/** The platform image's repository; its tag is package.json's version. */
export const platformRepository = 'ghcr.io/storeplane/platform';

const tagPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const repositoryPattern = /^[a-z0-9.:/_-]+$/;

/**
 * The images of this checkout, named as scripts/build-images.sh tags them (a test holds the two
 * together): the platform from package.json's version, each engine from its chart's
 * values.yaml `image.repository` and `image.tag`, so the charts' defaults find what was loaded.
 */
export function imagesOfCheckout(
  root: string,
): { ok: true; images: PlatformImages } | { ok: false; message: string } {
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown };
    const version = pkg.version;
    if (typeof version !== 'string' || !tagPattern.test(version))
      return { ok: false, message: `package.json has no usable version (got ${JSON.stringify(version)})` };
    const engineImage = (engine: 'medusa' | 'woocommerce'): string => {
      const file = join('charts', `${engine}-store`, 'values.yaml');
      const values = yaml.load(readFileSync(join(root, file), 'utf8')) as {
        image?: { repository?: unknown; tag?: unknown };
      } | null;
      const { repository, tag } = values?.image ?? {};
      if (typeof repository !== 'string' || !repositoryPattern.test(repository))
        throw new Error(`${file}: no usable image.repository (got ${JSON.stringify(repository)})`);
      if (typeof tag !== 'string' || !tagPattern.test(tag))
        throw new Error(`${file}: no usable image.tag (got ${JSON.stringify(tag)})`);
      return `${repository}:${tag}`;
    };
    return {
      ok: true,
      images: {
        version,
        platform: `${platformRepository}:${version}`,
        medusa: engineImage('medusa'),
        woocommerce: engineImage('woocommerce'),
      },
    };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

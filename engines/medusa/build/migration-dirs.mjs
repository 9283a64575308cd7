/* eslint-disable no-console -- a build script: its output is the build log. */
// Image build step: an empty `dist/migrations` in every Medusa package that has none.
// MikroORM's migrator creates each module's migrations directory before reading it (fs-extra
// ensureDir), even for modules without migrations; on the image's read-only root filesystem
// that fails ("ENOENT: no such file or directory, mkdir '/app/node_modules/@medusajs/file/dist/
// migrations'") and `medusa db:migrate` never completes.
//   node build/migration-dirs.mjs <built server dir>
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const app = process.argv[2];
if (!app) {
  console.error('usage: node build/migration-dirs.mjs <built server dir>');
  process.exit(2);
}
const scope = join(app, 'node_modules', '@medusajs');
let created = 0;
for (const pkg of readdirSync(scope)) {
  const dist = join(scope, pkg, 'dist');
  if (existsSync(dist) && !existsSync(join(dist, 'migrations'))) {
    mkdirSync(join(dist, 'migrations'));
    created += 1;
  }
}
console.log(`migration-dirs: created ${created} empty migrations directories under ${scope}`);

// Writes deploy/rbac/*.yaml from the platform chart; a unit test fails when they drift.
import { writeFile } from 'node:fs/promises';
import { ensureBinaries } from '../src/devcluster/binaries.ts';
import { rbacFiles, renderRbacFiles } from './rbac-from-chart.ts';

const rendered = await renderRbacFiles((await ensureBinaries()).helm);
for (const [which, path] of Object.entries(rbacFiles)) {
  await writeFile(path, rendered[which as keyof typeof rbacFiles]);
  process.stdout.write(`wrote ${path}\n`);
}

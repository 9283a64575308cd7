// Writes the Store CRD generated from the schema, to deploy/crds and into the platform chart;
// a unit test fails when either file drifts.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { chartCrdPath, crdPath } from '../src/store/crd-file.ts';
import { renderStoreCrd } from '../src/store/crd.ts';

for (const path of [crdPath, chartCrdPath]) {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, renderStoreCrd());
  process.stdout.write(`wrote ${path}\n`);
}

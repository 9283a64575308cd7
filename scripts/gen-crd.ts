// Writes the Store CRD generated from the schema; a unit test fails when the file drifts.
import { writeFile } from 'node:fs/promises';
import { crdPath } from '../src/store/crd-file.ts';
import { renderStoreCrd } from '../src/store/crd.ts';

await writeFile(crdPath, renderStoreCrd());
process.stdout.write(`wrote ${crdPath}\n`);

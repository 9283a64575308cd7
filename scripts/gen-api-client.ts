// Writes the API's OpenAPI document and the typed client's types generated from it:
// src/api/client/openapi.json and src/api/client/schema.d.ts. The app is built in-process, with
// no cluster and no network (src/api/openapi-document.ts); a unit test fails when either drifts.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER, type OpenAPI3 } from 'openapi-typescript';
import * as prettier from 'prettier';
import { openApiDocument } from '../src/api/openapi-document.ts';

export const clientDir = join(import.meta.dirname, '..', 'src', 'api', 'client');
export const documentPath = join(clientDir, 'openapi.json');
export const schemaPath = join(clientDir, 'schema.d.ts');

/** Formatted as the repository's prettier config wants it, so `prettier --check .` passes. */
async function formatted(text: string, filepath: string): Promise<string> {
  const config = (await prettier.resolveConfig(filepath)) ?? {};
  return prettier.format(text, { ...config, filepath });
}

/** The two generated files' contents for a document. */
export async function renderClientFiles(
  document: Record<string, unknown>,
): Promise<{ json: string; schema: string }> {
  const ast = await openapiTS(document as unknown as OpenAPI3, { silent: true, alphabetize: false });
  const types = `${COMMENT_HEADER}${astToString(ast)}`;
  return {
    json: await formatted(JSON.stringify(document), documentPath),
    schema: await formatted(types, schemaPath),
  };
}

async function main() {
  const { json, schema } = await renderClientFiles(await openApiDocument());
  await writeFile(documentPath, json);
  await writeFile(schemaPath, schema);
  process.stdout.write(`wrote ${documentPath}\nwrote ${schemaPath}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();

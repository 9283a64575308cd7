import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { chartCrdPath, crdPath } from './crd-file.ts';
import { renderStoreCrd, storeCrd } from './crd.ts';

function walk(node: unknown, visit: (n: Record<string, unknown>, path: string) => void, path = '$'): void {
  if (!node || typeof node !== 'object') return;
  const n = node as Record<string, unknown>;
  visit(n, path);
  for (const [k, v] of Object.entries(n.properties ?? {})) walk(v, visit, `${path}.${k}`);
  if (n.items) walk(n.items, visit, `${path}[]`);
}

describe('the Store CRD', () => {
  it.each([
    ['deploy/crds', crdPath],
    ['the platform chart', chartCrdPath],
  ])(
    'is checked in under %s exactly as the schema generates it (run `npm run gen:crd`)',
    async (_where, path) => {
      expect(await readFile(path, 'utf8')).toBe(renderStoreCrd());
    },
  );

  it('is structural: every node has a type and no additionalProperties next to properties', () => {
    const schema = storeCrd().spec.versions[0]?.schema?.openAPIV3Schema;
    const problems: string[] = [];
    walk(schema, (n, path) => {
      if (!n.type && !n['x-kubernetes-preserve-unknown-fields']) problems.push(`${path} has no type`);
      if (n.properties && 'additionalProperties' in n)
        problems.push(`${path} mixes properties and additionalProperties`);
      if ('const' in n || 'anyOf' in n) problems.push(`${path} uses ${'const' in n ? 'const' : 'anyOf'}`);
    });
    expect(problems).toEqual([]);
  });

  it('has the printer columns and the status subresource', () => {
    const v = storeCrd().spec.versions[0];
    expect(v?.additionalPrinterColumns?.map((c) => c.name)).toEqual([
      'Engine',
      'Owner',
      'Phase',
      'URL',
      'Age',
    ]);
    expect(v?.subresources?.status).toEqual({});
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { engineDrivers } from '../../src/store/engines.ts';
import { charts } from './charts.ts';

/** Every leaf of a values tree as a dotted path, plan names replaced by `<plan>`. */
function leafPaths(node: unknown, prefix: string[] = []): string[][] {
  if (node !== null && typeof node === 'object' && !Array.isArray(node) && Object.keys(node).length > 0) {
    return Object.entries(node).flatMap(([k, v]) =>
      leafPaths(v, [...prefix, prefix.length === 1 && prefix[0] === 'sizes' ? '<plan>' : k]),
    );
  }
  return [prefix];
}

describe.each(charts)('$name README', (chart) => {
  const readme = readFileSync(join(chart.dir, 'README.md'), 'utf8');
  const values = yaml.load(readFileSync(join(chart.dir, 'values.yaml'), 'utf8'));

  it('explains every value of values.yaml (the value itself or its group of two or more levels)', () => {
    const undocumented = [...new Set(leafPaths(values).map((p) => p.join('.')))].filter((path) => {
      const parts = path.split('.');
      const candidates = [path];
      for (let depth = parts.length - 1; depth >= 2; depth--)
        candidates.push(parts.slice(0, depth).join('.'));
      return !candidates.some((c) => readme.includes(`\`${c}`));
    });
    expect(undocumented).toEqual([]);
  });

  it('names every key of the credentials Secret and every values file', () => {
    for (const f of ['values-local.yaml', 'values-prod.yaml']) expect(readme).toContain(f);
    expect(readme).toContain('existingSecret');
    for (const key of Object.keys(engineDrivers[chart.engine].credentials))
      expect(readme).toContain(`\`${key}\``);
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { engineDrivers } from '../store/engines.ts';
import type { Engine } from '../store/schema.ts';

export interface ChartRef {
  path: string;
  name: string;
  version: string;
  /** True when the engine chart does not exist yet and a stand-in with the same shape is used. */
  standIn: boolean;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const standInChart = join(repoRoot, 'test', 'fixtures', 'store-chart');

/** Finds the chart for an engine: an explicit path, else charts/<engine>-store, else the stand-in. */
export function resolveChart(engine: Engine, overrides: Partial<Record<Engine, string>>): ChartRef {
  const explicit = overrides[engine];
  const candidate = explicit ?? join(repoRoot, 'charts', engineDrivers[engine].chartName);
  const path = explicit || existsSync(join(candidate, 'Chart.yaml')) ? candidate : standInChart;
  const meta = yaml.load(readFileSync(join(path, 'Chart.yaml'), 'utf8')) as { name: string; version: string };
  return {
    path,
    name: meta.name,
    version: String(meta.version),
    standIn: !explicit && path === standInChart,
  };
}

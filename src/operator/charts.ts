import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { engineDrivers } from '../store/engines.ts';
import { chartAnnotations } from '../store/keys.ts';
import { type Engine, engines } from '../store/schema.ts';
import type { Values } from '../store/values-layers.ts';

/**
 * A volume holding a store's data, as its chart declares it in Chart.yaml (annotation
 * `storeplane.dev/data-volumes`, a YAML list; `{release}` and `{plan}` are filled in). The
 * operator keeps such volumes through every repair, refuses to shrink them, and grows them by
 * patching the claim (a StatefulSet's claim templates cannot change).
 */
export interface DataVolume {
  /** In words: "database", "uploads". */
  what: string;
  /** The claim holding the data. */
  claim: string;
  /** Set when a StatefulSet makes the claim from a claim template. */
  statefulSet?: string;
  template?: string;
  /** Dotted chart value that sets the size; the operator pins it. */
  sizeValue: string;
  /** Dotted chart value holding the plan's size. */
  planSizeValue: string;
}

export interface EngineChart {
  engine: Engine;
  path: string;
  name: string;
  version: string;
  /** sha256 of every file Helm renders from, so a fixed chart reaches existing stores. */
  contentDigest: string;
  /** The chart's default values (values.yaml). */
  defaults: Values;
  dataVolumes: DataVolume[];
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const dataVolumesAnnotation = chartAnnotations.dataVolumes;

export class ChartError extends Error {}

/** Files that change what Helm renders (not the README or environment values files). */
function renderInputs(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d).sort()) {
      const full = join(d, entry);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(full);
    }
  };
  for (const f of ['Chart.yaml', 'Chart.lock', 'values.yaml', 'values.schema.json', '.helmignore'])
    if (existsSync(join(dir, f))) out.push(join(dir, f));
  for (const d of ['templates', 'files', 'charts', 'crds']) if (existsSync(join(dir, d))) walk(join(dir, d));
  return out;
}

export function chartContentDigest(dir: string): string {
  const h = createHash('sha256');
  for (const file of renderInputs(dir)) {
    h.update(relative(dir, file).split(sep).join('/'));
    h.update('\0');
    h.update(readFileSync(file));
    h.update('\0');
  }
  return `sha256:${h.digest('hex').slice(0, 32)}`;
}

function parseDataVolumes(raw: unknown, chartFile: string): DataVolume[] {
  if (raw === undefined) return [];
  const list = typeof raw === 'string' ? yaml.load(raw) : raw;
  if (!Array.isArray(list))
    throw new ChartError(`${chartFile}: ${dataVolumesAnnotation} must be a YAML list`);
  return list.map((v: Record<string, unknown>, i) => {
    for (const key of ['what', 'claim', 'sizeValue', 'planSizeValue'])
      if (typeof v[key] !== 'string' || !v[key])
        throw new ChartError(`${chartFile}: ${dataVolumesAnnotation}[${i}] needs "${key}"`);
    if (Boolean(v.statefulSet) !== Boolean(v.template))
      throw new ChartError(
        `${chartFile}: ${dataVolumesAnnotation}[${i}] needs both statefulSet and template`,
      );
    return v as unknown as DataVolume;
  });
}

export function loadChart(engine: Engine, path: string): EngineChart {
  const chartFile = join(path, 'Chart.yaml');
  if (!existsSync(chartFile))
    throw new ChartError(
      `the ${engine} engine chart is missing: no Chart.yaml in ${path} (pass --chart ${engine}=<dir>)`,
    );
  const meta = yaml.load(readFileSync(chartFile, 'utf8')) as {
    name?: string;
    version?: string;
    annotations?: Record<string, unknown>;
  };
  if (!meta?.name || !meta.version) throw new ChartError(`${chartFile} has no name or version`);
  const valuesFile = join(path, 'values.yaml');
  const defaults = existsSync(valuesFile)
    ? ((yaml.load(readFileSync(valuesFile, 'utf8')) ?? {}) as Values)
    : {};
  return {
    engine,
    path,
    name: meta.name,
    version: String(meta.version),
    contentDigest: chartContentDigest(path),
    defaults,
    dataVolumes: parseDataVolumes(meta.annotations?.[dataVolumesAnnotation], chartFile),
  };
}

/**
 * The chart of every engine: an explicit directory, else charts/<engine>-store of this checkout.
 * A missing chart is an error at start, never a silent fallback to a stand-in.
 */
export function loadEngineCharts(overrides: Partial<Record<Engine, string>>): Record<Engine, EngineChart> {
  return Object.fromEntries(
    engines.map((e) => [
      e,
      loadChart(e, overrides[e] ?? join(repoRoot, 'charts', engineDrivers[e].chartName)),
    ]),
  ) as Record<Engine, EngineChart>;
}

/** `{release}` and `{plan}` filled in. */
export function fill(template: string, vars: { release: string; plan: string }): string {
  return template.replaceAll('{release}', vars.release).replaceAll('{plan}', vars.plan);
}

/** A dotted path's value in a values tree. */
export function valueAt(values: Values, dotted: string): unknown {
  let v: unknown = values;
  for (const key of dotted.split('.')) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** A copy of `values` with `dotted` set. */
export function withValue(values: Values, dotted: string, value: unknown): Values {
  const [head, ...rest] = dotted.split('.');
  if (!head) return values;
  if (!rest.length) return { ...values, [head]: value };
  const under = values[head];
  return {
    ...values,
    [head]: withValue(under && typeof under === 'object' ? (under as Values) : {}, rest.join('.'), value),
  };
}

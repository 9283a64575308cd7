import yaml from 'js-yaml';

export type Values = Record<string, unknown>;

const isMapping = (v: unknown): v is Values => Boolean(v) && typeof v === 'object' && !Array.isArray(v);

/**
 * An environment's values file for an engine chart (values-local.yaml, values-prod.yaml, ...):
 * a YAML mapping, or a clear error. Empty means no values.
 */
export function parseEnvironmentValues(text: string, file: string): Values {
  let doc: unknown;
  try {
    doc = yaml.load(text);
  } catch (err) {
    throw new Error(`${file} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (doc === undefined || doc === null) return {};
  if (!isMapping(doc)) throw new Error(`${file} must be a YAML mapping of chart values`);
  return doc;
}

/**
 * `top` layered over `base` the way Helm layers values files: mappings merge key by key, anything
 * else (scalars, lists) in `top` replaces what `base` had. Neither input is changed.
 */
export function layerValues(base: Values, top: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(top)) {
    const under = out[key];
    out[key] = isMapping(under) && isMapping(value) ? layerValues(under, value) : value;
  }
  return out;
}

import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so equal values always hash the same. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Digest of what a release should be: the chart's identity, version and content (so a fixed chart
 * reaches existing stores) and the values.
 */
export function configDigest(
  chart: { name: string; version: string; content: string },
  values: unknown,
): string {
  return `sha256:${createHash('sha256').update(canonicalJson({ chart, values })).digest('hex').slice(0, 32)}`;
}

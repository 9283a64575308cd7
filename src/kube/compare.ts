/**
 * True when every field set in `desired` has the same value in `live` (extra live fields, such as
 * defaults the API server filled in, are fine). Empty desired values match anything.
 */
export function isSubset(desired: unknown, live: unknown): boolean {
  if (desired === null || desired === undefined) return true;
  if (Array.isArray(desired)) {
    if (!Array.isArray(live) || live.length !== desired.length) return desired.length === 0;
    return desired.every((d, i) => isSubset(d, live[i]));
  }
  if (typeof desired === 'object') {
    if (!live || typeof live !== 'object') return Object.keys(desired).length === 0;
    return Object.entries(desired as Record<string, unknown>).every(([k, v]) =>
      isSubset(v, (live as Record<string, unknown>)[k]),
    );
  }
  if (typeof desired === 'number' || typeof live === 'number') return String(desired) === String(live);
  return desired === live;
}

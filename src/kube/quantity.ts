const suffixes: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  m: 1e-3,
};

/** A Kubernetes quantity ("2Gi", "500M", "1.5", "250m") as a number, or NaN when malformed. */
export function parseQuantity(q: string | number | undefined): number {
  if (typeof q === 'number') return q;
  const m = /^([0-9]+(?:\.[0-9]+)?)(?:[eE]([+-]?[0-9]+))?([a-zA-Z]*)$/.exec((q ?? '').trim());
  if (!m) return Number.NaN;
  const factor = suffixes[m[3] ?? ''];
  if (factor === undefined) return Number.NaN;
  return Number(m[1]) * 10 ** Number(m[2] ?? 0) * factor;
}

/** -1, 0 or 1 as a is smaller than, equal to or larger than b. */
export function compareQuantities(a: string, b: string): number {
  const x = parseQuantity(a);
  const y = parseQuantity(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

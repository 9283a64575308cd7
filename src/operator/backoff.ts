/** Exponential backoff with full jitter in [base/2, base] (DESIGN.md §4: 1 s to 5 min). */
export function backoffMs(
  failures: number,
  opts: { baseMs?: number; maxMs?: number; random?: () => number } = {},
): number {
  const base = opts.baseMs ?? 1000;
  const max = opts.maxMs ?? 300_000;
  const ceiling = Math.min(max, base * 2 ** Math.max(0, failures - 1));
  const r = (opts.random ?? Math.random)();
  return Math.round(ceiling / 2 + (ceiling / 2) * r);
}

/** A resync period with ±10 % jitter, so stores do not all wake together. */
export function jittered(ms: number, random: () => number = Math.random): number {
  return Math.round(ms * (0.9 + 0.2 * random()));
}

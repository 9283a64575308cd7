/** Formatting for people: ages, durations, tables. Pure. */

/**
 * An age as kubectl prints it (its duration.HumanDuration): 45s, 3m12s, 25m, 2h15m, 5h, 3d4h,
 * 12d, 2y34d. Negative ages (clock skew) read as 0s.
 */
export function humanAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  const y = Math.floor(d / 365);
  return d % 365 === 0 ? `${y}y` : `${y}y${d % 365}d`;
}

export function ageOf(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '-';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '-' : humanAge(now - t);
}

/** Seconds as "0.4s", "12s", "2m05s". */
export function seconds(n: number | undefined): string {
  if (n === undefined) return '';
  if (n < 10) return `${n.toFixed(1)}s`;
  if (n < 120) return `${Math.round(n)}s`;
  const m = Math.floor(n / 60);
  return `${m}m${String(Math.round(n % 60)).padStart(2, '0')}s`;
}

const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A timeout as Go and kubectl write them: "90s", "10m", "1h30m", "500ms"; a bare number is
 * seconds. Undefined when the text is not one, or is zero or longer than a day.
 */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) return check(Number(t) * 1000);
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(t)) return undefined;
  let total = 0;
  for (const [, n, , unit] of t.matchAll(/(\d+(\.\d+)?)(ms|s|m|h)/g)) total += Number(n) * unitMs[unit!]!;
  return check(total);
}

const check = (ms: number) => (ms > 0 && ms <= 86_400_000 ? Math.round(ms) : undefined);

/**
 * Rows under upper-case headers, columns three spaces apart, as kubectl prints. Control
 * characters in a cell (a display name is anyone's text) are shown escaped, so no cell can move
 * the cursor or forge a line.
 */
export function table(headers: string[], rows: string[][]): string {
  const clean = rows.map((r) => r.map(printable));
  const widths = headers.map((h, i) => Math.max(h.length, ...clean.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i]! - width(c))))
      .join('   ')
      .trimEnd();
  return [line(headers), ...clean.map(line)].join('\n') + '\n';
}

/** Text safe to print on a terminal: C0/C1 controls and DEL shown as \u escapes. */
export function printable(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    /[\u0000-\u001f\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Display width, counting each code point once (close enough for names and URLs). */
function width(text: string): number {
  return [...text].length;
}

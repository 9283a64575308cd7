import { describe, expect, it } from 'vitest';
import { humanAge, parseDuration, printable, table } from './format.ts';

describe('humanAge (kubectl’s HumanDuration)', () => {
  it.each([
    [0, '0s'],
    [-5_000, '0s'],
    [45_000, '45s'],
    [119_000, '119s'],
    [120_000, '2m'],
    [192_000, '3m12s'],
    [25 * 60_000, '25m'],
    [179 * 60_000, '179m'],
    [3 * 3_600_000, '3h'],
    [195 * 60_000, '3h15m'],
    [5 * 3_600_000 + 30 * 60_000, '5h30m'],
    [30 * 3_600_000, '30h'],
    [(3 * 24 + 4) * 3_600_000, '3d4h'],
    [12 * 86_400_000, '12d'],
    [(2 * 365 + 34) * 86_400_000, '2y34d'],
  ])('%d ms is %s', (ms, text) => {
    expect(humanAge(ms)).toBe(text);
  });
});

describe('parseDuration', () => {
  it.each([
    ['1s', 1000],
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['1.5m', 90_000],
    ['45', 45_000],
    [' 2m ', 120_000],
    ['24h', 86_400_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
  it.each(['', '0', '0s', '-1s', '10x', 'm', '1h-5m', '25h', '1e3', 'ten minutes', '--help'])(
    '"%s" is refused',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );
});

describe('table', () => {
  it('pads columns three spaces apart under the headers, without trailing spaces', () => {
    expect(
      table(
        ['NAME', 'PHASE', 'AGE'],
        [
          ['a-store', 'Ready', '5m'],
          ['b', 'Provisioning (release)', '12s'],
        ],
      ),
    ).toBe(
      'NAME      PHASE                    AGE\n' +
        'a-store   Ready                    5m\n' +
        'b         Provisioning (release)   12s\n',
    );
  });
  it('shows control characters in cells escaped, so a display name cannot move the cursor or forge a row', () => {
    const out = table(['NAME', 'DISPLAY NAME'], [['x', 'Evil\x1b[2J\nfake-row\rA\u009b']]);
    expect(out).toBe('NAME   DISPLAY NAME\nx      Evil\\u001b[2J\\u000afake-row\\u000dA\\u009b\n');
    expect(out.split('\n')).toHaveLength(3);
  });
  it('keeps text people write (accents, emoji) as it is', () => {
    expect(printable('Café ☕ Ünïcode')).toBe('Café ☕ Ünïcode');
  });
});

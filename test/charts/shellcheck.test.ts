import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './charts.ts';

/** The WooCommerce engine's shell scripts: the order check and the chart's setup and cron scripts. */
const scripts = [
  join(repoRoot, 'engines', 'woocommerce', 'order-check.sh'),
  ...readdirSync(join(repoRoot, 'charts', 'woocommerce-store', 'files'))
    .filter((f) => f.endsWith('.sh'))
    .map((f) => join(repoRoot, 'charts', 'woocommerce-store', 'files', f)),
];

describe('shell scripts', () => {
  it('finds the scripts', () => {
    expect(scripts.map((s) => s.slice(repoRoot.length + 1)).sort()).toEqual([
      'charts/woocommerce-store/files/cron.sh',
      'charts/woocommerce-store/files/order-check.sh',
      'charts/woocommerce-store/files/setup.sh',
      'engines/woocommerce/order-check.sh',
    ]);
  });

  it.each(scripts.map((s) => [s.slice(repoRoot.length + 1), s]))(
    '%s passes shellcheck',
    async (_name, file) => {
      const r = await new Promise<{ code: number | string; out: string }>((resolve) =>
        execFile('shellcheck', ['--shell=bash', '--severity=style', file], (err, stdout, stderr) =>
          resolve({ code: err ? (err.code ?? 1) : 0, out: stdout + stderr }),
        ),
      );
      if (r.code === 'ENOENT')
        throw new Error('shellcheck is not installed (Debian: apt-get install -y shellcheck)');
      expect(r.out).toBe('');
      expect(r.code).toBe(0);
    },
  );
});

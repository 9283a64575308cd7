import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './charts.ts';

/** Every shell script of the repository: engines, charts, the CLI, CI, the local cluster's builds and images. */
const scripts = [
  '.ci/run',
  'bin/storeplane',
  'engines/medusa/bin/storeplane-medusa',
  'engines/woocommerce/order-check.sh',
  'scripts/bootstrap',
  'scripts/build-images.sh',
  'scripts/system-packages',
  'scripts/test',
  'src/devcluster/build-lib.sh',
  'src/devcluster/build-promtool.sh',
  'src/devcluster/build.sh',
  'src/devcluster/images/postgres/entrypoint.sh',
  'src/devcluster/realnode/build.sh',
  'src/devcluster/versions.sh',
  'test/charts/fake-wp.sh',
  'test/operator/helm-spy.sh',
  ...readdirSync(join(repoRoot, 'charts', 'woocommerce-store', 'files'))
    .filter((f) => f.endsWith('.sh'))
    .map((f) => `charts/woocommerce-store/files/${f}`),
].map((f) => join(repoRoot, f));

/** Files git tracks that start with a shell's #! line or end in .sh. */
function trackedShellScripts(): string[] {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
  return files.filter((f) => {
    if (f.endsWith('.sh')) return true;
    try {
      return /^#!.*\b(bash|sh)\b/.test(readFileSync(join(repoRoot, f), 'utf8').slice(0, 64));
    } catch {
      return false;
    }
  });
}

describe('shell scripts', () => {
  it('covers every shell script git tracks', () => {
    const listed = scripts.map((s) => s.slice(repoRoot.length + 1));
    expect(trackedShellScripts().filter((f) => !listed.includes(f))).toEqual([]);
    for (const f of scripts) expect(existsSync(f)).toBe(true);
  });

  it.each(scripts.map((s) => [s.slice(repoRoot.length + 1), s]))(
    '%s passes shellcheck',
    async (_name, file) => {
      const r = await new Promise<{ code: number | string; out: string }>((resolve) =>
        // -x from the script's directory: sourced files are checked with the script.
        execFile(
          'shellcheck',
          ['--shell=bash', '--severity=style', '-x', basename(file)],
          { cwd: dirname(file) },
          (err, stdout, stderr) => resolve({ code: err ? (err.code ?? 1) : 0, out: stdout + stderr }),
        ),
      );
      if (r.code === 'ENOENT')
        throw new Error('shellcheck is not installed (Debian: apt-get install -y shellcheck)');
      expect(r.out).toBe('');
      expect(r.code).toBe(0);
    },
  );
});

import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OperatorProcess, type PrivateCluster, privateCluster, standInChart } from '../operator/harness.ts';
import { ApiProcess } from './harness.ts';

/**
 * The README's curl session ("The HTTP API"), run as written against a real API and operator,
 * so the README cannot drift from what the API does. Only the address and the password file's
 * place are set to this test's; the event stream is cut after a few seconds.
 */
const root = join(import.meta.dirname, '..', '..');
let c: PrivateCluster;
let operator: OperatorProcess;
let api: ApiProcess;

beforeAll(async () => {
  c = await privateCluster();
  operator = new OperatorProcess(c, [
    '--chart',
    `woocommerce=${standInChart}`,
    '--chart',
    `medusa=${standInChart}`,
  ]);
  await operator.start();
  api = await new ApiProcess({ kubeconfig: c.kubeconfig, generatedAdminPassword: true }).start();
}, 180_000);

afterAll(async () => {
  await api?.stop();
  await operator?.stop();
  await c?.stop();
});

async function readmeSession(): Promise<string[]> {
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The HTTP API'));
  const block = /```bash\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README: no bash block under "The HTTP API"');
  return block.split('\n');
}

describe('the README’s API session', () => {
  it('runs as written: sign in, make a token, create, read, reveal, delete', async () => {
    const lines = await readmeSession();
    const home = await mkdtemp(join(tmpdir(), 'storeplane-readme-'));
    const script = lines
      .map((l) => {
        if (l.startsWith('API=')) return `API=${api.url}`;
        if (l.startsWith('PASSWORD_FILE='))
          return `PASSWORD_FILE=${join(api.dataDir, 'initial-admin-password')}`;
        if (l.includes('/stores/stream')) return `timeout 3 ${l}; echo`;
        // Reveal and delete need the store to exist in the cluster with its credentials.
        if (l.includes('/credentials/reveal')) return `sleep 8; ${l}; echo`;
        return l;
      })
      .join('\n')
      // Each command's output on its own line, to read the answers apart.
      .replace(/(\$API\/api\/v1\/stores)$/m, '$1; echo')
      .replace(/(-X DELETE \$API\/api\/v1\/stores\/bike-parts)(.*)$/m, '$1; echo $2');
    const r = spawnSync('bash', ['-uo', 'pipefail', '-c', script], {
      env: { ...process.env, HOME: home },
      encoding: 'utf8',
      timeout: 120_000,
    });
    const out = r.stdout;
    expect(r.stderr).toBe('');
    expect(out).toContain('"username":"admin"'); // signed in
    expect(out).toMatch(/"name":"bike-parts".*"owner":"admin"/); // created
    expect(out).toContain('event: snapshot'); // the stream
    expect(out).toMatch(/"phase":/); // the jq view
    expect(out).toMatch(/"password":"[^"]{8,}"/); // the reveal
    expect(out).toMatch(/"phase":"Deleting"/); // the delete
    const auth = await readFile(join(home, '.storeplane-auth'), 'utf8');
    expect(auth).toMatch(/^authorization: Bearer spt_/);
    // The token never reached a command line: it is not in the script, only in the 0600 file.
    expect(script).not.toContain(auth.trim().slice('authorization: Bearer '.length));
  });
});

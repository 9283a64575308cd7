import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/devcluster/ports.ts';
import { type PrivateCluster, privateCluster } from '../operator/harness.ts';

const root = join(import.meta.dirname, '..', '..');

/**
 * `storeplane start` on a cluster that has never seen Storeplane (no Store CRD): the first thing
 * a new user reads. The API used to start watching Stores before the CRD existed and logged a
 * failed watch (404), and the operator one more right after it (429, storage initializing).
 */
let c: PrivateCluster;
beforeAll(async () => {
  c = await privateCluster();
});
afterAll(async () => {
  await c?.stop();
});

describe('the first start on a fresh cluster', () => {
  it('installs the CRD before anything watches Stores: no warning or error is logged', async () => {
    const crd = await c.kubectl(['get', 'crd', 'stores.storeplane.dev']);
    expect(crd.code, 'the cluster must start without the Store CRD').not.toBe(0);
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(root, 'src/cli/main.ts'),
        'start',
        '--helm',
        join(c.binDir, 'helm'),
        '--port',
        String(await freePort()),
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          KUBECONFIG: c.kubeconfig,
          XDG_STATE_HOME: await mkdtemp(join(tmpdir(), 'storeplane-first-start-')),
        },
      },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    const deadline = Date.now() + 90_000;
    while (!output.includes('became leader') && Date.now() < deadline && child.exitCode === null)
      await sleep(200);
    expect(output).toContain('Storeplane API at');
    expect(output).toContain('became leader');
    await sleep(3000); // a retried watch would have logged by now
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const complaints = output.split('\n').filter((l) => /"level":(40|50|60)/.test(l));
    expect(complaints).toEqual([]);
  });
});

import { execFile, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { down } from '../../src/devcluster/cluster.ts';
import { isOurs } from '../../src/devcluster/processes.ts';
import { readState } from '../../src/devcluster/state.ts';
import { testCluster } from './testing.ts';

const root = join(import.meta.dirname, '..', '..');

/** Runs the real `storeplane` CLI entry point (what bin/storeplane execs) without a terminal. */
function storeplane(args: string[], env: Record<string, string | undefined> = {}) {
  return new Promise<{ code: number; output: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args],
      { cwd: root, env: { ...process.env, ...env } },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

describe('storeplane dev cluster up / status / down', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await down(dir);
  });

  it('up starts a cluster, a second up reports it, down stops every process and removes the data', async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'storeplane-lifecycle-')), 'cluster');
    const first = await storeplane(['dev', 'cluster', 'up', '--dir', dir, '--nodes', '1']);
    expect(first.output).toMatch(/Simulated cluster ready in \d+\.\ds/);
    expect(first.code).toBe(0);
    expect(first.output).toContain(`export KUBECONFIG=${join(dir, 'kubeconfig')}`);
    const state = await readState(dir);
    const processes = Object.values(state?.processes ?? {});
    expect(Object.keys(state?.processes ?? {})).toEqual([
      'etcd',
      'kube-apiserver',
      'kube-controller-manager',
      'kube-scheduler',
      'kwok',
    ]);
    for (const p of processes) expect(await isOurs(p.pid, p.binary)).toBe(true);

    const second = await storeplane(['dev', 'cluster', 'up', '--dir', dir]);
    expect(second.code).toBe(0);
    expect(second.output).toContain('already running');
    expect((await readState(dir))?.processes).toEqual(state?.processes);

    const status = await storeplane(['dev', 'cluster', 'status', '--dir', dir]);
    expect(status.code).toBe(0);
    expect(status.output).toContain(state?.server);

    const stop = await storeplane(['dev', 'cluster', 'down', '--dir', dir]);
    expect(stop.code).toBe(0);
    expect(stop.output).toContain(
      'Stopped kwok, kube-scheduler, kube-controller-manager, kube-apiserver, etcd',
    );
    for (const p of processes) expect(await isOurs(p.pid, p.binary)).toBe(false);
    expect(existsSync(dir)).toBe(false);

    const after = await storeplane(['dev', 'cluster', 'status', '--dir', dir]);
    expect(after.code).toBe(1);
    expect(after.output).toContain('No simulated cluster');
  });

  it('rejects a bad --nodes value without starting anything', async () => {
    const scratch = join(await mkdtemp(join(tmpdir(), 'storeplane-bad-')), 'cluster');
    const bad = await storeplane(['dev', 'cluster', 'up', '--dir', scratch, '--nodes', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.output).toContain('--nodes takes a whole number');
    expect(existsSync(scratch)).toBe(false);
  });
});

describe('storeplane start chooses the cluster', () => {
  it('uses the current kube context when it answers: installs the CRD, runs the operator, stops on SIGTERM', async () => {
    const c = testCluster();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'start', '--helm', join(c.binDir, 'helm')],
      {
        cwd: root,
        env: { ...process.env, KUBECONFIG: c.kubeconfig },
      },
    );
    let output = '';
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    // 'close', not 'exit': after 'exit' the rest of stderr may still be on its way.
    let closed = false;
    const exited = new Promise<number | null>((r) =>
      child.on('close', (code) => {
        closed = true;
        r(code);
      }),
    );
    const deadline = Date.now() + 60_000;
    while (!output.includes('operator started') && Date.now() < deadline && !closed) await sleep(200);
    expect(output).toContain(`Using kube context "storeplane-dev" (${c.server}, Kubernetes v1.34.10)`);
    expect(output).toContain('operator started');
    const crd = await c.kubectl(
      'get',
      'crd',
      'stores.storeplane.dev',
      '-o',
      'jsonpath={.status.conditions[?(@.type=="Established")].status}',
    );
    expect(crd.stdout).toBe('True');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('operator stopped');
  });

  it('refuses an explicit KUBECONFIG that does not answer instead of silently replacing it', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'storeplane-kc-')), 'config');
    await writeFile(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'gone', cluster: { server: 'https://127.0.0.1:1' } }],
        users: [{ name: 'u', user: { token: 'x' } }],
        contexts: [{ name: 'gone', context: { cluster: 'gone', user: 'u' } }],
        'current-context': 'gone',
      }),
    );
    const result = await storeplane(['start'], { KUBECONFIG: file });
    expect(result.code).toBe(1);
    expect(result.output).toContain(
      'KUBECONFIG is set but context "gone" (https://127.0.0.1:1) is not reachable',
    );
  });
});

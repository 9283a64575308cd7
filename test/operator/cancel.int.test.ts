import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/schema.ts';
import {
  condition,
  OperatorProcess,
  type PrivateCluster,
  privateCluster,
  standInChart,
  storeEvents,
  storeYaml,
  waitFor,
  waitForStore,
} from './harness.ts';

// Deleting a Store while its provisioning runs cancels the provisioning at once: the helm child
// gets SIGTERM (never SIGKILL), the reconcile ends without a failure, and the deletion path
// (helm uninstall, namespace deletion, finalizer) runs next, leaving nothing behind.

let c: PrivateCluster;
let operator: OperatorProcess | undefined;
let hangingChart = '';

async function runOperator() {
  await operator?.stop();
  operator = new OperatorProcess(c, [
    '--chart',
    `woocommerce=${hangingChart}`,
    '--chart',
    `medusa=${hangingChart}`,
    '--deadline-seconds',
    '600',
  ]);
  await operator.start();
}

beforeAll(async () => {
  c = await privateCluster();
  // The stand-in chart, with a setup hook Job that is suspended: it never starts a pod, so Helm
  // waits for it until its timeout (600 s), and nothing in the namespace looks wrong, so the
  // watcher that stops helm on a failure a person can act on has nothing to say.
  hangingChart = join(c.dataDir, 'hanging-chart');
  cpSync(standInChart, hangingChart, { recursive: true });
  const job = join(hangingChart, 'templates', 'setup-job.yaml');
  const text = readFileSync(job, 'utf8');
  expect(text).toMatch(/^spec:\n {2}backoffLimit: 3$/m);
  writeFileSync(
    job,
    text.replace(/^spec:\n {2}backoffLimit: 3$/m, 'spec:\n  suspend: true\n  backoffLimit: 3'),
  );
});
afterAll(async () => {
  await operator?.stop();
  await c?.stop();
});

/** Pids of `helm upgrade --install` processes for the store's release, from /proc. */
function helmInstalls(name: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // gone meanwhile
    }
    if (
      argv[0]?.endsWith('helm') &&
      argv[1] === 'upgrade' &&
      argv.includes('--install') &&
      argv.includes(name) &&
      argv.includes(`store-${name}`)
    )
      found.push(Number(entry));
  }
  return found;
}

const alive = (pid: number) => {
  try {
    // Zombies keep their /proc entry: only a running or sleeping process counts.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z /.test(stat);
  } catch {
    return false;
  }
};

const notFound = (err: unknown) => (err as { code?: number }).code === 404;

async function storeGone(name: string): Promise<boolean> {
  return c.getStore(name).then(
    () => false,
    (err: unknown) => {
      if (notFound(err)) return true;
      throw err;
    },
  );
}

async function namespaceGone(name: string): Promise<boolean> {
  return c.core.readNamespace({ name: `store-${name}` }).then(
    () => false,
    (err: unknown) => {
      if (notFound(err)) return true;
      throw err;
    },
  );
}

/** Helm's release records of a release, in any namespace (name, status). */
async function releaseSecrets(name: string): Promise<string[]> {
  const r = await c.kubectl([
    'get',
    'secrets',
    '-A',
    '-l',
    `owner=helm,name=${name}`,
    '-o',
    'jsonpath={range .items[*]}{.metadata.name} {.metadata.labels.status}{"\\n"}{end}',
  ]);
  if (r.code !== 0) throw new Error(r.stderr);
  return r.stdout.split('\n').filter(Boolean);
}

/** Every status the store shows until it is gone, read every 300 ms. */
function recordStatuses(name: string) {
  const seen: NonNullable<Store['status']>[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      try {
        const s = await c.getStore(name);
        if (s.status) seen.push(s.status);
      } catch {
        // gone, or a slow answer: the next read tells
      }
      await sleep(300);
    }
  })();
  return {
    seen,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

describe('deleting a store while its provisioning runs', () => {
  it('stops helm with SIGTERM at once, records the cancellation, and deletes the store', async () => {
    await runOperator();
    const name = 'cancel-me';
    await c.kubectl(['apply', '-f', '-'], storeYaml(name));
    await waitForStore(
      c,
      name,
      (s) =>
        condition(s, 'Released')?.status === 'Unknown' &&
        /Installing release cancel-me/.test(condition(s, 'Released')?.message ?? ''),
      120_000,
      'the install running',
    );
    // While helm installs (minutes with a real chart), kubectl shows the phase, not a blank.
    const row = await c.kubectl([
      'get',
      'store',
      name,
      '--no-headers',
      '-o',
      'custom-columns=PHASE:.status.phase',
    ]);
    expect(row.stdout.trim()).toBe('Provisioning');
    // Helm is running, and waiting on the setup hook (its Job exists and never starts a pod).
    const pids = await waitFor(
      'a helm upgrade --install for the store',
      async () => helmInstalls(name),
      (p) => p.length === 1,
      30_000,
    );
    await waitFor(
      'the setup Job the install waits for',
      () => c.kubectl(['get', 'job', `${name}-setup`, '-n', `store-${name}`, '-o', 'name']),
      (r) => r.code === 0,
      60_000,
    );
    await sleep(2000);
    const pid = pids[0] as number;
    expect(alive(pid)).toBe(true);

    const statuses = recordStatuses(name);
    const t0 = Date.now();
    const del = await c.kubectl(['delete', 'store', name, '--wait=false']);
    expect(del.code).toBe(0);

    // Helm is stopped within seconds, not at its 600 s timeout...
    await waitFor(
      'the helm child to stop',
      async () => alive(pid),
      (a) => !a,
      15_000,
    );
    const helmStoppedAfter = (Date.now() - t0) / 1000;
    // What helm left (failed when it handled the SIGTERM in time, else pending-install): the
    // deletion path uninstalls either.
    const left = await releaseSecrets(name);
    // ...by SIGTERM, which helm handled itself (exited 1, "has been cancelled"): not killed.
    const logs = await operator?.logs();
    const stopped = (logs ?? '')
      .split('\n')
      .filter((l) => l.includes('"helm stopped: the store is being deleted"'))
      .map((l) => JSON.parse(l) as { exitCode: number | null; signal: string; cancelledByHelm: boolean });
    expect(stopped).toEqual([expect.objectContaining({ signal: 'SIGTERM', exitCode: 1 })]);
    expect(logs).not.toMatch(/SIGKILL|killed/);
    expect(logs).not.toMatch(/reconcile failed/);

    // The deletion path runs next: the store and its namespace are gone well before helm's timeout.
    await waitFor(
      'the store to be gone',
      () => storeGone(name),
      (g) => g,
      120_000,
    );
    await waitFor(
      'the namespace to be gone',
      () => namespaceGone(name),
      (g) => g,
      120_000,
    );
    const goneAfter = (Date.now() - t0) / 1000;
    process.stderr.write(
      `[cancel test] helm stopped ${helmStoppedAfter.toFixed(1)}s after the delete (${JSON.stringify(stopped[0])}), leaving ${JSON.stringify(left)}; store and namespace gone ${goneAfter.toFixed(1)}s after the delete (helm timeout 600 s)\n`,
    );
    expect(goneAfter).toBeLessThan(120);
    await statuses.stop();

    // Nothing is left behind: no release records (no pending-*), no helm child.
    expect(await releaseSecrets(name)).toEqual([]);
    expect(helmInstalls(name)).toEqual([]);
    // The store never showed a failure: not Failed, not Stalled, no failure recorded.
    expect(statuses.seen.length).toBeGreaterThan(0);
    for (const s of statuses.seen) {
      expect(s.phase).not.toBe('Failed');
      expect(s.conditions?.find((x) => x.type === 'Stalled')?.status).not.toBe('True');
      expect(s.lastFailure).toBeUndefined();
      expect(s.failures).toBeUndefined();
    }
    const events = await storeEvents(c, name);
    expect(events).toContainEqual({
      type: 'Normal',
      reason: 'ProvisioningCancelled',
      message: expect.stringMatching(/^Provisioning cancelled: the store is being deleted/),
    });
    expect(events.filter((e) => e.type === 'Warning')).toEqual([]);
    expect(events.map((e) => e.reason)).toEqual(
      expect.arrayContaining(['Provisioning', 'ProvisioningCancelled', 'Deleting', 'Deleted']),
    );
  }, 240_000);

  it('a release left pending-install by a killed helm is uninstalled when the store is deleted', async () => {
    await runOperator();
    const name = 'left-pending';
    await c.kubectl(['apply', '-f', '-'], storeYaml(name));
    await waitFor(
      'the release pending-install',
      () => releaseSecrets(name),
      (r) => r.some((x) => x.endsWith(' pending-install')),
      120_000,
    );
    // The operator dies with its helm child (SIGKILL to its process group): the lock stays.
    await operator?.crash();
    expect(await releaseSecrets(name)).toEqual([`sh.helm.release.v1.${name}.v1 pending-install`]);
    expect(helmInstalls(name)).toEqual([]);
    const del = await c.kubectl(['delete', 'store', name, '--wait=false']);
    expect(del.code).toBe(0);

    await runOperator();
    const t0 = Date.now();
    await waitFor(
      'the store to be gone',
      () => storeGone(name),
      (g) => g,
      120_000,
    );
    await waitFor(
      'the namespace to be gone',
      () => namespaceGone(name),
      (g) => g,
      120_000,
    );
    process.stderr.write(
      `[cancel test] pending-install store gone ${((Date.now() - t0) / 1000).toFixed(1)}s after the operator restarted\n`,
    );
    expect(await releaseSecrets(name)).toEqual([]);
    expect(helmInstalls(name)).toEqual([]);
  }, 240_000);
});

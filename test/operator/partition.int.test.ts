import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OperatorProcess,
  type PrivateCluster,
  privateCluster,
  standInChart,
  storeYaml,
  waitFor,
  waitForStore,
} from './harness.ts';

/**
 * Fault 10: a leader cut off from the API server must stop its helm children before a standby
 * can take over, and no API call may hang forever. The leader reaches the API server through a
 * TCP relay that the test freezes (every byte held, connections left open: a partition, not a
 * refusal); the standby connects directly.
 */
class Relay {
  private readonly pairs = new Set<[Socket, Socket]>();
  private server?: Server;
  frozen = false;
  port = 0;

  async start(target: { host: string; port: number }): Promise<void> {
    this.server = createServer((down) => {
      if (this.frozen) {
        down.pause(); // accepted, never answered
        return;
      }
      const up = connect(target);
      const pair: [Socket, Socket] = [down, up];
      this.pairs.add(pair);
      down.pipe(up);
      up.pipe(down);
      const close = () => {
        this.pairs.delete(pair);
        down.destroy();
        up.destroy();
      };
      down.on('error', close).on('close', close);
      up.on('error', close).on('close', close);
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    const a = this.server.address();
    this.port = typeof a === 'object' && a ? a.port : 0;
  }

  freeze(): void {
    this.frozen = true;
    for (const [down, up] of this.pairs) {
      down.unpipe(up);
      up.unpipe(down);
      down.pause();
      up.pause();
    }
  }

  stop(): void {
    for (const [down, up] of this.pairs) {
      down.destroy();
      up.destroy();
    }
    this.server?.close();
  }
}

let c: PrivateCluster;
const relay = new Relay();
let leader: OperatorProcess | undefined;
let standby: OperatorProcess | undefined;

beforeAll(async () => {
  c = await privateCluster();
  const server = new URL(JSON.parse(readFileSync(c.kubeconfig, 'utf8')).clusters[0].cluster.server as string);
  await relay.start({ host: server.hostname, port: Number(server.port) });
});
afterAll(async () => {
  const t0 = Date.now();
  const step = async (what: string, run: () => Promise<unknown> | unknown) => {
    await run();
    process.stderr.write(`[partition test] cleanup: ${what} done at ${(Date.now() - t0) / 1000}s\n`);
  };
  await step('leader', () => leader?.stop('SIGKILL'));
  await step('standby', () => standby?.stop());
  await step('relay', () => relay.stop());
  await step('cluster', () => c?.stop());
});

describe('a leader cut off from the API server', () => {
  it('stops its helm before the lease can pass to the standby, which then recovers the release', async () => {
    // A chart whose setup hook can never run, so helm is still waiting when the cut comes.
    const chart = join(c.dataDir, 'slow-hook-chart');
    cpSync(standInChart, chart, { recursive: true });
    const job = join(chart, 'templates', 'setup-job.yaml');
    writeFileSync(
      job,
      readFileSync(job, 'utf8').replace(
        '      restartPolicy: Never',
        "      restartPolicy: Never\n      nodeSelector: {storeplane.test/never: 'true'}",
      ),
    );
    const args = ['--chart', `woocommerce=${chart}`, '--chart', `medusa=${chart}`];

    const relayed = JSON.parse(readFileSync(c.kubeconfig, 'utf8'));
    relayed.clusters[0].cluster.server = `https://127.0.0.1:${relay.port}`;
    const relayedFile = join(c.dataDir, 'relayed.kubeconfig');
    writeFileSync(relayedFile, JSON.stringify(relayed), { mode: 0o600 });
    leader = new OperatorProcess({ ...c, kubeconfig: relayedFile }, [...args, '--identity', 'leader']);
    await leader.start();
    await leader.waitForLog(/became leader/);
    standby = new OperatorProcess(c, [...args, '--identity', 'standby', '--skip-crd-install']);
    await standby.start();

    await c.kubectl(['apply', '-f', '-'], storeYaml('cut-off'));
    await waitFor(
      'the release to be pending-install (helm waiting for the hook)',
      () =>
        c.kubectl([
          'get',
          'secrets',
          '-n',
          'store-cut-off',
          '-l',
          'owner=helm,status=pending-install',
          '-o',
          'name',
        ]),
      (r) => r.stdout.trim() !== '',
      60_000,
    );
    relay.freeze();
    const cut = Date.now();

    const exit = await Promise.race([
      leader.exited,
      new Promise((r) => setTimeout(() => r('still running'), 60_000)),
    ]);
    expect(exit, 'the leader exits (lost leadership)').toBe(1);
    await standby.waitForLog(/became leader/, 60_000);
    const lines = (text: string) =>
      text
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { time: number; msg: string; leaseExpiresAt?: number });
    const mine = lines(await leader.logs());
    const lost = mine.find((l) => l.msg.startsWith('lost leadership'));
    const stopped = mine.find((l) => l.msg === 'helm children stopped');
    const took = lines(await standby.logs()).find((l) => l.msg.startsWith('became leader'));
    expect(lost, 'the leader saw it lost the lease').toBeDefined();
    expect(stopped, 'the leader stopped its helm').toBeDefined();
    process.stderr.write(
      `[partition test] lost leadership ${((lost?.time ?? 0) - cut) / 1000}s after the cut, helm stopped ${((stopped?.time ?? 0) - cut) / 1000}s, standby led ${((took?.time ?? 0) - cut) / 1000}s\n`,
    );
    // Helm was gone before the lease could expire, and so before the standby took over.
    expect(stopped?.time ?? Infinity).toBeLessThan(stopped?.leaseExpiresAt ?? 0);
    expect(stopped?.time ?? Infinity).toBeLessThan(took?.time ?? 0);

    // The standby finds the lock the dead helm left and recovers it.
    const s = await waitForStore(
      c,
      'cut-off',
      (x) => (x.status?.activity ?? []).some((a) => a.reason === 'ReleaseUnlocked'),
      90_000,
      'the release unlocked by the new leader',
    );
    expect(s.status?.activity?.find((a) => a.reason === 'ReleaseUnlocked')?.message).toMatch(
      /revision 1 was left pending-install by an interrupted helm/,
    );
  });
});

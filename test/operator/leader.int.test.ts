import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OperatorProcess,
  type PrivateCluster,
  isReady,
  privateCluster,
  standInChart,
  storeYaml,
  waitForStore,
} from './harness.ts';
import { freePort } from '../../src/devcluster/ports.ts';

let c: PrivateCluster;
const ops: Record<string, OperatorProcess> = {};
const ports: Record<string, number> = {};
const args = (id: string) => [
  '--metrics-port',
  String(ports[id]),
  '--chart',
  `woocommerce=${standInChart}`,
  '--chart',
  `medusa=${standInChart}`,
  '--identity',
  id,
];

beforeAll(async () => {
  c = await privateCluster({ count: 2 });
  ports['operator-a'] = await freePort();
  ports['operator-b'] = await freePort();
  ops.a = new OperatorProcess(c, args('operator-a'));
  ops.b = new OperatorProcess(c, args('operator-b'));
  await Promise.all([ops.a.start(), ops.b.start()]);
});
afterAll(async () => {
  for (const op of Object.values(ops)) await op.stop();
  await c?.stop();
});

const holder = async () => {
  const r = await c.kubectl([
    'get',
    'lease',
    'storeplane-operator',
    '-n',
    'storeplane-system',
    '-o',
    'jsonpath={.spec.holderIdentity}',
  ]);
  return r.stdout.trim();
};
const reporters = async (store: string) => {
  const r = await c.kubectl([
    'get',
    'events',
    '-n',
    'default',
    '--field-selector',
    `involvedObject.name=${store}`,
    '-o',
    'jsonpath={.items[*].reportingInstance}',
  ]);
  return [...new Set(r.stdout.trim().split(/\s+/).filter(Boolean))];
};

describe('leader election between two operator processes', () => {
  let leader = '';
  let standby = '';

  it('only the leader reconciles', async () => {
    let h = '';
    for (let i = 0; i < 50 && !h; i++) {
      h = await holder();
      if (!h) await new Promise((r) => setTimeout(r, 200));
    }
    expect(['operator-a', 'operator-b']).toContain(h);
    leader = h;
    standby = h === 'operator-a' ? 'operator-b' : 'operator-a';
    await c.kubectl(['apply', '-f', '-'], storeYaml('led-one'));
    await waitForStore(c, 'led-one', isReady, 120_000, 'Ready');
    expect(await reporters('led-one')).toEqual([leader]);
    const standbyLogs = await ops[standby === 'operator-a' ? 'a' : 'b']?.logs();
    expect(standbyLogs).not.toContain('became leader');
    // Both are ready (a standby takes over with warm caches), each saying what it is.
    const readyz = async (id: string) => (await fetch(`http://127.0.0.1:${ports[id]}/readyz`)).json();
    expect(await readyz(leader)).toEqual({ ok: true, role: 'leader', pending: [] });
    expect(await readyz(standby)).toEqual({ ok: true, role: 'standby', pending: [] });
  });

  it('killing the leader hands over to the standby within the lease duration', async () => {
    const killedAt = Date.now();
    await ops[leader === 'operator-a' ? 'a' : 'b']?.crash();
    let h = leader;
    while (h === leader && Date.now() - killedAt < 30_000) {
      await new Promise((r) => setTimeout(r, 250));
      h = await holder();
    }
    const takeoverSeconds = (Date.now() - killedAt) / 1000;
    expect(h).toBe(standby);
    // The standby must respect the dead leader's lease (15 s, judged on its own clock: no take-over
    // before roughly that) and then take over within a couple of 2 s retry periods; the upper bound
    // leaves room for a loaded 2-core machine.
    expect(takeoverSeconds).toBeGreaterThan(12);
    expect(takeoverSeconds).toBeLessThan(24);
    process.stderr.write(
      `[leader test] standby took over ${takeoverSeconds.toFixed(1)}s after the leader was killed\n`,
    );
    await c.kubectl(['apply', '-f', '-'], storeYaml('led-two'));
    await waitForStore(c, 'led-two', isReady, 120_000, 'Ready');
    expect(await reporters('led-two')).toEqual([standby]);
  });
});

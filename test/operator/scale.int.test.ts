import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
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

let c: PrivateCluster;
let operator: OperatorProcess;
const spyLog = () => join(c.dataDir, 'helm-spy.log');

/** The most helm processes that were running at the same moment, from the spy's log. */
function maxConcurrent(log: string): number {
  const events = log
    .trim()
    .split('\n')
    .map((l) => l.split(' '))
    .map(([kind, , ns]) => ({ delta: kind === 'start' ? 1 : -1, at: BigInt(ns ?? '0') }))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.delta - b.delta));
  let now = 0;
  let max = 0;
  for (const e of events) {
    now += e.delta;
    max = Math.max(max, now);
  }
  return max;
}

beforeAll(async () => {
  c = await privateCluster();
  operator = new OperatorProcess(
    c,
    [
      '--chart',
      `woocommerce=${standInChart}`,
      '--chart',
      `medusa=${standInChart}`,
      '--concurrency',
      '4',
      '--helm',
      join(import.meta.dirname, 'helm-spy.sh'),
    ],
    {
      HELM_SPY_LOG: join(c.dataDir, 'helm-spy.log'),
      HELM_SPY_REAL: join(c.binDir, 'helm'),
    },
  );
  await operator.start();
});
afterAll(async () => {
  await operator?.stop();
  await c?.stop();
});

describe('many stores at once', () => {
  it('20 Stores created together all become Ready, with at most 4 helm processes at a time', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `bulk-${String(i).padStart(2, '0')}`);
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: names.map((n, i) => JSON.parse(storeYaml(n, { engine: i % 2 ? 'medusa' : 'woocommerce' }))),
    };
    const applied = await c.kubectl(['apply', '-f', '-'], JSON.stringify(list));
    expect(applied.code).toBe(0);
    for (const n of names) await waitForStore(c, n, isReady, 300_000, 'Ready');

    const log = await readFile(spyLog(), 'utf8');
    const installs = log.split('\n').filter((l) => l.startsWith('start ') && l.endsWith(' upgrade'));
    expect(installs).toHaveLength(20);
    const max = maxConcurrent(log);
    expect(max).toBeLessThanOrEqual(4);
    expect(max).toBeGreaterThan(1);
    for (const n of names) {
      const h = await c.helm(['history', n, '-n', `store-${n}`, '-o', 'json']);
      expect(JSON.parse(h.stdout)).toHaveLength(1);
    }
  });
});

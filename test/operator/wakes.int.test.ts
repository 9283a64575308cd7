import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/devcluster/ports.ts';
import {
  isReady,
  OperatorProcess,
  type PrivateCluster,
  privateCluster,
  storeYaml,
  waitFor,
  waitForStore,
} from './harness.ts';

/**
 * What wakes a store between resyncs, on the real WooCommerce chart with its WP-Cron run every
 * minute. The resync is an hour, so everything the store does here was woken by a watch.
 */
let c: PrivateCluster;
let operator: OperatorProcess;
let metricsPort: number;
const name = 'wakes-woo';
const ns = `store-${name}`;

/** The sum of a metric's series whose labels contain `match` (all of them when empty). */
async function metric(metricName: string, match = ''): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${metricName}{`) || l.startsWith(`${metricName} `))
    .filter((l) => l.includes(match))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}
const reconciles = () => metric('storeplane_reconcile_seconds_count');

beforeAll(async () => {
  c = await privateCluster();
  metricsPort = await freePort();
  const cronEveryMinute = join(c.dataDir, 'cron-every-minute.yaml');
  await writeFile(cronEveryMinute, "cron:\n  schedule: '* * * * *'\n");
  operator = new OperatorProcess(c, [
    '--resync-seconds',
    '3600',
    '--metrics-port',
    String(metricsPort),
    '--chart-values',
    `woocommerce=${cronEveryMinute}`,
  ]);
  await operator.start();
  await c.kubectl(['apply', '-f', '-'], storeYaml(name, { engine: 'woocommerce' }));
  await waitForStore(c, name, isReady, 150_000, 'Ready');
});
afterAll(async () => {
  await operator?.stop();
  await c?.stop();
});

describe('between resyncs', () => {
  it('a run of the store’s CronJob (the Job and its pod) wakes nothing', async () => {
    // Let the passes that follow Ready finish (the setup hook's pod going away, say).
    await waitFor(
      'the queue to be quiet',
      async () => {
        const before = await reconciles();
        await new Promise((r) => setTimeout(r, 3000));
        return (await reconciles()) - before;
      },
      (n) => n === 0,
      60_000,
    );
    const before = await reconciles();
    const ignoredBefore = await metric('storeplane_wakes_total', 'outcome="scheduled-run"');
    const done = await waitFor(
      'a scheduled run of the CronJob to complete',
      async () => {
        const r = await c.kubectl([
          'get',
          'jobs',
          '-n',
          ns,
          '-o',
          'jsonpath={range .items[*]}{.metadata.ownerReferences[0].kind} {.status.succeeded}{"\\n"}{end}',
        ]);
        return r.stdout.split('\n').filter((l) => l === 'CronJob 1').length;
      },
      (n) => n > 0,
      150_000,
    );
    expect(done).toBeGreaterThan(0);
    // Its pod's last changes arrive a moment after the Job's.
    await new Promise((r) => setTimeout(r, 5000));
    const ignored = (await metric('storeplane_wakes_total', 'outcome="scheduled-run"')) - ignoredBefore;
    expect(ignored, 'the run was seen (Job and pod events)').toBeGreaterThanOrEqual(2);
    expect(await metric('storeplane_wakes_total', 'kind="Pod",outcome="scheduled-run"')).toBeGreaterThan(0);
    expect((await reconciles()) - before, 'reconciles caused by the scheduled run').toBe(0);
  });

  it('a change to the store’s namespace wakes it: a removed Pod Security label is restored', async () => {
    const psa = 'pod-security.kubernetes.io/enforce';
    const before = await c.kubectl([
      'get',
      'ns',
      ns,
      '-o',
      `jsonpath={.metadata.labels.${psa.replace(/\./g, '\\.')}}`,
    ]);
    expect(before.stdout).toBe('restricted');
    expect((await c.kubectl(['label', 'ns', ns, `${psa}-`])).code).toBe(0);
    const after = await waitFor(
      'the label to be restored',
      async () =>
        (await c.kubectl(['get', 'ns', ns, '-o', `jsonpath={.metadata.labels.${psa.replace(/\./g, '\\.')}}`]))
          .stdout,
      (v) => v === 'restricted',
      30_000,
    );
    expect(after).toBe('restricted');
  });

  it('an edited Deployment wakes it, and the edit is undone', async () => {
    const web =
      (await c.kubectl(['get', 'deploy', '-n', ns, '-o', 'name'])).stdout.trim().split('\n')[0] ?? '';
    expect(web).toMatch(/^deployment/);
    expect((await c.kubectl(['set', 'env', '-n', ns, web, 'INJECTED=1'])).code).toBe(0);
    const env = await waitFor(
      'the variable to be removed again',
      async () =>
        (
          await c.kubectl([
            'get',
            '-n',
            ns,
            web,
            '-o',
            'jsonpath={.spec.template.spec.containers[0].env[*].name}',
          ])
        ).stdout,
      (names) => !names.split(' ').includes('INJECTED'),
      60_000,
    );
    expect(env.split(' ')).not.toContain('INJECTED');
    await waitForStore(c, name, isReady, 60_000, 'Ready again');
  });
});

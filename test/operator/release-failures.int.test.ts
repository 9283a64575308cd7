import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  condition,
  helmHistory,
  isReady,
  isStalled,
  OperatorProcess,
  type PrivateCluster,
  privateCluster,
  standInChart,
  storeEvents,
  storeYaml,
  waitForStore,
} from './harness.ts';

let c: PrivateCluster;
let operator: OperatorProcess | undefined;

async function runOperator(args: string[], env: Record<string, string> = {}) {
  await operator?.stop();
  operator = new OperatorProcess(c, ['--resync-seconds', '3', ...args], env);
  await operator.start();
}

beforeAll(async () => {
  c = await privateCluster();
});
afterAll(async () => {
  await operator?.stop();
  await c?.stop();
});

// Fault 3: when helm failed before writing a revision, the old revision was stamped with the new
// config digest and the store reported Ready and InSync with the old configuration; and the
// message was cut before the part of a schema refusal that names the value.
describe('an upgrade Helm refuses before writing a revision', () => {
  const name = 'refused-up';

  it('is a failure with Helm whole reason, and the old revision keeps its own digest', async () => {
    await runOperator([]);
    await c.kubectl(['apply', '-f', '-'], storeYaml(name, { engine: 'woocommerce' }));
    const ready = await waitForStore(c, name, isReady, 150_000, 'Ready');
    const before = ready.status?.history?.[0];
    expect(before).toMatchObject({ revision: 1, status: 'deployed' });

    // The platform's values for WooCommerce now hold a value the chart's schema refuses.
    const bad = join(c.dataDir, 'bad-values.yaml');
    writeFileSync(bad, 'web:\n  maxRequestWorkers: many\n');
    await runOperator(['--chart-values', `woocommerce=${bad}`]);
    const failed = await waitForStore(
      c,
      name,
      // Between tries the next upgrade shows as under way: wait for a finished one.
      (s) =>
        s.status?.lastFailure?.reason === 'ChartRejectedValues' &&
        condition(s, 'Released')?.reason === 'UpgradeFailed',
      90_000,
      'the refusal',
    );
    expect(failed.status?.phase).toBe('Failed');
    expect(condition(failed, 'Ready')?.status).toBe('False');
    expect(condition(failed, 'Released')).toMatchObject({ status: 'False', reason: 'UpgradeFailed' });
    // The part that names the value is kept.
    expect(failed.status?.lastFailure?.message).toMatch(
      /values don't meet the specifications of the schema\(s\) in the following chart\(s\):.*maxRequestWorkers/,
    );
    // Nothing was recorded: Helm wrote no revision, and the old one keeps the old digest.
    expect(failed.status?.history?.[0]).toEqual(before);
    expect(failed.status?.lastAttemptedConfigDigest).not.toBe(before?.configDigest);
    expect(await helmHistory(c, name)).toEqual([
      expect.objectContaining({ revision: 1, status: 'deployed' }),
    ]);
    // Still failing on the next passes, never InSync with the old configuration.
    await sleep(6000);
    const later = await c.getStore(name);
    expect(later.status?.phase).toBe('Failed');
    expect(condition(later, 'Ready')?.status).toBe('False');
    expect(condition(later, 'Released')?.reason).not.toBe('InSync');
    expect(later.status?.history?.[0]).toEqual(before);
  });

  it('with the platform values fixed, the store is Ready again on the revision it has', async () => {
    await runOperator([]);
    const s = await waitForStore(c, name, isReady, 90_000, 'Ready again');
    expect(condition(s, 'Released')).toMatchObject({ status: 'True', reason: 'InSync' });
    expect(await helmHistory(c, name)).toHaveLength(1);
  });
});

// Fault 10: the config digest includes the chart's content, so a fixed chart reaches stores.
describe('a chart fixed without a new version', () => {
  it('reaches the stores that use it: one upgrade, with what changed', async () => {
    const chart = join(c.dataDir, 'chart-copy');
    cpSync(standInChart, chart, { recursive: true });
    await runOperator(['--chart', `woocommerce=${chart}`, '--chart', `medusa=${chart}`]);
    const name = 'fixed-chart';
    await c.kubectl(['apply', '-f', '-'], storeYaml(name));
    await waitForStore(c, name, isReady, 120_000, 'Ready');
    expect(await helmHistory(c, name)).toHaveLength(1);

    const web = join(chart, 'templates', 'web.yaml');
    writeFileSync(web, readFileSync(web, 'utf8').replace('  replicas:', '  minReadySeconds: 1\n  replicas:'));
    await runOperator(['--chart', `woocommerce=${chart}`, '--chart', `medusa=${chart}`]);
    await waitForStore(
      c,
      name,
      (s) => isReady(s) && (s.status?.history?.[0]?.revision ?? 0) === 2,
      90_000,
      'revision 2',
    );
    const d = await c.kubectl([
      'get',
      'deploy',
      `${name}-web`,
      '-n',
      `store-${name}`,
      '-o',
      'jsonpath={.spec.minReadySeconds}',
    ]);
    expect(d.stdout).toBe('1');
    const upgraded = (await storeEvents(c, name)).filter((e) => e.reason === 'Upgraded');
    expect(upgraded.map((e) => e.message)).toEqual([
      expect.stringMatching(/revision 2 \(the configuration changed/),
    ]);
  });
});

// Helm 4 runs with --disable-openapi-validation (its client-side check cost every helm process
// the OpenAPI documents): the API server's strict field validation must still refuse the manifest.
describe('a chart that renders a field Kubernetes does not have', () => {
  it('is refused by the API server, with the field named, and nothing is deployed', async () => {
    const chart = join(c.dataDir, 'chart-unknown-field');
    cpSync(standInChart, chart, { recursive: true });
    const web = join(chart, 'templates', 'web.yaml');
    writeFileSync(web, readFileSync(web, 'utf8').replace('  replicas:', '  replicaCount: 1\n  replicas:'));
    await runOperator(['--chart', `woocommerce=${chart}`, '--chart', `medusa=${chart}`]);
    const name = 'unknown-field';
    await c.kubectl(['apply', '-f', '-'], storeYaml(name));
    const failed = await waitForStore(
      c,
      name,
      (s) => s.status?.lastFailure?.reason === 'ChartRejectedValues',
      90_000,
      'the refusal',
    );
    expect(failed.status?.lastFailure?.message).toMatch(/replicaCount/);
    expect(failed.status?.lastFailure?.message).toMatch(/field not declared in schema|unknown field/);
    const d = await c.kubectl(['get', 'deploy', `${name}-web`, '-n', `store-${name}`]);
    expect(d.code, 'no Deployment was made').not.toBe(0);
    // Gone before the next test counts the Secrets in the operator's namespace.
    expect((await c.kubectl(['delete', 'store', name, '--timeout=90s'])).code).toBe(0);
  });
});

// Fault 8: errors thrown inside a stage vanished into the log, and retries were spent in seconds.
describe('an error from Kubernetes inside a stage', () => {
  const name = 'vault-full';

  it('reaches status and Events, counts as a failure, and is retried with backoff, not Stalled in seconds', async () => {
    await runOperator(['--chart', `woocommerce=${standInChart}`, '--chart', `medusa=${standInChart}`], {
      LOG_LEVEL: 'debug',
    });
    // The credentials vault (the operator's namespace) can take no more Secrets.
    const used = (await c.core.listNamespacedSecret({ namespace: 'storeplane-system' })).items.length;
    await c.core.createNamespacedResourceQuota({
      namespace: 'storeplane-system',
      body: { metadata: { name: 'full' }, spec: { hard: { secrets: String(used) } } },
    });
    await sleep(1000);
    await c.kubectl(['apply', '-f', '-'], storeYaml(name));
    const failing = await waitForStore(
      c,
      name,
      (s) => s.status?.lastFailure !== undefined,
      60_000,
      'a failure',
    );
    expect(failing.status?.lastFailure).toMatchObject({
      reason: 'QuotaExceeded',
      message: expect.stringMatching(
        /^a ResourceQuota refused a request while preparing the credentials: .*exceeded quota: full/,
      ),
      fix: expect.stringMatching(/Raise the quota/),
    });
    expect(condition(failing, 'Reconciling')?.reason).toBe('ProgressingWithRetry');
    const events = await storeEvents(c, name);
    expect(events.filter((e) => e.reason === 'QuotaExceeded')).toHaveLength(1);

    await sleep(20_000);
    const later = await c.getStore(name);
    expect(isStalled(later)).toBe(false);
    // Backoff 1, 2, 4, 8 s... our own status writes no longer wake the store at once.
    expect(later.status?.failures).toBeGreaterThanOrEqual(2);
    expect(later.status?.failures).toBeLessThanOrEqual(6);
    expect((await storeEvents(c, name)).filter((e) => e.reason === 'QuotaExceeded')).toHaveLength(1);

    await c.core.deleteNamespacedResourceQuota({ name: 'full', namespace: 'storeplane-system' });
    const healed = await waitForStore(c, name, isReady, 300_000, 'Ready once the quota is gone');
    expect(healed.status?.failures).toBeUndefined();
    expect(healed.status?.lastFailure).toBeUndefined();
  });
});

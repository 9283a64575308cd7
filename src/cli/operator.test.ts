import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultOperatorConfig } from '../operator/config.ts';
import { type OperatorFlags, UsageError, operatorConfigFromFlags } from './operator.ts';

const standIn = fileURLToPath(new URL('../../test/fixtures/store-chart', import.meta.url));
const fixtures = fileURLToPath(new URL('../../test/fixtures', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'storeplane-cli-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const root = fileURLToPath(new URL('../../', import.meta.url));
const listValues = join(scratch, 'list-values.yaml');
writeFileSync(listValues, '- a\n- b\n');

describe('operatorConfigFromFlags', () => {
  it('uses the defaults when no flag is given', () => {
    expect(operatorConfigFromFlags({})).toEqual({ ...defaultOperatorConfig, charts: {}, chartValues: {} });
  });

  it('takes every flag', () => {
    const config = operatorConfigFromFlags({
      namespace: 'ops',
      concurrency: '8',
      'deadline-seconds': '120',
      'retry-budget': '3',
      'resync-seconds': '60',
      'base-domain': 'shops.example.com',
      tls: true,
      chart: [`medusa=${standIn}`],
    });
    expect(config).toMatchObject({
      namespace: 'ops',
      concurrency: 8,
      provisioningDeadlineMs: 120_000,
      retryBudget: 3,
      resyncMs: 60_000,
      expose: { baseDomain: 'shops.example.com', tls: true },
      charts: { medusa: standIn },
    });
    expect(config.charts.woocommerce).toBeUndefined();
  });

  it('resolves a relative --chart path', () => {
    const relative = join('test', 'fixtures', 'store-chart');
    const config = operatorConfigFromFlags({ chart: [`woocommerce=${relative}`] });
    expect(config.charts).toEqual({ woocommerce: join(process.cwd(), relative) });
  });

  it('reads --chart-values files per engine', () => {
    const prod = join(root, 'charts', 'woocommerce-store', 'values-prod.yaml');
    const config = operatorConfigFromFlags({ 'chart-values': [`woocommerce=${prod}`] });
    expect(config.chartValues.woocommerce).toMatchObject({ ingress: expect.any(Object) });
    expect(config.chartValues.medusa).toBeUndefined();
  });

  it('layers --chart-values given again for one engine over the earlier file', () => {
    const prod = join(root, 'charts', 'woocommerce-store', 'values-prod.yaml');
    const mine = join(scratch, 'my-woo.yaml');
    writeFileSync(mine, 'ingress:\n  baseDomain: shops.example.org\n  annotations: null\n');
    const config = operatorConfigFromFlags({
      'chart-values': [`woocommerce=${prod}`, `woocommerce=${mine}`],
    });
    const ingress = config.chartValues.woocommerce?.ingress as Record<string, unknown>;
    expect(ingress.baseDomain).toBe('shops.example.org'); // the later file wins
    expect(ingress.className).toBe('traefik'); // the earlier file's other keys stay
    expect(config.chartValues.woocommerce?.sizes).toBeDefined();
  });

  it('takes one --store-role-binding, as a string (as before) or a list', () => {
    const operator = {
      clusterRole: 'storeplane-store-manager',
      serviceAccount: { namespace: 'storeplane-system', name: 'storeplane-operator' },
    };
    const flag = 'storeplane-store-manager:storeplane-system/storeplane-operator';
    expect(operatorConfigFromFlags({ 'store-role-binding': flag }).storeRoleBindings).toEqual([operator]);
    expect(operatorConfigFromFlags({ 'store-role-binding': [flag] }).storeRoleBindings).toEqual([operator]);
    expect(operatorConfigFromFlags({}).storeRoleBindings).toBeUndefined();
  });

  it('takes --store-role-binding more than once, in order', () => {
    const config = operatorConfigFromFlags({
      'store-role-binding': [
        'storeplane-store-manager:storeplane-system/storeplane-operator',
        'storeplane-api-store-reader:storeplane-system/storeplane-api',
      ],
    });
    expect(config.storeRoleBindings).toEqual([
      {
        clusterRole: 'storeplane-store-manager',
        serviceAccount: { namespace: 'storeplane-system', name: 'storeplane-operator' },
      },
      {
        clusterRole: 'storeplane-api-store-reader',
        serviceAccount: { namespace: 'storeplane-system', name: 'storeplane-api' },
      },
    ]);
  });

  it('takes --ingress-namespace (repeatable, deduplicated) instead of the default ones', () => {
    expect(defaultOperatorConfig.ingressNamespaces).toEqual(['ingress-nginx', 'kube-system']);
    const config = operatorConfigFromFlags({ 'ingress-namespace': ['traefik', 'traefik', 'haproxy'] });
    expect(config.ingressNamespaces).toEqual(['traefik', 'haproxy']);
  });

  it('merges --plans overrides over the default plans', () => {
    const file = join(scratch, 'plans.yaml');
    writeFileSync(file, 'small:\n  quota:\n    pods: 20\n');
    const config = operatorConfigFromFlags({ plans: file });
    expect(config.plans.small.quota.pods).toBe('20');
    expect(config.plans.small.quota['requests.cpu']).toBe(
      defaultOperatorConfig.plans.small.quota['requests.cpu'],
    );
    expect(config.plans.medium).toEqual(defaultOperatorConfig.plans.medium);
  });

  const bad: { name: string; flags: OperatorFlags; message: string | RegExp }[] = [
    {
      name: '--concurrency 0',
      flags: { concurrency: '0' },
      message: '--concurrency takes a whole number of at least 1 (got "0")',
    },
    {
      name: '--concurrency x',
      flags: { concurrency: 'x' },
      message: '--concurrency takes a whole number of at least 1 (got "x")',
    },
    {
      name: '--concurrency 1.5',
      flags: { concurrency: '1.5' },
      message: '--concurrency takes a whole number of at least 1 (got "1.5")',
    },
    {
      name: '--concurrency -2',
      flags: { concurrency: '-2' },
      message: '--concurrency takes a whole number of at least 1 (got "-2")',
    },
    {
      name: '--deadline-seconds abc',
      flags: { 'deadline-seconds': 'abc' },
      message: '--deadline-seconds takes a whole number of at least 1 (got "abc")',
    },
    {
      name: '--retry-budget 0',
      flags: { 'retry-budget': '0' },
      message: '--retry-budget takes a whole number of at least 1 (got "0")',
    },
    {
      name: '--resync-seconds empty',
      flags: { 'resync-seconds': '' },
      message: '--resync-seconds takes a whole number of at least 1 (got "")',
    },
    {
      name: '--chart with an unknown engine',
      flags: { chart: [`magento=${standIn}`] },
      message: `--chart takes <engine>=<path> with engine one of woocommerce, medusa (got "magento=${standIn}")`,
    },
    {
      name: '--chart without a path',
      flags: { chart: ['medusa'] },
      message: '--chart takes <engine>=<path> with engine one of woocommerce, medusa (got "medusa")',
    },
    {
      name: '--chart with an empty path',
      flags: { chart: ['medusa='] },
      message: /--chart takes <engine>=<path>/,
    },
    {
      name: '--chart pointing at a directory without Chart.yaml',
      flags: { chart: [`medusa=${fixtures}`] },
      message: `--chart medusa: no Chart.yaml in ${fixtures}`,
    },
    {
      name: '--chart pointing at nothing',
      flags: { chart: ['woocommerce=/nonexistent/storeplane/chart'] },
      message: '--chart woocommerce: no Chart.yaml in /nonexistent/storeplane/chart',
    },
    {
      name: '--chart-values with an unknown engine',
      flags: { 'chart-values': ['magento=/x.yaml'] },
      message:
        '--chart-values takes <engine>=<path> with engine one of woocommerce, medusa (got "magento=/x.yaml")',
    },
    {
      name: '--chart-values pointing at nothing',
      flags: { 'chart-values': ['medusa=/nonexistent/storeplane/values.yaml'] },
      message: '--chart-values medusa: no such file /nonexistent/storeplane/values.yaml',
    },
    {
      name: '--chart-values file that is a list',
      flags: { 'chart-values': [`medusa=${listValues}`] },
      message: `--chart-values medusa: ${listValues} must be a YAML mapping of chart values`,
    },
    {
      name: '--store-role-binding without a ServiceAccount',
      flags: { 'store-role-binding': ['storeplane-store-manager:storeplane-system'] },
      message:
        '--store-role-binding takes <clusterRole>:<namespace>/<serviceAccount> (got "storeplane-store-manager:storeplane-system")',
    },
    {
      name: '--store-role-binding twice for one ServiceAccount',
      flags: {
        'store-role-binding': [
          'storeplane-store-manager:storeplane-system/storeplane-operator',
          'view:other/storeplane-operator',
        ],
      },
      message:
        /^--store-role-binding view:other\/storeplane-operator: ServiceAccount storeplane-operator already has one/,
    },
    {
      name: '--plans file that does not exist',
      flags: { plans: '/nonexistent/storeplane/plans.yaml' },
      message: /^--plans \/nonexistent\/storeplane\/plans\.yaml: .*ENOENT/,
    },
    {
      name: '--ingress-namespace that is not a namespace name',
      flags: { 'ingress-namespace': ['ingress-nginx', '--all'] },
      message: /^--ingress-namespace takes a namespace name \(got "--all"\)/,
    },
  ];
  for (const tc of bad) {
    it(`rejects ${tc.name} with a UsageError`, () => {
      let caught: unknown;
      try {
        operatorConfigFromFlags(tc.flags);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(UsageError);
      if (typeof tc.message === 'string') expect((caught as Error).message).toBe(tc.message);
      else expect((caught as Error).message).toMatch(tc.message);
    });
  }

  it('rejects an unknown plan in --plans', () => {
    const file = join(scratch, 'bad-plans.yaml');
    writeFileSync(file, 'huge:\n  quota:\n    pods: 20\n');
    expect(() => operatorConfigFromFlags({ plans: file })).toThrow(UsageError);
    expect(() => operatorConfigFromFlags({ plans: file })).toThrow(/unknown plan "huge"/);
  });
});

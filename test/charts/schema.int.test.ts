import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testCluster } from '../cluster/testing.ts';
import { charts } from './charts.ts';

const c = testCluster();
const tempDir = mkdtempSync(join(tmpdir(), 'storeplane-chart-schema-'));
const [woocommerce, medusa] = charts as [(typeof charts)[0], (typeof charts)[0]];

interface BadValues {
  what: string;
  values: string;
  /** What helm must say: the path of the offending value and why. */
  message: RegExp;
}

const common: BadValues[] = [
  {
    what: 'an unknown plan',
    values: 'store: {plan: huge}',
    message: /at '\/store\/plan': value must be one of 'small', 'medium', 'large'/,
  },
  {
    what: 'a store name that is not a DNS label',
    values: 'store: {name: Bad_Name}',
    message: /at '\/store\/name': 'Bad_Name' does not match pattern/,
  },
  {
    what: 'a store name starting with a digit (Services need DNS-1035 labels)',
    values: 'store: {name: 1shop}',
    message: /at '\/store\/name': '1shop' does not match pattern/,
  },
  { what: 'an unpinned image', values: 'image: {tag: latest}', message: /at '\/image\/tag': 'not' failed/ },
  {
    what: 'a negative volume size',
    values: 'database: {persistence: {size: -5Gi}}',
    message: /at '\/database\/persistence\/size': '-5Gi' does not match pattern/,
  },
  {
    what: 'a negative CPU request',
    values: 'sizes: {small: {database: {requests: {cpu: -100m}}}}',
    message: /at '\/sizes\/small\/database\/requests\/cpu': '-100m' does not match pattern/,
  },
  {
    what: 'a memory size without a unit',
    values: 'sizes: {medium: {database: {limits: {memory: "512"}}}}',
    message: /at '\/sizes\/medium\/database\/limits\/memory': '512' does not match pattern/,
  },
  {
    what: 'a top-level value the chart does not know',
    values: 'replicas: 3',
    message: /at '': additional properties 'replicas' not allowed/,
  },
  {
    what: 'TLS as a string',
    values: 'ingress: {tls: "yes"}',
    message: /at '\/ingress\/tls': got string, want boolean/,
  },
];

type Case = BadValues & { chart: string };
const onlyFor = (chart: string, b: BadValues): Case => ({ chart, ...b });
const cases: Case[] = [
  ...common.map((b) => onlyFor(woocommerce.name, b)),
  ...common.map((b) => onlyFor(medusa.name, b)),
  onlyFor(woocommerce.name, {
    what: 'an unknown WooCommerce option',
    values: 'woocommerce: {paymentGateway: stripe}',
    message: /at '\/woocommerce': additional properties 'paymentGateway' not allowed/,
  }),
  onlyFor(woocommerce.name, {
    what: 'an admin e-mail WordPress refuses',
    values: 'woocommerce: {adminEmail: bob@exa_mple.com}',
    message: /at '\/woocommerce\/adminEmail': 'bob@exa_mple.com' does not match pattern/,
  }),
  onlyFor(woocommerce.name, {
    what: 'workers as a string',
    values: 'web: {maxRequestWorkers: eight}',
    message: /at '\/web\/maxRequestWorkers': got string, want integer/,
  }),
  onlyFor(woocommerce.name, {
    what: 'a currency code in lower case',
    values: 'woocommerce: {currency: usd}',
    message: /at '\/woocommerce\/currency': 'usd' does not match pattern/,
  }),
  onlyFor(woocommerce.name, {
    what: 'a cron schedule with three fields',
    values: 'cron: {schedule: "*/5 * *"}',
    message: /at '\/cron\/schedule': '\*\/5 \* \*' does not match pattern/,
  }),
  onlyFor(medusa.name, {
    what: 'an unknown Medusa option',
    values: 'medusa: {paymentProvider: stripe}',
    message: /at '\/medusa': additional properties 'paymentProvider' not allowed/,
  }),
  onlyFor(medusa.name, {
    what: 'Redis switched on with a string',
    values: 'redis: {enabled: "yes"}',
    message: /at '\/redis\/enabled': got string, want boolean/,
  }),
  onlyFor(medusa.name, {
    what: 'a zero startup budget',
    values: 'server: {startupSeconds: 0}',
    message: /at '\/server\/startupSeconds': minimum: got 0, want 30/,
  }),
];

describe('values.schema.json rejects bad values with a readable message', () => {
  it.each(cases)('$chart: $what', async (bad) => {
    const chart = charts.find((ch) => ch.name === bad.chart)!;
    const file = join(tempDir, `${chart.name}-${bad.what.replace(/\W+/g, '-')}.yaml`);
    writeFileSync(file, `${bad.values}\n`);
    const r = await c.helm('template', 'shop', chart.dir, '-f', file);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      `values don't meet the specifications of the schema(s) in the following chart(s):\n${chart.name}:\n`,
    );
    expect(r.stderr).toMatch(bad.message);
  });

  it.each(charts)('$name: the chart defaults themselves are valid', async (chart) => {
    const r = await c.helm('template', 'shop', chart.dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

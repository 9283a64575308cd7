import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChartError, fill, loadChart, loadEngineCharts, valueAt, withValue } from './charts.ts';

const repo = join(import.meta.dirname, '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'storeplane-charts-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('engine charts', () => {
  it('load from charts/ with the data volumes each declares', () => {
    const charts = loadEngineCharts({});
    expect(charts.woocommerce.name).toBe('woocommerce-store');
    expect(
      charts.woocommerce.dataVolumes.map((v) => [v.what, fill(v.claim, { release: 'shop', plan: 'small' })]),
    ).toEqual([
      ['database', 'data-shop-db-0'],
      ['uploads', 'shop-uploads'],
    ]);
    expect(charts.medusa.dataVolumes.map((v) => v.what)).toEqual(['database']);
    // The plan sizes the operator reads are where the charts keep them.
    for (const c of Object.values(charts))
      for (const v of c.dataVolumes)
        for (const plan of ['small', 'medium', 'large'])
          expect(
            valueAt(c.defaults, fill(v.planSizeValue, { release: 'x', plan })),
            `${c.name} ${v.what} ${plan}`,
          ).toMatch(/^\d+Gi$/);
  });

  it('a missing chart is an error naming the flag, never a stand-in', () => {
    expect(() => loadEngineCharts({ medusa: join(tmp, 'nowhere') })).toThrow(ChartError);
    expect(() => loadEngineCharts({ medusa: join(tmp, 'nowhere') })).toThrow(
      /medusa engine chart is missing.*--chart medusa=/,
    );
  });

  it('the content digest follows what Helm renders, not the README', () => {
    const copy = join(tmp, 'woo');
    cpSync(join(repo, 'charts', 'woocommerce-store'), copy, { recursive: true });
    const before = loadChart('woocommerce', copy).contentDigest;
    writeFileSync(join(copy, 'README.md'), 'changed\n');
    expect(loadChart('woocommerce', copy).contentDigest).toBe(before);
    writeFileSync(join(copy, 'templates', 'web.yaml'), '# a fixed template\n', { flag: 'a' });
    expect(loadChart('woocommerce', copy).contentDigest).not.toBe(before);
  });

  it('a malformed data-volumes annotation is an error', () => {
    const bad = join(tmp, 'bad');
    cpSync(join(repo, 'test', 'fixtures', 'store-chart'), bad, { recursive: true });
    writeFileSync(
      join(bad, 'Chart.yaml'),
      'apiVersion: v2\nname: bad\nversion: 0.1.0\nannotations:\n  storeplane.dev/data-volumes: "- what: db"\n',
    );
    expect(() => loadChart('woocommerce', bad)).toThrow(/needs "claim"/);
  });
});

describe('values paths', () => {
  it('reads and sets dotted paths without changing the input', () => {
    const v = { database: { persistence: { size: '' } } };
    const w = withValue(v, 'database.persistence.size', '5Gi');
    expect(valueAt(w, 'database.persistence.size')).toBe('5Gi');
    expect(v.database.persistence.size).toBe('');
    expect(valueAt(withValue({}, 'a.b', 1), 'a.b')).toBe(1);
  });
});

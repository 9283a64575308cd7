import { describe, expect, it } from 'vitest';
import { releaseValues } from '../../src/store/engines.ts';
import type { Store } from '../../src/store/schema.ts';
import { charts } from './charts.ts';
import { helmSetupTimeout, helmTemplate, platformValues } from './helm-template.ts';

/** Each engine chart's values.schema.json against what the platform sends (releaseValues). */
describe.each(charts)(
  '$name: values.schema.json and the platform',
  { timeout: helmSetupTimeout },
  (chart) => {
    const store = (name: string, owner: string): Store => ({
      apiVersion: 'storeplane.dev/v1alpha1',
      kind: 'Store',
      metadata: { name },
      spec: { engine: chart.engine, displayName: 'ショップ🛒'.repeat(16), owner, plan: 'large', version: '' },
    });

    it.each([
      ['abc', 'alice'],
      [`a${'-0'.repeat(14)}z`, `${'l'.repeat(64)}@${'d'.repeat(50)}.example`],
    ])('accepts the values of store %j (owner %j)', async (name, owner) => {
      const values = releaseValues(store(name, owner), {
        baseDomain: 'stores.example.com',
        tls: false,
        ingressClassName: 'nginx',
      });
      const r = await helmTemplate(chart.dir, values);
      expect(r.stderr).toBe('');
      expect(r.ok).toBe(true);
    });

    it('refuses a store name starting with a digit: Services need DNS-1035 labels', async () => {
      const r = await helmTemplate(chart.dir, platformValues(chart.engine, { name: '1shop' }));
      expect(r.ok).toBe(false);
      expect(r.stderr).toMatch(/at '\/store\/name': '1shop' does not match pattern/);
    });
  },
);

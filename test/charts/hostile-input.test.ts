import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/store/schema.ts';
import {
  allContainers,
  type ChartUnderTest,
  charts,
  type K8sObject,
  parseManifests,
  podsOf,
} from './charts.ts';
import { containerEnv } from './env.ts';
import { helmSetupTimeout, helmTemplate, platformValues } from './helm-template.ts';
import { hostileDisplayNames } from './hostile-names.ts';

/**
 * Both engine charts rendered by the real helm with hostile display names, in the values the
 * platform sends (releaseValues, in a values file): every container that gets the display name
 * sees exactly the input. No template evaluation of values, no YAML breakage, and no Kubernetes
 * $(VAR) expansion (a display name "$(ADMIN_PASSWORD)" would otherwise become the password).
 */

/** The env var that carries the display name into each engine's containers. */
const carrier: Record<Engine, string> = { woocommerce: 'STORE_TITLE', medusa: 'STORE_NAME' };
/** WooCommerce settings that are free text too, and reach the setup Job the same way. */
const wooFreeText = ['WC_ADDRESS', 'WC_CITY', 'WC_POSTCODE', 'WC_SHIPPING_TITLE'];

function valuesFor(chart: ChartUnderTest, text: string): Record<string, unknown> {
  const values = platformValues(chart.engine, { displayName: text });
  if (chart.engine !== 'woocommerce') return values;
  return { ...values, woocommerce: { address: text, city: text, postcode: text, shipping: { title: text } } };
}

async function render(chart: ChartUnderTest, text: string): Promise<K8sObject[]> {
  const r = await helmTemplate(chart.dir, valuesFor(chart, text));
  expect(r.stderr).toBe('');
  expect(r.ok).toBe(true);
  return parseManifests(r.stdout);
}

const ids = (objects: K8sObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();

/** What each container that declares `name` sees in it. */
function seenBy(objects: K8sObject[], name: string): string[] {
  return podsOf(objects)
    .flatMap((p) => allContainers(p.spec))
    .filter((c) => c.env?.some((e) => e.name === name))
    .map((c) => containerEnv(c, objects).get(name) ?? '');
}

describe.each(charts)('$name: hostile display names are data', { timeout: 60_000 }, (chart) => {
  let plain: K8sObject[];
  beforeAll(async () => {
    plain = await render(chart, 'Plain Store');
  }, helmSetupTimeout);

  it('the plain name reaches the containers that show it', () => {
    expect(seenBy(plain, carrier[chart.engine]).length).toBeGreaterThan(0);
    for (const seen of seenBy(plain, carrier[chart.engine])) expect(seen).toBe('Plain Store');
  });

  it.each(hostileDisplayNames(mkdtempSync(join(tmpdir(), 'storeplane-hostile-'))))('%j', async (text) => {
    const objects = await render(chart, text);
    expect(ids(objects)).toEqual(ids(plain));
    const seen = seenBy(objects, carrier[chart.engine]);
    expect(seen).toHaveLength(seenBy(plain, carrier[chart.engine]).length);
    for (const s of seen) expect(s).toBe(text);
    if (chart.engine === 'woocommerce')
      for (const env of wooFreeText) expect(seenBy(objects, env), env).toEqual([text]);
  });
});

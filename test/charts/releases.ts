import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CoreV1Event } from '@kubernetes/client-node';
import { engineDrivers, releaseValues } from '../../src/store/engines.ts';
import type { Plan, Store } from '../../src/store/schema.ts';
import { layerValues, type Values } from '../../src/store/values-layers.ts';
import { type TestCluster, uniqueName } from '../cluster/testing.ts';
import { type ChartUnderTest, storeNamespace } from './charts.ts';

/** A store namespace made ready for the engine chart the way the operator makes it. */
export interface PreparedStore {
  /** Store name = release name (src/store/naming.ts releaseFor). */
  release: string;
  namespace: string;
  /** The operator's values for the release (plus any extra), a 0600 file. */
  valuesFile: string;
}

/**
 * Namespace with the plan's guardrails (storeNamespace), the credentials Secret made by the
 * operator's own generators, and the values the operator passes (releaseValues) with `extra`
 * layered on top (as an environment values file would be).
 */
export async function prepareStore(
  c: TestCluster,
  chart: ChartUnderTest,
  opts: { dir: string; plan?: Plan; enforce?: 'restricted' | 'baseline'; extra?: Values; prefix?: string },
): Promise<PreparedStore> {
  const plan = opts.plan ?? 'small';
  const release = uniqueName(opts.prefix ?? chart.engine.slice(0, 3));
  const namespace = await storeNamespace(c.kc, chart, release, {
    plan,
    ...(opts.enforce ? { enforce: opts.enforce } : {}),
  });
  const credentials = Object.fromEntries(
    Object.entries(engineDrivers[chart.engine].credentials).map(([k, make]) => [k, make()]),
  );
  await c.core.createNamespacedSecret({
    namespace,
    body: { metadata: { name: 'store-credentials' }, type: 'Opaque', stringData: credentials },
  });
  const store = {
    apiVersion: 'storeplane.dev/v1alpha1',
    kind: 'Store',
    metadata: { name: release },
    spec: { engine: chart.engine, displayName: `Store ${release}`, owner: 'alice@example.com', plan },
  } as Store;
  const values = layerValues(
    releaseValues(store, { baseDomain: '127.0.0.1.nip.io', tls: false, ingressClassName: 'nginx' }),
    opts.extra ?? {},
  );
  const valuesFile = join(opts.dir, `${release}.json`);
  writeFileSync(valuesFile, JSON.stringify(values), { mode: 0o600 });
  return { release, namespace, valuesFile };
}

/** Warning events of pods the API server refused to create (quota, Pod Security, ...). */
export async function failedCreates(c: TestCluster, namespace: string): Promise<string[]> {
  const events: CoreV1Event[] = (
    await c.core.listNamespacedEvent({ namespace, fieldSelector: 'reason=FailedCreate' })
  ).items;
  return events.map((e) => `${e.involvedObject.kind}/${e.involvedObject.name}: ${e.message ?? ''}`);
}

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OperatorProcess,
  type PrivateCluster,
  isReady,
  privateCluster,
  storeYaml,
  waitForStore,
} from '../operator/harness.ts';

/**
 * Local and production differ only by values files: the operator started with a chart's
 * values-prod.yaml (--chart-values) and --tls provisions stores whose Ingress is the production
 * one (Traefik, cert-manager, TLS), with the operator's per-store host layered over the file.
 */
const root = join(import.meta.dirname, '..', '..');
let c: PrivateCluster;
let operator: OperatorProcess;

beforeAll(async () => {
  c = await privateCluster();
  // values-prod.yaml as it is, but for the StorageClass: KWOK provisions volumes of its own class
  // only, so k3s's local-path is swapped for it (the file's other values are what is tested).
  const prod = yaml.load(
    await readFile(join(root, 'charts', 'woocommerce-store', 'values-prod.yaml'), 'utf8'),
  ) as { web: { persistence: object }; database: { persistence: object } };
  prod.web.persistence = { ...prod.web.persistence, storageClass: 'kwok-volume' };
  prod.database.persistence = { ...prod.database.persistence, storageClass: 'kwok-volume' };
  const values = join(c.dataDir, 'values-prod-kwok.yaml');
  await writeFile(values, yaml.dump(prod));
  operator = new OperatorProcess(c, [
    '--chart-values',
    `woocommerce=${values}`,
    '--tls',
    '--base-domain',
    'shops.example.com',
  ]);
  await operator.start();
});
afterAll(async () => {
  await operator?.stop();
  await c?.stop();
});

describe('the operator with an environment values file', () => {
  it('renders the production Ingress for a store, with its own host and an https URL', async () => {
    await c.kubectl(['apply', '-f', '-'], storeYaml('prod-shop'));
    const store = await waitForStore(c, 'prod-shop', isReady, 150_000, 'Ready');
    expect(store.status?.url).toBe('https://prod-shop.shops.example.com/');
    const ingress = JSON.parse(
      (await c.kubectl(['get', 'ingress', 'prod-shop', '-n', 'store-prod-shop', '-o', 'json'])).stdout,
    ) as {
      metadata: { annotations: Record<string, string> };
      spec: { ingressClassName: string; tls: { hosts: string[] }[]; rules: { host: string }[] };
    };
    expect(ingress.spec.ingressClassName).toBe('traefik');
    expect(ingress.metadata.annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt-prod');
    expect(ingress.spec.tls[0]?.hosts).toEqual(['prod-shop.shops.example.com']);
    expect(ingress.spec.rules[0]?.host).toBe('prod-shop.shops.example.com');
    const pvc = await c.core.readNamespacedPersistentVolumeClaim({
      name: 'data-prod-shop-db-0',
      namespace: 'store-prod-shop',
    });
    expect(pvc.spec?.storageClassName).toBe('kwok-volume');
    // The production sizes of the file, not the chart's defaults.
    const web = JSON.parse(
      (await c.kubectl(['get', 'deployment', 'prod-shop-web', '-n', 'store-prod-shop', '-o', 'json'])).stdout,
    ) as { spec: { template: { spec: { containers: { resources: { requests: object } }[] } } } };
    expect(web.spec.template.spec.containers[0]?.resources.requests).toMatchObject({
      cpu: '200m',
      memory: '384Mi',
    });
  });
});

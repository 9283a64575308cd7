import { describe, expect, it } from 'vitest';
import { guardrailManifests } from '../../src/operator/reconcile/manifests.ts';
import { defaultPlans } from '../../src/store/plans.ts';
import type { Store } from '../../src/store/schema.ts';
import { testCluster } from '../cluster/testing.ts';
import { type ChartUnderTest, charts, parseManifests, type PodSpec, podsOf, valuesArgs } from './charts.ts';
import { allowed, type Endpoint, type NetworkPolicy, selects } from './netpol.ts';

/**
 * Who may talk to whom in a store namespace: the operator's guardrails (default deny, ingress
 * controller -> web, web -> database, DNS) plus the chart's own policies, evaluated over the
 * chart's real pod labels. The simulated cluster does not enforce NetworkPolicies, so this is
 * what proves the chart's policies give each engine what it needs and nothing more.
 */
const c = testCluster();
const namespace = 'store-shop';

async function network(chart: ChartUnderTest, ...extra: string[]) {
  const r = await c.helm(
    'template',
    'shop',
    chart.dir,
    '--namespace',
    namespace,
    ...valuesArgs(chart, 'prod'),
    '--set',
    'store.name=shop',
    ...extra,
  );
  expect(r.code).toBe(0);
  const objects = parseManifests(r.stdout);
  const store = {
    apiVersion: 'storeplane.dev/v1alpha1',
    kind: 'Store',
    metadata: { name: 'shop' },
    spec: { engine: chart.engine, displayName: 'Shop', owner: 'alice@example.com', plan: 'small' },
  } as Store;
  const guardrails = guardrailManifests(store, {
    plan: defaultPlans.small,
    ingressNamespaces: ['ingress-nginx'],
  }).filter((o) => o.kind === 'NetworkPolicy') as NetworkPolicy[];
  const own = objects
    .filter((o) => o.kind === 'NetworkPolicy')
    .map((o) => ({ ...o, metadata: { ...o.metadata, namespace } }) as NetworkPolicy);
  expect(own.length).toBeGreaterThan(0);
  const pods: Record<string, Endpoint> = {};
  const specs: Record<string, PodSpec> = {};
  for (const p of podsOf(objects)) {
    const component = p.labels['app.kubernetes.io/component'] ?? '';
    pods[component] = { name: component, namespace, labels: p.labels };
    specs[component] = p.spec;
  }
  const outside: Record<string, Endpoint> = {
    ingressController: {
      name: 'ingress-nginx',
      namespace: 'ingress-nginx',
      labels: { app: 'ingress-nginx' },
    },
    dns: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    stranger: { name: 'another pod in the namespace', namespace, labels: { app: 'debug' } },
    otherStore: {
      name: 'a web pod of another store',
      namespace: 'store-other',
      labels: { 'storeplane.dev/role': 'web' },
    },
    internet: { name: 'the internet', labels: {} },
  };
  const policies = [...guardrails, ...own];
  const can = (from: Endpoint | undefined, to: Endpoint | undefined, port: number) => {
    if (!from || !to) throw new Error('no such pod in the rendered chart');
    return allowed(policies, from, to, port);
  };
  return { pods, outside, can, own, specs };
}

describe('network policies of woocommerce-store with the operator guardrails', () => {
  const chart = charts.find((ch) => ch.engine === 'woocommerce')!;

  it('lets the ingress controller reach WordPress, WordPress reach MariaDB, and the jobs reach both', async () => {
    const { pods, outside, can } = await network(chart);
    const { web, database, setup, cron } = pods;
    const check = pods['order-check'];
    expect(can(outside.ingressController, web, 8080)).toBe(true);
    expect(can(web, database, 3306)).toBe(true);
    for (const job of [setup, cron]) {
      expect(can(job, web, 8080)).toBe(true);
      expect(can(job, database, 3306)).toBe(true);
    }
    expect(can(check, web, 8080)).toBe(true);
    for (const p of Object.values(pods)) expect(can(p, outside.dns, 53), `${p.name} -> DNS`).toBe(true);
  });

  it('denies everything else', async () => {
    const { pods, outside, can } = await network(chart);
    const { web, database, setup } = pods;
    const check = pods['order-check'];
    expect(can(outside.ingressController, database, 3306)).toBe(false);
    expect(can(check, database, 3306)).toBe(false);
    expect(can(database, web, 8080)).toBe(false);
    expect(can(setup, web, 22)).toBe(false);
    // The jobs reach MariaDB on its port only.
    for (const job of [setup, pods.cron]) {
      expect(can(job, database, 3307)).toBe(false);
      expect(can(job, database, 22)).toBe(false);
    }
    expect(can(outside.stranger, web, 8080)).toBe(false);
    expect(can(outside.stranger, database, 3306)).toBe(false);
    expect(can(outside.otherStore, web, 8080)).toBe(false);
    expect(can(web, outside.otherStore, 8080)).toBe(false);
    for (const p of Object.values(pods))
      expect(can(p, outside.internet, 443), `${p.name} -> internet`).toBe(false);
  });
});

describe('network policies of medusa-store with the operator guardrails', () => {
  const chart = charts.find((ch) => ch.engine === 'medusa')!;

  it('lets the ingress controller reach both web tiers, the server its stores, and the jobs the server', async () => {
    const { pods, outside, can } = await network(chart);
    const { server, storefront, database, redis, seed } = pods;
    const check = pods['order-check'];
    expect(can(outside.ingressController, server, 9000)).toBe(true);
    expect(can(outside.ingressController, storefront, 8000)).toBe(true);
    expect(can(server, database, 5432)).toBe(true);
    expect(can(server, redis, 6379)).toBe(true);
    expect(can(seed, server, 9000)).toBe(true);
    expect(can(seed, database, 5432)).toBe(true);
    expect(can(seed, redis, 6379)).toBe(true);
    expect(can(check, server, 9000)).toBe(true);
    for (const p of Object.values(pods)) expect(can(p, outside.dns, 53), `${p.name} -> DNS`).toBe(true);
  });

  it('denies everything else', async () => {
    const { pods, outside, can } = await network(chart);
    const { server, storefront, database, redis } = pods;
    const check = pods['order-check'];
    expect(can(outside.ingressController, database, 5432)).toBe(false);
    expect(can(outside.ingressController, redis, 6379)).toBe(false);
    expect(can(check, database, 5432)).toBe(false);
    expect(can(check, storefront, 8000)).toBe(false);
    expect(can(storefront, server, 9000)).toBe(false);
    expect(can(database, server, 9000)).toBe(false);
    // The seed Job reaches each store on its own port only.
    expect(can(pods.seed, database, 6379)).toBe(false);
    expect(can(pods.seed, database, 5433)).toBe(false);
    expect(can(pods.seed, redis, 5432)).toBe(false);
    expect(can(pods.seed, server, 9001)).toBe(false);
    expect(can(check, server, 9001)).toBe(false);
    expect(can(outside.stranger, server, 9000)).toBe(false);
    expect(can(outside.otherStore, server, 9000)).toBe(false);
    for (const p of Object.values(pods))
      expect(can(p, outside.internet, 443), `${p.name} -> internet`).toBe(false);
  });

  it('without Redis, the seed Job gets no path to a Redis port', async () => {
    const { pods, can } = await network(chart, '--set', 'redis.enabled=false');
    expect(pods.redis).toBeUndefined();
    expect(can(pods.seed, pods.database, 6379)).toBe(false);
  });
});

/**
 * DESIGN.md §6: the database is reachable only on its port. Each of the chart's own rules that
 * lets traffic reach a database-tier pod (MariaDB, PostgreSQL, Redis) must name ports, and only
 * ports that pod listens on. (Not checked here: the operator's guardrails in
 * src/operator/reconcile/manifests.ts, which allow web -> database on any port.)
 */
describe.each(charts)('$name: policies to the database tier name its ports', (chart) => {
  it("every ingress and egress rule that reaches a database pod lists only that pod's ports", async () => {
    const { pods, own, specs } = await network(chart);
    const databases = Object.entries(pods).filter(([, p]) => p.labels['storeplane.dev/role'] === 'database');
    expect(databases.map(([name]) => name).sort()).toEqual(
      chart.engine === 'medusa' ? ['database', 'redis'] : ['database'],
    );
    const inNamespace = { matchLabels: { 'kubernetes.io/metadata.name': namespace } };
    let rules = 0;
    for (const [name, db] of databases) {
      const listens = (specs[name]?.containers ?? []).flatMap((ctr) =>
        (ctr.ports ?? []).map((p) => p.containerPort),
      );
      expect(listens.length, name).toBeGreaterThan(0);
      for (const policy of own) {
        const at = `${policy.metadata.name} -> ${name}`;
        const reaching = [
          ...(selects(policy.spec?.podSelector, db.labels) ? (policy.spec?.ingress ?? []) : []),
          // No peers means every destination.
          ...(policy.spec?.egress ?? []).filter(
            (r) =>
              !r.to?.length ||
              r.to.some(
                (peer) =>
                  !peer.ipBlock &&
                  selects(peer.namespaceSelector ?? inNamespace, inNamespace.matchLabels) &&
                  selects(peer.podSelector, db.labels),
              ),
          ),
        ];
        for (const rule of reaching) {
          rules += 1;
          expect(rule.ports?.length, at).toBeGreaterThan(0);
          for (const p of rule.ports ?? []) expect(listens, `${at} port ${p.port}`).toContain(p.port);
        }
      }
    }
    expect(rules).toBeGreaterThan(0);
  });
});

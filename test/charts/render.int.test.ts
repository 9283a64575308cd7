import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineDrivers } from '../../src/store/engines.ts';
import { defaultPlans } from '../../src/store/plans.ts';
import { testCluster, uniqueName } from '../cluster/testing.ts';
import {
  allContainers,
  type ChartUnderTest,
  charts,
  isPinned,
  type K8sObject,
  parseManifests,
  parseQuantity,
  plans,
  podsOf,
  podTotals,
  repoRoot,
  storeNamespace,
  type ValueSet,
  valueSets,
  valuesArgs,
} from './charts.ts';

const c = testCluster();
const sets = Object.keys(valueSets) as ValueSet[];

const tempDir = mkdtempSync(join(tmpdir(), 'storeplane-chart-test-'));
let tempCount = 0;
function writeTemp(text: string): string {
  const file = join(tempDir, `${++tempCount}.yaml`);
  writeFileSync(file, text, { mode: 0o600 });
  return file;
}
const namespaces: string[] = [];
afterAll(async () => {
  for (const ns of namespaces) await c.core.deleteNamespace({ name: ns }).catch(() => {});
});

async function template(chart: ChartUnderTest, set: ValueSet, ...extra: string[]): Promise<K8sObject[]> {
  const r = await c.helm(
    'template',
    'shop',
    chart.dir,
    '--namespace',
    'store-shop',
    ...valuesArgs(chart, set),
    // As the operator does it: the release is named after the store.
    '--set',
    'store.name=shop',
    ...extra,
  );
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return parseManifests(r.stdout);
}

describe.each(charts)('$name chart', (chart) => {
  it.each(sets)('helm lint --strict passes with the %s values', async (set) => {
    const r = await c.helm('lint', '--strict', chart.dir, ...valuesArgs(chart, set));
    expect(r.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(r.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
    expect(r.code).toBe(0);
  });

  describe.each(sets)('rendered with the %s values', (set) => {
    let objects: K8sObject[];
    beforeAll(async () => {
      objects = await template(chart, set);
    });

    it('renders the workloads, Services, Ingress, hook Job and test pod of the engine', () => {
      const names = objects.map((o) => `${o.kind}/${o.metadata.name}`);
      for (const component of Object.keys(chart.workloads)) {
        expect(names).toContain(
          `${component === 'database' ? 'StatefulSet' : 'Deployment'}/shop-${component === 'database' ? 'db' : component}`,
        );
      }
      expect(names).toContain(`Job/shop-${chart.hookJob}`);
      expect(names).toContain('Pod/shop-order-check');
      expect(names).toContain('Ingress/shop');
      expect(names).not.toContain(expect.stringMatching(/^Secret\//));
    });

    it('keeps the data volumes: retained by the database StatefulSet, kept by helm uninstall', () => {
      const statefulSets = objects.filter((o) => o.kind === 'StatefulSet');
      const claims = objects.filter((o) => o.kind === 'PersistentVolumeClaim');
      const templates = statefulSets.flatMap((o) => o.spec?.volumeClaimTemplates as unknown[]);
      expect(claims.length + templates.length).toBe(chart.volumes);
      for (const o of statefulSets) {
        expect(o.spec?.persistentVolumeClaimRetentionPolicy, o.metadata.name).toEqual({
          whenDeleted: 'Retain',
          whenScaled: 'Retain',
        });
      }
      for (const o of claims) {
        expect(o.metadata.annotations?.['helm.sh/resource-policy'], o.metadata.name).toBe('keep');
      }
    });

    it('every object carries the Kubernetes recommended labels', () => {
      for (const o of objects) {
        expect(o.metadata.labels, `${o.kind}/${o.metadata.name}`).toMatchObject({
          'app.kubernetes.io/name': chart.name,
          'app.kubernetes.io/instance': 'shop',
          'app.kubernetes.io/managed-by': 'Helm',
          'app.kubernetes.io/part-of': 'storeplane',
          'app.kubernetes.io/version': expect.any(String),
          'app.kubernetes.io/component': expect.any(String),
        });
      }
    });

    it('every container has requests and limits within the plan, runs hardened and non-root', () => {
      const plan = defaultPlans.small;
      for (const pod of podsOf(objects)) {
        const where = pod.source;
        expect(pod.spec.serviceAccountName, where).toBe('store-workload');
        expect(pod.spec.automountServiceAccountToken, where).toBe(false);
        expect(pod.spec.securityContext?.runAsNonRoot, where).toBe(true);
        expect(pod.spec.securityContext?.seccompProfile?.type, where).toBe('RuntimeDefault');
        expect([pod.spec.hostNetwork, pod.spec.hostPID, pod.spec.hostIPC], where).toEqual([
          undefined,
          undefined,
          undefined,
        ]);
        for (const ctr of allContainers(pod.spec)) {
          const at = `${where} container ${ctr.name}`;
          const res = ctr.resources;
          for (const kind of ['requests', 'limits'] as const) {
            for (const r of ['cpu', 'memory'] as const) {
              expect(res?.[kind]?.[r], `${at} ${kind}.${r}`).toBeDefined();
            }
          }
          for (const r of ['cpu', 'memory'] as const) {
            const request = parseQuantity(res?.requests?.[r] ?? NaN);
            const limit = parseQuantity(res?.limits?.[r] ?? NaN);
            expect(request, `${at} request ≤ limit (${r})`).toBeLessThanOrEqual(limit);
            expect(limit, `${at} limit ≤ LimitRange max (${r})`).toBeLessThanOrEqual(
              parseQuantity(plan.containerMax[r]),
            );
          }
          const sc = ctr.securityContext;
          expect(sc, at).toMatchObject({
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ['ALL'] },
            seccompProfile: { type: 'RuntimeDefault' },
          });
          expect(sc?.runAsUser, at).toBeGreaterThan(0);
          expect(sc?.privileged ?? false, at).toBe(false);
          expect(sc?.capabilities?.add, at).toBeUndefined();
          expect(isPinned(ctr.image), `${at} image ${ctr.image} is pinned`).toBe(true);
        }
      }
    });

    it('long-running containers have startup, readiness and liveness probes', () => {
      const longRunning = podsOf(objects).filter((p) => p.longRunning);
      expect(longRunning.length).toBeGreaterThanOrEqual(Object.keys(chart.workloads).length);
      for (const pod of longRunning) {
        for (const ctr of pod.spec.containers) {
          const at = `${pod.source} container ${ctr.name}`;
          expect(ctr.startupProbe, at).toBeDefined();
          expect(ctr.readinessProbe, at).toBeDefined();
          expect(ctr.livenessProbe, at).toBeDefined();
        }
      }
    });

    it('credentials come only from existingSecret, by the keys the operator generates', () => {
      const keys = Object.keys(engineDrivers[chart.engine].credentials);
      const refs: string[] = [];
      for (const pod of podsOf(objects)) {
        for (const ctr of allContainers(pod.spec)) {
          for (const env of ctr.env ?? []) {
            const at = `${pod.source} ${ctr.name} env ${env.name}`;
            const ref = env.valueFrom?.secretKeyRef;
            if (ref) {
              expect(ref.name, at).toBe('store-credentials');
              expect(keys, at).toContain(ref.key);
              refs.push(ref.key);
            } else if (/PASSWORD|SECRET|_KEY|_SALT|TOKEN/.test(env.name)) {
              throw new Error(`${at} looks like a credential but is not a secretKeyRef`);
            }
            // A literal value may only reference a secret-backed variable, e.g. $(DB_PASSWORD).
            if (env.value !== undefined && /:\/\/[^/\s]*:[^@/\s]*@/.test(env.value)) {
              expect(env.value, at).toMatch(/:\/\/[^:]+:\$\([A-Z_]+\)@/);
            }
          }
        }
      }
      // Every credential the engine has is used somewhere (otherwise a key name is mistyped).
      expect(new Set(refs)).toEqual(new Set(keys));
      expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    });

    it("never contains the operator's fixed credential values (they come from the Secret)", async () => {
      const r = await c.helm('template', 'shop', chart.dir, ...valuesArgs(chart, set));
      for (const make of Object.values(engineDrivers[chart.engine].credentials)) {
        const value = make();
        if (value === make()) expect(r.stdout).not.toContain(value); // a fixed value, not a random one
      }
      expect(r.stdout).not.toMatch(/^kind: Secret$/m);
    });

    it('every pod carries the storeplane.dev/role label the guardrails select on', () => {
      for (const pod of podsOf(objects)) {
        expect(['web', 'database', 'setup', 'check'], pod.source).toContain(
          pod.labels['storeplane.dev/role'],
        );
      }
      for (const [component, role] of Object.entries(chart.workloads)) {
        const pod = podsOf(objects).find((p) => p.labels['app.kubernetes.io/component'] === component);
        expect(pod?.labels['storeplane.dev/role'], component).toBe(role);
      }
    });

    it.each(plans)('requests, limits, pods, volumes and Services fit the %s plan quota', async (plan) => {
      const rendered = await template(chart, set, '--set', `store.plan=${plan}`);
      const quota = defaultPlans[plan].quota;
      const pods = podsOf(rendered);
      const sum = { 'requests.cpu': 0, 'requests.memory': 0, 'limits.cpu': 0, 'limits.memory': 0 };
      let podCount = 0;
      for (const pod of pods) {
        const t = podTotals(pod.spec);
        for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += t[k] * pod.replicas;
        podCount += pod.replicas;
        for (const ctr of allContainers(pod.spec)) {
          for (const r of ['cpu', 'memory'] as const) {
            expect(
              parseQuantity(ctr.resources?.limits?.[r] ?? NaN),
              `${pod.source} ${ctr.name}`,
            ).toBeLessThanOrEqual(parseQuantity(defaultPlans[plan].containerMax[r]));
          }
        }
      }
      // Everything at once: every workload, the hook Job, a cron run and the helm test pod; and
      // while a workload pod is replaced it counts twice (the largest one, once more); and in a
      // node drain every Deployment's pod is replaced while the old one still counts.
      const workloads = pods.filter((p) => p.longRunning);
      const deployments = workloads.filter((p) => p.source.startsWith('Deployment/'));
      for (const k of Object.keys(sum) as (keyof typeof sum)[]) {
        const hard = parseQuantity(quota[k]);
        const largest = Math.max(...workloads.map((p) => podTotals(p.spec)[k]));
        const running = workloads.reduce((a, p) => a + podTotals(p.spec)[k] * p.replicas, 0);
        const drained = deployments.reduce((a, p) => a + podTotals(p.spec)[k] * p.replicas, 0);
        expect(sum[k], `${k} of all pods`).toBeLessThanOrEqual(hard);
        expect(sum[k] + largest, `${k} of all pods and one replacement`).toBeLessThanOrEqual(hard);
        expect(running + drained, `${k} of the workloads during a node drain`).toBeLessThanOrEqual(hard);
      }
      expect(podCount).toBeLessThanOrEqual(Number(quota.pods));
      const claims = [
        ...rendered.filter((o) => o.kind === 'PersistentVolumeClaim').map((o) => o.spec),
        ...rendered
          .filter((o) => o.kind === 'StatefulSet')
          .flatMap((o) =>
            (o.spec?.volumeClaimTemplates as { spec: Record<string, unknown> }[]).map((t) => t.spec),
          ),
      ] as { resources: { requests: { storage: string } } }[];
      expect(claims.length).toBeGreaterThan(0);
      expect(claims.length).toBeLessThanOrEqual(Number(quota.persistentvolumeclaims));
      const storage = claims.reduce((a, s) => a + parseQuantity(s.resources.requests.storage), 0);
      expect(storage).toBeLessThanOrEqual(parseQuantity(quota['requests.storage']));
      const services = rendered.filter((o) => o.kind === 'Service');
      expect(services.length).toBeLessThanOrEqual(Number(quota.services));
      for (const s of services) expect(s.spec?.type, s.metadata.name).toBe('ClusterIP');
    });

    it('the API server (Kubernetes 1.34) accepts every object, and pods meet PSA restricted', async () => {
      const name = uniqueName(`r${chart.engine.slice(0, 3)}`);
      // Enforce PSA restricted for both engines: stricter than the operator's baseline for
      // WooCommerce, and what the namespace's warn label asks for.
      const namespace = await storeNamespace(c.kc, chart, name, { enforce: 'restricted' });
      namespaces.push(namespace);
      const rendered = await c.helm(
        'template',
        name,
        chart.dir,
        '--namespace',
        namespace,
        ...valuesArgs(chart, set),
        '--set',
        `store.name=${name}`,
      );
      expect(rendered.code).toBe(0);
      const file = writeTemp(rendered.stdout);
      const r = await c.kubectl('apply', '--dry-run=server', '-n', namespace, '-f', file, '-o', 'name');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout.trim().split('\n').length).toBe(parseManifests(rendered.stdout).length);
    });
  });

  it('the test pod runs the order check against the in-cluster web Service with the admin credentials', async () => {
    const objects = await template(chart, 'prod', '--show-only', 'templates/tests/order-check.yaml');
    expect(objects).toHaveLength(1);
    const pod = objects[0]!;
    expect(pod.kind).toBe('Pod');
    expect(pod.metadata.annotations?.['helm.sh/hook']).toBe('test');
    expect(pod.metadata.labels?.['storeplane.dev/role']).toBe('check');
    const spec = pod.spec as unknown as {
      containers: {
        command?: string[];
        args?: string[];
        env: { name: string; valueFrom?: { secretKeyRef?: { key: string } } }[];
      }[];
      restartPolicy: string;
    };
    expect(spec.restartPolicy).toBe('Never');
    const ctr = spec.containers[0]!;
    const secretEnv = Object.fromEntries(
      ctr.env.filter((e) => e.valueFrom?.secretKeyRef).map((e) => [e.name, e.valueFrom?.secretKeyRef?.key]),
    );
    if (chart.engine === 'woocommerce') {
      expect(ctr.command).toEqual(['bash', '/storeplane/order-check.sh']);
      expect(ctr.args).toEqual(['--url', 'http://shop.shops.example.com', '--connect-to', 'shop-web:80']);
      expect(secretEnv).toEqual({ ADMIN_USER: 'admin-user', ADMIN_PASSWORD: 'admin-password' });
    } else {
      expect(ctr.command).toBeUndefined();
      expect(ctr.args).toEqual(['order-check', '--url', 'http://shop-server:9000']);
      expect(secretEnv).toEqual({
        MEDUSA_ADMIN_EMAIL: 'admin-email',
        MEDUSA_ADMIN_PASSWORD: 'admin-password',
      });
    }
  });
});

describe('woocommerce-store specifics', () => {
  const chart = charts[0]!;

  it('ships the order check of engines/woocommerce unchanged, and the seed data with images', async () => {
    const objects = await template(chart, 'default', '--show-only', 'templates/configmap.yaml');
    const scripts = objects.find((o) => o.metadata.name === 'shop-scripts');
    expect(scripts?.data?.['order-check.sh']).toBe(
      readFileSync(join(repoRoot, 'engines', 'woocommerce', 'order-check.sh'), 'utf8').trimEnd(),
    );
    expect(scripts?.data?.['setup.sh']).toContain('wp plugin activate woocommerce');
    const products = JSON.parse(scripts?.data?.['products.json'] ?? '[]') as { image: string }[];
    expect(products.length).toBeGreaterThan(0);
    for (const p of products) {
      const png = Buffer.from(scripts?.binaryData?.[p.image] ?? '', 'base64');
      expect(png.subarray(1, 4).toString(), p.image).toBe('PNG');
    }
  });

  it('prod values: Traefik, TLS from cert-manager, local-path volumes', async () => {
    const objects = await template(chart, 'prod');
    const ingress = objects.find((o) => o.kind === 'Ingress');
    expect(ingress?.spec).toMatchObject({
      ingressClassName: 'traefik',
      tls: [{ hosts: ['shop.shops.example.com'], secretName: 'shop-tls' }],
      rules: [{ host: 'shop.shops.example.com' }],
    });
    expect(ingress?.metadata.annotations?.['cert-manager.io/cluster-issuer']).toBe('letsencrypt-prod');
    const pvc = objects.find((o) => o.kind === 'PersistentVolumeClaim');
    expect(pvc?.spec?.storageClassName).toBe('local-path');
  });

  it('local values: ingress-nginx, nip.io host, no TLS, 1Gi volumes', async () => {
    const objects = await template(chart, 'local', '--set', 'ingress.host=shop.127.0.0.1.nip.io');
    const ingress = objects.find((o) => o.kind === 'Ingress');
    expect(ingress?.spec).toMatchObject({
      ingressClassName: 'nginx',
      rules: [{ host: 'shop.127.0.0.1.nip.io' }],
    });
    expect(ingress?.spec?.tls).toBeUndefined();
    const pvc = objects.find((o) => o.kind === 'PersistentVolumeClaim');
    expect(pvc?.spec?.resources).toEqual({ requests: { storage: '1Gi' } });
  });
});

describe('medusa-store specifics', () => {
  const chart = charts[1]!;

  it('routes the storefront at / and the Medusa server paths to the server', async () => {
    const objects = await template(chart, 'prod', '--set', 'ingress.host=shop.example.org');
    const ingress = objects.find((o) => o.kind === 'Ingress');
    const rule = (
      ingress?.spec?.rules as {
        host: string;
        http: { paths: { path: string; backend: { service: { name: string } } }[] };
      }[]
    )[0]!;
    expect(rule.host).toBe('shop.example.org');
    const routes = Object.fromEntries(rule.http.paths.map((p) => [p.path, p.backend.service.name]));
    expect(routes).toEqual({
      '/': 'shop-storefront',
      '/store': 'shop-server',
      '/admin': 'shop-server',
      '/auth': 'shop-server',
      '/app': 'shop-server',
      '/health': 'shop-server',
      '/storeplane': 'shop-server',
      '/static': 'shop-server',
    });
    expect(ingress?.metadata.annotations?.['cert-manager.io/cluster-issuer']).toBe('letsencrypt-prod');
  });

  it('serves the admin on its own host when ingress.adminHost is set, with CORS and TLS for it', async () => {
    const objects = await template(chart, 'prod', '--set', 'ingress.adminHost=admin.shops.example.com');
    const ingress = objects.find((o) => o.kind === 'Ingress');
    const rules = ingress?.spec?.rules as {
      host: string;
      http: { paths: { path: string; backend: { service: { name: string } } }[] };
    }[];
    expect(rules.map((r) => r.host)).toEqual(['shop.shops.example.com', 'admin.shops.example.com']);
    expect(rules[1]?.http.paths.map((p) => [p.path, p.backend.service.name])).toEqual([['/', 'shop-server']]);
    expect(ingress?.spec?.tls).toEqual([
      { hosts: ['shop.shops.example.com', 'admin.shops.example.com'], secretName: 'shop-tls' },
    ]);
    const server = podsOf(objects).find((p) => p.source === 'Deployment/shop-server');
    const env = Object.fromEntries((server?.spec.containers[0]?.env ?? []).map((e) => [e.name, e.value]));
    expect(env.ADMIN_CORS).toBe('https://shop.shops.example.com,https://admin.shops.example.com');
  });

  it('builds DATABASE_URL from the Secret in the pod and wires the contract environment', async () => {
    const objects = await template(chart, 'prod');
    const server = podsOf(objects).find((p) => p.source === 'Deployment/shop-server');
    const env = server?.spec.containers[0]?.env ?? [];
    const names = env.map((e) => e.name);
    // $(DB_PASSWORD) only expands when DB_PASSWORD is defined earlier in the list.
    expect(names.indexOf('DB_PASSWORD')).toBeGreaterThanOrEqual(0);
    expect(names.indexOf('DB_PASSWORD')).toBeLessThan(names.indexOf('DATABASE_URL'));
    const byName = Object.fromEntries(env.map((e) => [e.name, e.value]));
    expect(byName).toMatchObject({
      // Medusa asks any host but localhost for TLS unless sslmode says no; the store's own DB has none.
      DATABASE_URL: 'postgres://medusa:$(DB_PASSWORD)@shop-db:5432/medusa?sslmode=disable',
      REDIS_URL: 'redis://shop-redis:6379',
      MEDUSA_BACKEND_URL: 'https://shop.shops.example.com',
      STORE_CORS: 'https://shop.shops.example.com',
      PORT: '9000',
      NODE_ENV: 'production',
    });
    expect(server?.spec.initContainers?.map((i) => i.args?.[0] ?? i.command?.[1])).toEqual([
      'tcp://shop-db:5432',
      'migrate',
    ]);
    const seed = podsOf(objects).find((p) => p.source === 'Job/shop-seed');
    expect(seed?.hook).toBe('post-install,post-upgrade');
    expect(seed?.spec.containers.map((ctr) => ctr.args)).toEqual([['seed']]);
  });
});

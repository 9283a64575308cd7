import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBinaries } from '../../src/devcluster/binaries.ts';
import { renderStoreCrd } from '../../src/store/crd.ts';
import { reservedStoreNames } from '../../src/store/naming.ts';
import { rbacFiles, renderRbacFiles } from '../../scripts/rbac-from-chart.ts';
import { helmSetupTimeout } from './helm-template.ts';
import {
  type K8sObject,
  helm,
  platformChart,
  podSpecOf,
  renderPlatform,
  type ValueSet,
  valueSets,
  valuesFile,
} from './platform-chart.ts';

// The platform chart, statically: lint, what each environment renders, the one source of the
// RBAC and the CRD, and the values schema's refusals (helm's own words). Installing it into a
// cluster: platform-install.int.test.ts.

const sets = Object.keys(valueSets) as ValueSet[];
const rendered = {} as Record<ValueSet, K8sObject[]>;

beforeAll(async () => {
  await ensureBinaries();
  for (const set of sets) rendered[set] = await renderPlatform(set);
}, helmSetupTimeout);

const find = (set: ValueSet, kind: string, name: string) => {
  const o = rendered[set].find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`${set}: no ${kind} ${name}`);
  return o;
};
type Container = {
  name: string;
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
};
const containersOf = (o: K8sObject) => (podSpecOf(o)?.containers ?? []) as Container[];

describe('charts/storeplane', () => {
  it.each(sets)('passes helm lint --strict with the %s values', async (set) => {
    const r = await helm(['lint', '--strict', platformChart, ...valueSets[set]]);
    expect(r.stdout + r.stderr).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(r.code).toBe(0);
  });

  it.each(sets)(
    '%s: every pod is hardened and sized (non-root, read-only root, no capabilities, seccomp)',
    (set) => {
      const pods = rendered[set].filter((o) => podSpecOf(o));
      expect(pods.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
        'Deployment/storeplane-api',
        'Deployment/storeplane-operator',
        'Pod/storeplane-test',
      ]);
      for (const o of pods) {
        const spec = podSpecOf(o) as { securityContext?: Record<string, unknown> };
        expect(spec.securityContext, o.metadata.name).toMatchObject({
          runAsNonRoot: true,
          seccompProfile: { type: 'RuntimeDefault' },
        });
        for (const c of containersOf(o)) {
          expect(c.securityContext, c.name).toEqual({
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            privileged: false,
            capabilities: { drop: ['ALL'] },
          });
          for (const r of ['cpu', 'memory']) {
            expect(c.resources?.requests?.[r], `${c.name} requests.${r}`).toBeDefined();
            expect(c.resources?.limits?.[r], `${c.name} limits.${r}`).toBeDefined();
          }
        }
      }
    },
  );

  it('renders deploy/rbac exactly (one source: the chart; run `npm run gen:rbac`)', async () => {
    const files = await renderRbacFiles((await ensureBinaries()).helm);
    for (const [which, path] of Object.entries(rbacFiles))
      expect(readFileSync(path, 'utf8'), path).toBe(files[which as keyof typeof rbacFiles]);
  });

  it('carries the Store CRD as generated from the schema, kept by an uninstall unless told', async () => {
    const crd = find('default', 'CustomResourceDefinition', 'stores.storeplane.dev');
    const generated = yaml.load(renderStoreCrd()) as K8sObject;
    expect(crd.spec).toEqual(generated.spec);
    expect(crd.metadata.annotations?.['helm.sh/resource-policy']).toBe('keep');
    const dropped = (await renderPlatform(['--set', 'crd.keep=false'])).find(
      (o) => o.kind === 'CustomResourceDefinition',
    );
    expect(dropped?.metadata.annotations?.['helm.sh/resource-policy']).toBeUndefined();
  });

  it('runs the operator with the chart RBAC bindings, its engines and their environment values', () => {
    const args = (set: ValueSet) =>
      containersOf(find(set, 'Deployment', 'storeplane-operator'))[0]?.args ?? [];
    for (const set of sets) {
      expect(args(set)).toEqual(
        expect.arrayContaining([
          'operator',
          '--namespace=storeplane-system',
          '--skip-crd-install',
          '--chart=woocommerce=/app/charts/woocommerce-store',
          '--chart=medusa=/app/charts/medusa-store',
          '--store-role-binding=storeplane-store-manager:storeplane-system/storeplane-operator',
          '--store-role-binding=storeplane-api-store-reader:storeplane-system/storeplane-api',
        ]),
      );
    }
    expect(args('local')).toEqual(
      expect.arrayContaining([
        '--chart-values=medusa=/app/charts/medusa-store/values-local.yaml',
        '--base-domain=127.0.0.1.nip.io',
        '--ingress-namespace=ingress-nginx',
      ]),
    );
    expect(args('prod')).toEqual(
      expect.arrayContaining([
        '--chart-values=woocommerce=/app/charts/woocommerce-store/values-prod.yaml',
        '--base-domain=shops.example.com',
        '--tls',
        '--ingress-namespace=kube-system',
      ]),
    );
    expect(args('default').some((a) => a.startsWith('--chart-values'))).toBe(false);
    expect(find('prod', 'Deployment', 'storeplane-operator').spec?.replicas).toBe(2);
    expect(find('default', 'PodDisruptionBudget', 'storeplane-operator').spec).toMatchObject({
      minAvailable: 1,
    });
  });

  it('gives each engine the values file of its own chart, and chartValues layered over it', async () => {
    const objects = await renderPlatform([
      '-f',
      valuesFile(
        'engines:\n  medusa:\n    valuesFile: values-prod.yaml\n    chartValues:\n      redis: {enabled: false}\n',
      ),
    ]);
    const op = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'storeplane-operator');
    const args = containersOf(op as K8sObject)[0]?.args ?? [];
    const values = args.filter((a) => a.startsWith('--chart-values='));
    expect(values).toEqual([
      '--chart-values=medusa=/app/charts/medusa-store/values-prod.yaml',
      '--chart-values=medusa=/etc/storeplane/medusa-values.yaml',
    ]);
    const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'storeplane-config');
    expect(yaml.load((config?.data as Record<string, string>)['medusa-values.yaml'] ?? '')).toEqual({
      redis: { enabled: false },
    });
    // The file named must exist in the engine chart that the image carries.
    for (const engine of ['woocommerce', 'medusa'])
      for (const f of ['values-local.yaml', 'values-prod.yaml'])
        expect(() => readFileSync(join(platformChart, '..', `${engine}-store`, f))).not.toThrow();
  });

  it('SQLite: one API replica on a kept volume, replaced (not rolled) on upgrade; PostgreSQL: two, from the Secret', () => {
    const local = find('local', 'Deployment', 'storeplane-api');
    expect(local.spec).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } });
    const claim = find('default', 'PersistentVolumeClaim', 'storeplane-data');
    expect(claim.metadata.annotations?.['helm.sh/resource-policy']).toBe('keep');
    expect(find('default', 'Deployment', 'storeplane-api').spec?.replicas).toBe(1);

    const prod = find('prod', 'Deployment', 'storeplane-api');
    expect(rendered.prod.some((o) => o.kind === 'PersistentVolumeClaim')).toBe(false);
    // An HPA owns the replica count in prod.
    expect(prod.spec?.replicas).toBeUndefined();
    expect(find('prod', 'HorizontalPodAutoscaler', 'storeplane-api').spec).toMatchObject({
      minReplicas: 2,
      maxReplicas: 6,
    });
    const env = containersOf(prod)[0]?.env ?? [];
    expect(env.find((e) => e.name === 'DATABASE_URL')).toEqual({
      name: 'DATABASE_URL',
      valueFrom: { secretKeyRef: { name: 'storeplane-db', key: 'DATABASE_URL' } },
    });
    expect(containersOf(prod)[0]?.args).toContain('--trust-proxy');
  });

  it('serves the dashboard through an Ingress: nginx locally, Traefik with cert-manager TLS in prod', () => {
    expect(find('local', 'Ingress', 'storeplane').spec).toMatchObject({
      ingressClassName: 'nginx',
      rules: [{ host: 'storeplane.127.0.0.1.nip.io' }],
    });
    const prod = find('prod', 'Ingress', 'storeplane');
    expect(prod.metadata.annotations?.['cert-manager.io/cluster-issuer']).toBe('letsencrypt-prod');
    expect(prod.spec).toMatchObject({
      ingressClassName: 'traefik',
      tls: [{ hosts: ['storeplane.example.com'], secretName: 'storeplane-dashboard-tls' }],
    });
  });

  it('denies all traffic to and from its pods but DNS, the API server, the ingress controller and Prometheus', () => {
    const policies = rendered.default.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.metadata.name);
    expect(policies.sort()).toEqual([
      'storeplane-allow-dns',
      'storeplane-api',
      'storeplane-default-deny',
      'storeplane-operator',
      'storeplane-test',
    ]);
    // With cert-manager's HTTP-01 (prod), its solver pod is reachable from the ingress controller.
    expect(find('prod', 'NetworkPolicy', 'storeplane-allow-acme-solver').spec).toMatchObject({
      podSelector: { matchLabels: { 'acme.cert-manager.io/http01-solver': 'true' } },
      ingress: [{ ports: [{ protocol: 'TCP', port: 8089 }] }],
    });
    expect(find('default', 'NetworkPolicy', 'storeplane-default-deny').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    });
    // The database port is open only when there is a database to reach.
    const egressPorts = (set: ValueSet) =>
      ((find(set, 'NetworkPolicy', 'storeplane-api').spec?.egress ?? []) as { ports: { port: number }[] }[])
        .flatMap((e) => e.ports.map((p) => p.port))
        .sort();
    expect(egressPorts('default')).toEqual([443, 6443]);
    expect(egressPorts('prod')).toEqual([443, 5432, 6443]);
  });

  it('generates the initial admin password once, kept by upgrades (lookup) and by an uninstall', () => {
    const secret = find('default', 'Secret', 'storeplane-initial-admin');
    expect(secret.metadata.annotations?.['helm.sh/resource-policy']).toBe('keep');
    const password = Buffer.from((secret.data as { password: string }).password, 'base64').toString();
    expect(password).toMatch(/^[A-Za-z0-9]{24}$/);
    const api = find('default', 'Deployment', 'storeplane-api');
    expect(containersOf(api)[0]?.args).toContain('--admin-password-file=/etc/storeplane/admin/password');
  });

  it('refuses two API replicas on SQLite, and PostgreSQL without its Secret, in words', async () => {
    const r = await helm(['template', 'x', platformChart, '-f', valuesFile('api:\n  replicas: 2\n')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'api.replicas > 1 (or api.autoscaling) needs database.type=postgres: SQLite is one file on one volume, which only one API replica can use.',
    );
    const auto = await helm([
      'template',
      'x',
      platformChart,
      '-f',
      valuesFile('api:\n  autoscaling: {enabled: true}\n'),
    ]);
    expect(auto.stderr).toContain('needs database.type=postgres');
    const postgres = await helm(['template', 'x', platformChart, '--set', 'database.type=postgres']);
    expect(postgres.stderr).toContain(
      'database.type=postgres needs database.postgres.existingSecret: a Secret in the release namespace whose key database.postgres.urlKey (DATABASE_URL) holds the postgres://... URL.',
    );
  });

  it('refuses api.replicas beside an HPA (it would be ignored), and keeps a PDB only where there is more than one pod', async () => {
    const both = await helm(['template', 'x', platformChart, ...valueSets.prod, '--set', 'api.replicas=3']);
    expect(both.stderr).toContain(
      'api.replicas is set while api.autoscaling is enabled: the HPA decides the replica count.',
    );
    // prod: the HPA's minimum (2) decides the API PDB.
    expect(find('prod', 'PodDisruptionBudget', 'storeplane-api').spec).toMatchObject({ minAvailable: 1 });
    const one = await renderPlatform(['--set', 'operator.replicas=1']);
    expect(one.filter((o) => o.kind === 'PodDisruptionBudget')).toEqual([]);
  });

  it('refuses a dashboard host a store could take, and names the names no store may take', async () => {
    const r = await helm([
      'template',
      'x',
      platformChart,
      '-f',
      valuesFile('baseDomain: shops.acme.dev\ningress:\n  host: console.shops.acme.dev\n'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'ingress.host console.shops.acme.dev is inside baseDomain shops.acme.dev, where a store named "console" would compete for it',
    );
    const listed = /one of the names no store may take \(([^)]*)\)/.exec(r.stderr)?.[1]?.split(', ');
    expect(new Set(listed)).toEqual(reservedStoreNames);
    const reserved = await renderPlatform([
      '-f',
      valuesFile('baseDomain: shops.acme.dev\ningress:\n  host: admin.shops.acme.dev\n'),
    ]);
    expect(reserved.some((o) => o.kind === 'Ingress')).toBe(true);
  });

  // Each bad values file with the lines helm prints for it (after "storeplane:").
  const refusals: [string, string, string[]][] = [
    [
      'no operator replica',
      'operator:\n  replicas: 0\n',
      ["- at '/operator/replicas': minimum: got 0, want 1"],
    ],
    [
      'a base domain with spaces',
      "baseDomain: 'shops example com'\n",
      [
        "- at '/baseDomain': 'shops example com' does not match pattern '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$'",
      ],
    ],
    [
      'an unknown database',
      'database:\n  type: mysql\n',
      ["- at '/database/type': value must be one of 'sqlite', 'postgres'"],
    ],
    [
      'a plan quota that is not a quantity',
      'plans:\n  small: {quota: {requests.cpu: two}}\n',
      [
        "- at '/plans/small/quota/requests.cpu': 'oneOf' failed, none matched",
        "  - at '/plans/small/quota/requests.cpu': 'two' does not match pattern '^[0-9]+(\\\\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$'",
        "  - at '/plans/small/quota/requests.cpu': got string, want number",
      ],
    ],
    [
      'no ingress controller namespace',
      'networkPolicy:\n  ingressNamespaces: []\n',
      ["- at '/networkPolicy/ingressNamespaces': minItems: got 0, want 1"],
    ],
    [
      'a CPU that is not a quantity',
      "api:\n  resources:\n    requests: {cpu: lots, memory: 128Mi}\n    limits: {cpu: '1', memory: 512Mi}\n",
      [
        "- at '/api/resources/requests/cpu': 'oneOf' failed, none matched",
        "  - at '/api/resources/requests/cpu': 'lots' does not match pattern '^([0-9]+m|[0-9]+(\\\\.[0-9]+)?)$'",
        "  - at '/api/resources/requests/cpu': got string, want number",
      ],
    ],
    [
      'a URL for a host',
      "ingress:\n  host: 'https://storeplane.example.com/'\n",
      [
        "- at '/ingress/host': 'https://storeplane.example.com/' does not match pattern '^(\\\\*\\\\.)?[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+$'",
      ],
    ],
    [
      'a short digest',
      'image:\n  digest: sha256:abc\n',
      ["- at '/image/digest': 'sha256:abc' does not match pattern '^(sha256:[a-f0-9]{64})?$'"],
    ],
    [
      'a namespace name in capitals',
      'networkPolicy:\n  ingressNamespaces: [Ingress_Nginx]\n',
      [
        "- at '/networkPolicy/ingressNamespaces/0': 'Ingress_Nginx' does not match pattern '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'",
      ],
    ],
    [
      'a flag that is not a boolean',
      'monitoring:\n  serviceMonitor: {enabled: yes-please}\n',
      ["- at '/monitoring/serviceMonitor/enabled': got string, want boolean"],
    ],
    [
      'an unknown plan',
      "plans:\n  huge: {quota: {pods: '3'}}\n",
      ["- at '/plans': additional properties 'huge' not allowed"],
    ],
    [
      'an unknown engine',
      'engines:\n  magento: {chartValues: {}}\n',
      ["- at '/engines': additional properties 'magento' not allowed"],
    ],
    [
      'a wildcard CORS origin',
      "api:\n  corsOrigins: ['*']\n",
      ["- at '/api/corsOrigins/0': '*' does not match pattern '^https?://[^/\\\\s]+$'"],
    ],
    [
      'a deadline of seconds',
      'operator:\n  deadlineSeconds: 5\n',
      ["- at '/operator/deadlineSeconds': minimum: got 5, want 60"],
    ],
    ['a misplaced key', 'tls: true\n', ["- at '': additional properties 'tls' not allowed"]],
    [
      'a Service type the API cannot use',
      'api:\n  service: {type: ExternalName, port: 80}\n',
      ["- at '/api/service/type': value must be one of 'ClusterIP', 'NodePort', 'LoadBalancer'"],
    ],
    [
      'a values file outside the engine chart',
      'engines:\n  medusa: {valuesFile: ../../etc/passwd}\n',
      [
        "- at '/engines/medusa/valuesFile': value must be one of '', 'values-local.yaml', 'values-prod.yaml', 'values-devnode.yaml'",
      ],
    ],
  ];

  it.each(refusals)('the values schema refuses %s, in helm’s words', async (_what, text, lines) => {
    const r = await helm(['template', 'x', platformChart, '-f', valuesFile(text)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      [
        "Error: values don't meet the specifications of the schema(s) in the following chart(s):",
        'storeplane:',
        ...lines,
        '',
        '',
      ].join('\n'),
    );
  });
});

describe('charts/storeplane README', () => {
  const readme = readFileSync(join(platformChart, 'README.md'), 'utf8');
  const values = yaml.load(readFileSync(join(platformChart, 'values.yaml'), 'utf8'));
  const leafPaths = (node: unknown, prefix: string[] = []): string[] =>
    node !== null && typeof node === 'object' && !Array.isArray(node) && Object.keys(node).length > 0
      ? Object.entries(node).flatMap(([k, v]) => leafPaths(v, [...prefix, k]))
      : [prefix.join('.')];

  it('explains every value of values.yaml', () => {
    expect(leafPaths(values).filter((path) => !readme.includes(`\`${path}\``))).toEqual([]);
  });

  it('names each values file and how to read the initial admin password', () => {
    for (const f of ['values-local.yaml', 'values-prod.yaml', 'storeplane-initial-admin'])
      expect(readme).toContain(f);
  });
});

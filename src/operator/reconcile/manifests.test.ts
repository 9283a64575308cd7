import { describe, expect, it } from 'vitest';
import type { RawObject } from '../../kube/raw.ts';
import { workloadServiceAccount } from '../../store/engines.ts';
import { defaultPlans } from '../../store/plans.ts';
import type { Engine, Plan, Store } from '../../store/schema.ts';
import {
  type GuardrailConfig,
  guardrailManifests,
  labelValue,
  namespaceManifest,
  operatorBindingManifest,
} from './manifests.ts';

/** Kubernetes label value syntax (empty, or alphanumeric at both ends, at most 63 characters). */
const labelValueSyntax = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const store = (engine: Engine = 'medusa', plan: Plan = 'small', owner = 'alice@example.com'): Store => ({
  apiVersion: 'storeplane.dev/v1alpha1',
  kind: 'Store',
  metadata: { name: 'shop', uid: 'uid-1', generation: 1 },
  spec: { engine, plan, owner, displayName: 'Alice’s Shop' },
});

describe('labelValue', () => {
  const cases: { name: string; input: string; want: string }[] = [
    { name: 'plain user name', input: 'alice', want: 'alice' },
    { name: 'allowed punctuation is kept', input: 'alice.smith_2-b', want: 'alice.smith_2-b' },
    { name: 'e-mail address', input: 'alice@example.com', want: 'alice_example.com' },
    { name: 'plus addressing', input: 'alice+shop@example.com', want: 'alice_shop_example.com' },
    { name: 'non-ASCII letters', input: 'josé@example.com', want: 'jos__example.com' },
    { name: 'trailing symbol is trimmed', input: 'alice@', want: 'alice' },
    { name: 'trailing dot is trimmed', input: 'alice.', want: 'alice' },
    { name: 'leading symbols are trimmed', input: '--alice', want: 'alice' },
    { name: 'nothing usable', input: '@@', want: '' },
    { name: 'long values are cut to 63', input: 'a'.repeat(100), want: 'a'.repeat(63) },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const v = labelValue(tc.input);
      expect(v).toBe(tc.want);
      expect(v).toMatch(labelValueSyntax);
      expect(v.length).toBeLessThanOrEqual(63);
    });
  }
});

describe('namespaceManifest', () => {
  const cases: { name: string; engine: Engine; enforce: string }[] = [
    { name: 'medusa runs under the restricted profile', engine: 'medusa', enforce: 'restricted' },
    // The WooCommerce pods run as non-root with every capability dropped: restricted holds.
    { name: 'woocommerce runs under the restricted profile', engine: 'woocommerce', enforce: 'restricted' },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const ns = namespaceManifest(store(tc.engine));
      expect(ns.kind).toBe('Namespace');
      expect(ns.metadata?.name).toBe('store-shop');
      expect(ns.metadata?.labels).toEqual({
        'app.kubernetes.io/managed-by': 'storeplane',
        'storeplane.dev/store': 'shop',
        'storeplane.dev/owner': 'alice_example.com',
        'storeplane.dev/engine': tc.engine,
        'pod-security.kubernetes.io/enforce': tc.enforce,
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/audit': 'restricted',
      });
      for (const v of Object.values(ns.metadata?.labels ?? {})) expect(v).toMatch(labelValueSyntax);
    });
  }

  it('belongs to the Store by UID, not by a label anyone can set', () => {
    expect(namespaceManifest(store()).metadata?.ownerReferences).toEqual([
      { apiVersion: 'storeplane.dev/v1alpha1', kind: 'Store', name: 'shop', uid: 'uid-1', controller: true },
    ]);
  });

  it('keeps the exact owner and display name in annotations', () => {
    expect(namespaceManifest(store()).metadata?.annotations).toEqual({
      'storeplane.dev/owner': 'alice@example.com',
      'storeplane.dev/display-name': 'Alice’s Shop',
    });
  });
});

describe('guardrailManifests', () => {
  const cfg = (plan: Plan, extra: Partial<GuardrailConfig> = {}): GuardrailConfig => ({
    plan: defaultPlans[plan],
    ingressNamespaces: ['ingress-nginx'],
    ...extra,
  });
  // Reaching into nested manifest fields: the shape is what the test asserts.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Spec = Record<string, any>;
  const find = (objects: RawObject[], kind: string, name: string) =>
    objects.find((o) => o.kind === kind && o.metadata?.name === name) as
      (RawObject & { spec?: Spec }) | undefined;

  for (const plan of ['small', 'medium', 'large'] as const) {
    it(`sizes the quota and limits from plan ${plan}`, () => {
      const objects = guardrailManifests(store('medusa', plan), cfg(plan));
      const quota = find(objects, 'ResourceQuota', 'store-quota');
      expect(quota?.spec?.hard).toEqual(defaultPlans[plan].quota);
      const limits = find(objects, 'LimitRange', 'store-limits')?.spec?.limits[0];
      expect(limits?.type).toBe('Container');
      expect(limits?.default).toEqual(defaultPlans[plan].containerDefaults.limit);
      expect(limits?.defaultRequest).toEqual(defaultPlans[plan].containerDefaults.request);
      expect(limits?.max).toEqual(defaultPlans[plan].containerMax);
    });
  }

  it('copies the plan, so editing a manifest cannot change the plan', () => {
    const objects = guardrailManifests(store(), cfg('small'));
    const quota = find(objects, 'ResourceQuota', 'store-quota');
    if (quota?.spec?.hard) quota.spec.hard.pods = '999';
    expect(defaultPlans.small.quota.pods).not.toBe('999');
  });

  it('denies all ingress and egress by default', () => {
    const objects = guardrailManifests(store(), cfg('small'));
    const deny = find(objects, 'NetworkPolicy', 'default-deny');
    expect(deny?.apiVersion).toBe('networking.k8s.io/v1');
    expect(deny?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  it('lets only the ingress namespaces reach the web tier', () => {
    const objects = guardrailManifests(
      store(),
      cfg('small', { ingressNamespaces: ['ingress-nginx', 'kube-system'] }),
    );
    const web = find(objects, 'NetworkPolicy', 'allow-ingress-to-web');
    expect(web?.spec?.podSelector).toEqual({ matchLabels: { 'storeplane.dev/role': 'web' } });
    expect(web?.spec?.ingress?.[0]?.from?.[0]?.namespaceSelector?.matchExpressions?.[0]?.values).toEqual([
      'ingress-nginx',
      'kube-system',
    ]);
    expect(find(objects, 'NetworkPolicy', 'allow-dns')).toBeDefined();
  });

  it('lets the web tier reach the database tier on the database ports only', () => {
    const cases = [
      { engine: 'woocommerce' as const, ports: [{ protocol: 'TCP', port: 3306 }] },
      {
        engine: 'medusa' as const,
        ports: [
          { protocol: 'TCP', port: 5432 },
          { protocol: 'TCP', port: 6379 },
        ],
      },
    ];
    for (const tc of cases) {
      const objects = guardrailManifests(store(tc.engine), cfg('small'));
      const toDb = find(objects, 'NetworkPolicy', 'allow-web-to-database');
      expect(toDb?.spec?.ingress).toEqual([
        { from: [{ podSelector: { matchLabels: { 'storeplane.dev/role': 'web' } } }], ports: tc.ports },
      ]);
      const fromWeb = find(objects, 'NetworkPolicy', 'allow-web-egress-to-database');
      expect(fromWeb?.spec?.egress).toEqual([
        { to: [{ podSelector: { matchLabels: { 'storeplane.dev/role': 'database' } } }], ports: tc.ports },
      ]);
    }
  });

  it('gives the workloads a service account without a mounted token', () => {
    const sa = find(guardrailManifests(store(), cfg('small')), 'ServiceAccount', workloadServiceAccount);
    expect(sa?.automountServiceAccountToken).toBe(false);
  });

  it('puts everything in the store namespace with the store labels', () => {
    const objects = guardrailManifests(store('woocommerce'), cfg('small'));
    for (const o of objects) {
      expect(o.metadata?.namespace).toBe('store-shop');
      expect(o.metadata?.labels).toEqual({
        'app.kubernetes.io/managed-by': 'storeplane',
        'storeplane.dev/store': 'shop',
        'storeplane.dev/owner': 'alice_example.com',
        'storeplane.dev/engine': 'woocommerce',
      });
    }
  });

  it('are the quota, the limit range, six network policies and the service account', () => {
    const objects = guardrailManifests(store(), cfg('small'));
    expect(objects.map((o) => o.kind)).toEqual([
      'ResourceQuota',
      'LimitRange',
      'NetworkPolicy',
      'NetworkPolicy',
      'NetworkPolicy',
      'NetworkPolicy',
      'NetworkPolicy',
      'NetworkPolicy',
      'ServiceAccount',
    ]);
  });

  it("let the ingress controller reach cert-manager's HTTP-01 solver pods, and those only on 8089", () => {
    const solver = guardrailManifests(store(), cfg('small')).find(
      (o) => o.metadata?.name === 'allow-ingress-to-acme-solver',
    ) as { spec: Record<string, unknown> } | undefined;
    expect(solver?.spec).toEqual({
      podSelector: { matchLabels: { 'acme.cert-manager.io/http01-solver': 'true' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: {
                matchExpressions: [
                  { key: 'kubernetes.io/metadata.name', operator: 'In', values: expect.any(Array) },
                ],
              },
            },
          ],
          ports: [{ protocol: 'TCP', port: 8089 }],
        },
      ],
    });
  });
});

describe('operatorBindingManifest', () => {
  it('binds the operator store ClusterRole to its ServiceAccount in the store namespace only', () => {
    const rb = operatorBindingManifest(store(), {
      clusterRole: 'storeplane-store-manager',
      serviceAccount: { name: 'storeplane', namespace: 'storeplane-system' },
    });
    expect(rb.kind).toBe('RoleBinding');
    expect(rb.metadata?.namespace).toBe('store-shop');
    expect(rb.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'storeplane-store-manager',
    });
    expect(rb.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'storeplane', namespace: 'storeplane-system' },
    ]);
  });

  it('is named after the ServiceAccount, so each of several bindings has its own', () => {
    const name = (clusterRole: string, sa: string) =>
      operatorBindingManifest(store(), {
        clusterRole,
        serviceAccount: { name: sa, namespace: 'storeplane-system' },
      }).metadata?.name;
    expect(name('storeplane-store-manager', 'storeplane-operator')).toBe('storeplane-operator');
    expect(name('storeplane-api-store-reader', 'storeplane-api')).toBe('storeplane-api');
  });
});

describe('labelValue at the 63-character limit', () => {
  it('never ends in a symbol after cutting', () => {
    const v = labelValue(`${'a'.repeat(62)}@example.com`);
    expect(v).toMatch(/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/);
    expect(v.length).toBeLessThanOrEqual(63);
  });
});

import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreDetail, StoreSummary } from '../../src/api/stores/view.ts';
import { freePort } from '../../src/devcluster/ports.ts';
import { ApiProcess, type Caller, signIn } from '../api/harness.ts';
import {
  OperatorProcess,
  type PrivateCluster,
  privateCluster,
  run,
  serviceAccountKubeconfig,
  waitFor,
} from '../operator/harness.ts';
import { repoRoot } from './charts.ts';
import { helm, platformChart, renderPlatform, type ValueSet, valuesFile } from './platform-chart.ts';

/**
 * The platform chart in a cluster (a private simulated one: the chart's cluster-scoped objects
 * have fixed names). Every rendered object passes a server-side dry run under Pod Security
 * "restricted"; `helm install` reaches deployed with its Deployments Available; then the operator
 * and the API run out of the cluster with the chart's own ServiceAccount tokens and the arguments
 * of the chart's own Deployments, and provision, show and delete a store (the chart's RBAC is
 * enough), while `kubectl auth can-i` shows it is no more than that; `helm upgrade` with changed
 * values works; `helm uninstall` leaves only the CRD (and what the docs say it keeps).
 */
let c: PrivateCluster;
const ns = 'storeplane-system';
const scratch = mkdtempSync(join(tmpdir(), 'storeplane-platform-install-'));
const h = (args: string[]) => helm(args, c.kubeconfig);
const kubectlJson = async <T>(args: string[]): Promise<T> => {
  const r = await c.kubectl([...args, '-o', 'json']);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
};

/** The first admin's password, read from the chart's Secret as NOTES.txt tells a person to. */
async function initialAdminPassword(): Promise<string> {
  const secret = await kubectlJson<{ data: { password: string } }>([
    'get',
    'secret',
    'storeplane-initial-admin',
    '-n',
    ns,
  ]);
  return Buffer.from(secret.data.password, 'base64').toString();
}

/** A Deployment's container args, as the cluster has them. */
async function containerArgs(deployment: string): Promise<string[]> {
  const d = await kubectlJson<{ spec: { template: { spec: { containers: { args?: string[] }[] } } } }>([
    'get',
    'deployment',
    deployment,
    '-n',
    ns,
  ]);
  return d.spec.template.spec.containers[0]?.args ?? [];
}

/** The files of the chart's ConfigMap (engine values, plans, the API's settings). */
async function platformConfig(): Promise<Record<string, string>> {
  return (
    await kubectlJson<{ data: Record<string, string> }>(['get', 'configmap', 'storeplane-config', '-n', ns])
  ).data;
}

/** Every cluster-scoped object by name, but those the cluster itself churns (nodes, leases of nodes, CSRs). */
async function clusterScoped(): Promise<string[]> {
  const kinds = await c.kubectl(['api-resources', '--namespaced=false', '--verbs=list', '-o', 'name']);
  const skip = /^(nodes|componentstatuses|certificatesigningrequests|tokenreviews|selfsubjectreviews)(\.|$)/;
  const wanted = kinds.stdout.split('\n').filter((k) => k && !skip.test(k));
  const r = await c.kubectl(['get', wanted.join(','), '-o', 'name']);
  if (r.code !== 0) throw new Error(r.stderr);
  return r.stdout.split('\n').filter(Boolean).sort();
}

beforeAll(async () => {
  c = await privateCluster({ count: 2 });
});
afterAll(async () => {
  await c?.stop();
});

describe('charts/storeplane in a cluster', () => {
  it.each(['default', 'local', 'prod'] as ValueSet[])(
    '%s values: every object passes a server-side dry run under Pod Security "restricted"',
    async (set) => {
      const target = `psa-${set}`;
      const nsObject = {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: target,
          labels: {
            'pod-security.kubernetes.io/enforce': 'restricted',
            // Pod templates of Deployments are only warned about: a warning fails this test too.
            'pod-security.kubernetes.io/warn': 'restricted',
          },
        },
      };
      expect((await c.kubectl(['apply', '-f', '-'], JSON.stringify(nsObject))).code).toBe(0);
      const objects = await renderPlatform(set, target);
      // The Prometheus Operator's kinds are not served here: they are checked by promtool
      // (monitoring.test.ts), and only prod enables them.
      const served = objects.filter((o) => !['ServiceMonitor', 'PrometheusRule'].includes(o.kind));
      const monitoring = objects.filter((o) => !served.includes(o)).map((o) => o.kind);
      if (set === 'prod') expect(new Set(monitoring)).toEqual(new Set(['ServiceMonitor', 'PrometheusRule']));
      else expect(monitoring).toEqual([]);
      const r = await c.kubectl(
        ['apply', '--dry-run=server', '--server-side', '--field-manager=storeplane-test', '-f', '-'],
        served.map((o) => JSON.stringify(o)).join('\n'),
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(served.length);

      // The check can fail: a pod as most images ship (root, writable, capabilities) is refused.
      const plain = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'plain', namespace: target },
        spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] },
      };
      const refused = await c.kubectl(['apply', '--dry-run=server', '-f', '-'], JSON.stringify(plain));
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('violates PodSecurity "restricted:latest"');
    },
  );

  let before: string[] = [];
  let adminPassword = '';

  it('helm install reaches deployed with every Deployment Available', async () => {
    expect((await c.kubectl(['create', 'namespace', ns])).code).toBe(0);
    before = await clusterScoped();
    const r = await h(['install', 'storeplane', platformChart, '-n', ns, '--wait', '--timeout', '3m']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('STATUS: deployed');
    expect(r.stdout).toContain('storeplane-initial-admin');
    const wait = await c.kubectl([
      'wait',
      '--for=condition=Available',
      'deployment',
      '--all',
      '-n',
      ns,
      '--timeout=60s',
    ]);
    expect(wait.stdout).toContain('deployment.apps/storeplane-operator condition met');
    expect(wait.stdout).toContain('deployment.apps/storeplane-api condition met');
    const op = await kubectlJson<{ status: { availableReplicas: number } }>([
      'get',
      'deployment',
      'storeplane-operator',
      '-n',
      ns,
    ]);
    expect(op.status.availableReplicas).toBe(2);
    adminPassword = await initialAdminPassword();
    expect(adminPassword).toMatch(/^[A-Za-z0-9]{24}$/);
  });

  describe('the operator and the API with only the chart ServiceAccounts, run as its Deployments run them', () => {
    let operator: OperatorProcess | undefined;
    let api: ApiProcess | undefined;
    let admin: Caller;
    let operatorKubeconfig = '';
    let apiKubeconfig = '';
    const store = 'chart-shop';

    /** The Deployment's container args, with paths inside the image mapped to this checkout. */
    async function chartArgs(deployment: string, drop: RegExp): Promise<string[]> {
      const etc = mkdtempSync(join(scratch, 'etc-'));
      for (const [file, text] of Object.entries(await platformConfig())) writeFileSync(join(etc, file), text);
      return (await containerArgs(deployment))
        .slice(1) // the subcommand
        .filter((a) => !drop.test(a))
        .map((a) =>
          a
            .replaceAll('/app/charts/', `${join(repoRoot, 'charts')}/`)
            .replaceAll('/etc/storeplane/', `${etc}/`),
        );
    }

    beforeAll(async () => {
      operatorKubeconfig = await serviceAccountKubeconfig(c, ns, 'storeplane-operator');
      apiKubeconfig = await serviceAccountKubeconfig(c, ns, 'storeplane-api');
      // In a pod: its name, port 9090 on all addresses; here any free port on 127.0.0.1.
      const opArgs = await chartArgs('storeplane-operator', /^--(identity|metrics-bind-address)=/);
      expect(opArgs).toContain('--skip-crd-install');
      operator = new OperatorProcess({ ...c, kubeconfig: operatorKubeconfig }, [
        ...opArgs,
        '--identity=chart-test',
      ]);
      await operator.start();
      // The harness gives the host, port and data directory; the password is the chart's Secret's.
      const apiArgs = await chartArgs(
        'storeplane-api',
        /^--(host|port|data-dir|admin-password-file|api-config)=/,
      );
      api = await new ApiProcess({ kubeconfig: apiKubeconfig, adminPassword, args: apiArgs }).start();
      admin = await signIn(api, 'admin', adminPassword);
    }, 120_000);

    afterAll(async () => {
      await api?.stop();
      await operator?.stop();
    });

    it('provision a Medusa store (the real engine chart) to Ready, seen through the API', async () => {
      const a = await admin.request<StoreSummary>('POST', '/api/v1/stores', {
        name: store,
        displayName: 'Chart Shop',
        engine: 'medusa',
      });
      expect(a.status, a.text).toBe(201);
      const ready = await waitFor(
        `${store} Ready through the API`,
        () => admin.request<StoreDetail>('GET', `/api/v1/stores/${store}`),
        (g) => g.body.phase === 'Ready' || g.body.phase === 'Failed',
        240_000,
      );
      expect(ready.body.phase, ready.text).toBe('Ready');
      // The API's store role, bound by the operator in the store namespace, lets it show both.
      const events = await admin.request<{ events: { reason: string }[] }>(
        'GET',
        `/api/v1/stores/${store}/events`,
      );
      expect(events.status).toBe(200);
      expect(events.body.events.length).toBeGreaterThan(0);
      const creds = await admin.request<Record<string, string>>(
        'POST',
        `/api/v1/stores/${store}/credentials/reveal`,
      );
      expect(creds.status, creds.text).toBe(200);
    });

    it('the chart’s `helm test` script passes against this API, and fails on one that is not ready', async () => {
      const check = join(platformChart, 'files', 'tests', 'check.mjs');
      const node = async (url: string) =>
        new Promise<{ code: number; out: string }>((resolve) =>
          execFile(
            process.execPath,
            [check],
            { env: { STOREPLANE_URL: url, STOREPLANE_TEST_SECONDS: '2' } },
            (err, stdout) =>
              resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout }),
          ),
        );
      const ok = await node(api?.url ?? '');
      expect(ok.out).toBe(
        'ok: the API is ready (database and Store cache)\nok: the dashboard is served\nok: an anonymous store list is refused\n',
      );
      expect(ok.code).toBe(0);
      // A port nothing listens on (fetch refuses well-known ones such as 9 outright).
      const refused = await node(`http://127.0.0.1:${await freePort()}`);
      expect(refused.code).toBe(1);
      expect(refused.out).toContain(
        'FAILED: the API is ready (database and Store cache): GET /readyz: ECONNREFUSED',
      );
    });

    const can = async (kubeconfig: string, args: string[]) =>
      (await run(join(c.binDir, 'kubectl'), ['auth', 'can-i', ...args], kubeconfig)).stdout.trim();

    it('kubectl auth can-i: the operator may do its work and nothing beyond it', async () => {
      const storeNs = `store-${store}`;
      const cases: [string[], 'yes' | 'no'][] = [
        [['update', 'stores.storeplane.dev/status'], 'yes'],
        [['create', 'deployments', '-n', storeNs], 'yes'],
        [['get', 'secrets', '-n', storeNs], 'yes'],
        [['get', 'secrets', '-n', ns], 'yes'], // its credentials vault
        [['get', 'secrets', '-n', 'kube-system'], 'no'],
        [['get', 'secrets', '-n', 'default'], 'no'],
        [['list', 'secrets', '--all-namespaces'], 'no'],
        [['create', 'deployments', '-n', 'kube-system'], 'no'],
        [['create', 'clusterroles'], 'no'],
        [['create', 'clusterrolebindings'], 'no'],
        [['delete', 'customresourcedefinitions'], 'no'],
        [['create', 'validatingadmissionpolicies'], 'no'],
        [['delete', 'stores.storeplane.dev'], 'no'],
        [['create', 'pods/exec', '-n', storeNs], 'no'],
      ];
      const got = await Promise.all(
        cases.map(async ([args]) => `${args.join(' ')}: ${await can(operatorKubeconfig, args)}`),
      );
      expect(got).toEqual(cases.map(([args, want]) => `${args.join(' ')}: ${want}`));
      // RBAC lets it create namespaces; the chart's admission policy confines that to store ones.
      const evil = await run(
        join(c.binDir, 'kubectl'),
        ['create', 'namespace', 'not-a-store'],
        operatorKubeconfig,
      );
      expect(evil.code).toBe(1);
      expect(evil.stderr).toContain('ValidatingAdmissionPolicy');
      expect(evil.stderr).toContain('only store namespaces (store-<store name>) are its to manage');
    });

    it('kubectl auth can-i: the API may write Stores and read one Secret per store, nothing else', async () => {
      const storeNs = `store-${store}`;
      const cases: [string[], 'yes' | 'no'][] = [
        [['create', 'stores.storeplane.dev'], 'yes'],
        [['delete', 'stores.storeplane.dev'], 'yes'],
        [['get', 'secrets/store-credentials', '-n', storeNs], 'yes'],
        [['list', 'events', '-n', storeNs], 'yes'],
        [['update', 'stores.storeplane.dev/status'], 'no'],
        [['list', 'secrets', '-n', storeNs], 'no'],
        [['get', 'secrets/other', '-n', storeNs], 'no'],
        [['get', 'secrets', '-n', ns], 'no'],
        [['get', 'secrets', '-n', 'kube-system'], 'no'],
        [['create', 'namespaces'], 'no'],
        [['delete', 'namespaces'], 'no'],
        [['get', 'pods', '-n', storeNs], 'no'],
        [['create', 'deployments', '-n', storeNs], 'no'],
        [['create', 'rolebindings', '-n', storeNs], 'no'],
      ];
      const got = await Promise.all(
        cases.map(async ([args]) => `${args.join(' ')}: ${await can(apiKubeconfig, args)}`),
      );
      expect(got).toEqual(cases.map(([args, want]) => `${args.join(' ')}: ${want}`));
    });

    it('delete the store through the API: Deleting, then gone with its namespace', async () => {
      const d = await admin.request<StoreSummary>('DELETE', `/api/v1/stores/${store}`);
      expect(d.status).toBe(202);
      expect(d.body.phase).toBe('Deleting');
      await waitFor(
        `${store} gone through the API`,
        () => admin.request('GET', `/api/v1/stores/${store}`),
        (g) => g.status === 404,
        180_000,
      );
      const nsGone = await c.kubectl(['get', 'namespace', `store-${store}`, '-o', 'name']);
      expect(nsGone.stderr).toContain('NotFound');
    });
  });

  it('helm upgrade with changed values: revision 2, rolled out, the admin password kept', async () => {
    const r = await h([
      'upgrade',
      'storeplane',
      platformChart,
      '-n',
      ns,
      '-f',
      valuesFile('operator:\n  concurrency: 8\napi:\n  config:\n    sessionTtlSeconds: 7200\n'),
      '--wait',
      '--timeout',
      '3m',
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('REVISION: 2');
    const status = JSON.parse((await h(['status', 'storeplane', '-n', ns, '-o', 'json'])).stdout) as {
      info: { status: string };
      version: number;
    };
    expect(status).toMatchObject({ version: 2, info: { status: 'deployed' } });
    expect(await containerArgs('storeplane-operator')).toContain('--concurrency=8');
    expect(yaml.load((await platformConfig())['api-config.yaml'] ?? '')).toEqual({ sessionTtlSeconds: 7200 });
    const wait = await c.kubectl([
      'rollout',
      'status',
      'deployment/storeplane-api',
      '-n',
      ns,
      '--timeout=60s',
    ]);
    expect(wait.code, wait.stderr).toBe(0);
    expect(await initialAdminPassword()).toBe(adminPassword);
    // Deleted once admin exists: an upgrade does not make a new one (its password would not be admin's).
    expect((await c.kubectl(['delete', 'secret', 'storeplane-initial-admin', '-n', ns])).code).toBe(0);
    const again = await h([
      'upgrade',
      'storeplane',
      platformChart,
      '-n',
      ns,
      '--reuse-values',
      '--wait',
      '--timeout',
      '3m',
    ]);
    expect(again.stdout).toContain('REVISION: 3');
    const gone = await c.kubectl(['get', 'secret', 'storeplane-initial-admin', '-n', ns]);
    expect(gone.stderr).toContain('NotFound');
  });

  it('helm uninstall leaves no cluster-scoped object but the CRD (and the volume of the kept claim)', async () => {
    const r = await h(['uninstall', 'storeplane', '-n', ns, '--wait', '--timeout', '2m']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('These resources were kept due to the resource policy');
    await sleep(1000);
    const after = await clusterScoped();
    const left = after.filter((o) => !before.includes(o));
    const volumes = left.filter((o) => o.startsWith('persistentvolume/'));
    expect(left.filter((o) => !volumes.includes(o))).toEqual([
      // The API server registers each served group/version of a CRD as an APIService of its own.
      'apiservice.apiregistration.k8s.io/v1alpha1.storeplane.dev',
      'customresourcedefinition.apiextensions.k8s.io/stores.storeplane.dev',
    ]);
    // The one volume is the kept SQLite claim's (users, tokens, audit)...
    expect(volumes).toHaveLength(1);
    const pv = await kubectlJson<{ spec: { claimRef: { namespace: string; name: string } } }>([
      'get',
      volumes[0] as string,
    ]);
    expect(pv.spec.claimRef).toMatchObject({ namespace: ns, name: 'storeplane-data' });
    // ...and goes with it, as docs/upgrade-rollback.md says to remove everything.
    expect((await c.kubectl(['delete', 'pvc', 'storeplane-data', '-n', ns, '--wait=true'])).code).toBe(0);
    await waitFor('the volume gone', clusterScoped, (now) => !now.includes(volumes[0] as string), 30_000);
    // (The initial admin Secret, kept by an uninstall too, was deleted by hand above.)
  });
});

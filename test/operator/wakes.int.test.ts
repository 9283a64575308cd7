import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/devcluster/ports.ts';
import { takeoverPatch } from '../../src/kube/drift.ts';
import type { RawObject } from '../../src/kube/raw.ts';
import {
  condition,
  helmHistory,
  isReady,
  metricSum,
  OperatorProcess,
  type PrivateCluster,
  privateCluster,
  storeEvents,
  storeYaml,
  waitFor,
  waitForStore,
} from './harness.ts';

/**
 * What wakes a store between resyncs, on the real WooCommerce chart with its WP-Cron run every
 * minute. The resync is an hour, so everything the store does here was woken by a watch.
 */
let c: PrivateCluster;
let operator: OperatorProcess;
let metricsPort: number;
const name = 'wakes-woo';
const ns = `store-${name}`;

const metric = (metricName: string, match = '') => metricSum(metricsPort, metricName, match);
const reconciles = () => metric('storeplane_reconcile_seconds_count');

/** On a timeout, what the store and the operator said, so that a failure in CI explains itself. */
async function explained<T>(wait: Promise<T>): Promise<T> {
  try {
    return await wait;
  } catch (err) {
    const s = await c.getStore(name).catch(() => undefined);
    const conditions = (s?.status?.conditions ?? []).map(
      (x) => `${x.type}=${x.status} ${x.reason}: ${x.message}`,
    );
    const log = (await operator.logs()).split('\n').slice(-40).join('\n');
    const events = (await storeEvents(c, name).catch(() => [])).map(
      (e) => `${e.type} ${e.reason}: ${e.message}`,
    );
    const writers = (
      await c.kubectl([
        'get',
        'deploy',
        '-n',
        ns,
        '-o',
        'jsonpath={.items[*].metadata.managedFields[*].manager}',
      ])
    ).stdout;
    throw new Error(
      `${(err as Error).message}\nphase ${s?.status?.phase}; attempt ${JSON.stringify(s?.status?.attempt)}\n${conditions.join('\n')}\nevents:\n${events.join('\n')}\nDeployment writers: ${writers}\noperator log (tail):\n${log}`,
    );
  }
}

/** Waits for the store to be Ready with no drift, made so by one new Helm revision. */
async function repairedByOneRevision(revisions: number) {
  const store = await explained(
    waitForStore(
      c,
      name,
      (s) => isReady(s) && condition(s, 'Drifted')?.status === 'False',
      60_000,
      'Ready, repaired',
    ),
  );
  const history = await helmHistory(c, name);
  expect(history).toHaveLength(revisions + 1);
  return { store, history };
}

/** The store's web Deployment's variable names. */
async function envNames(web: string): Promise<string[]> {
  const r = await c.kubectl([
    'get',
    '-n',
    ns,
    web,
    '-o',
    'jsonpath={.spec.template.spec.containers[0].env[*].name}',
  ]);
  return r.stdout.split(' ');
}

beforeAll(async () => {
  c = await privateCluster();
  metricsPort = await freePort();
  const cronEveryMinute = join(c.dataDir, 'cron-every-minute.yaml');
  await writeFile(cronEveryMinute, "cron:\n  schedule: '* * * * *'\n");
  operator = new OperatorProcess(
    c,
    [
      '--resync-seconds',
      '3600',
      '--metrics-port',
      String(metricsPort),
      '--chart-values',
      `woocommerce=${cronEveryMinute}`,
    ],
    // Debug lines say what woke the store and what each pass found: the failure message shows them.
    { LOG_LEVEL: 'debug' },
  );
  await operator.start();
  await c.kubectl(['apply', '-f', '-'], storeYaml(name, { engine: 'woocommerce' }));
  await waitForStore(c, name, isReady, 150_000, 'Ready');
});
afterAll(async () => {
  await operator?.stop();
  await c?.stop();
});

describe('between resyncs', () => {
  it('a run of the store’s CronJob (the Job and its pod) wakes nothing', async () => {
    // Let the passes that follow Ready finish (the setup hook's pod going away, say, and the
    // steady look about 10 s after the provisioning ended): 12 s without a reconcile.
    await waitFor(
      'the queue to be quiet',
      async () => {
        const before = await reconciles();
        await new Promise((r) => setTimeout(r, 12_000));
        return (await reconciles()) - before;
      },
      (n) => n === 0,
      90_000,
    );
    // The scheduled Jobs that exist now (a run may have completed while the queue went quiet):
    // the run measured is one that starts after this point.
    const scheduledJobs = async () => {
      const r = await c.kubectl([
        'get',
        'jobs',
        '-n',
        ns,
        '-o',
        'jsonpath={range .items[*]}{.metadata.name} {.metadata.ownerReferences[0].kind} {.status.succeeded}{"\\n"}{end}',
      ]);
      return r.stdout
        .split('\n')
        .map((l) => l.split(' '))
        .filter(([, owner]) => owner === 'CronJob');
    };
    const earlier = new Set((await scheduledJobs()).map(([job]) => job));
    const before = await reconciles();
    const ignoredBefore = await metric('storeplane_wakes_total', 'outcome="scheduled-run"');
    const done = await waitFor(
      'a new scheduled run of the CronJob to complete',
      async () =>
        (await scheduledJobs()).filter(([job, , succeeded]) => !earlier.has(job!) && succeeded === '1')
          .length,
      (n) => n > 0,
      150_000,
    );
    expect(done).toBeGreaterThan(0);
    // Its pod's last changes arrive a moment after the Job's.
    await new Promise((r) => setTimeout(r, 5000));
    const ignored = (await metric('storeplane_wakes_total', 'outcome="scheduled-run"')) - ignoredBefore;
    expect(ignored, 'the run was seen (Job and pod events)').toBeGreaterThanOrEqual(2);
    expect(await metric('storeplane_wakes_total', 'kind="Pod",outcome="scheduled-run"')).toBeGreaterThan(0);
    expect((await reconciles()) - before, 'reconciles caused by the scheduled run').toBe(0);
  });

  it('a change to the store’s namespace wakes it: a removed Pod Security label is restored', async () => {
    const psa = 'pod-security.kubernetes.io/enforce';
    const before = await c.kubectl([
      'get',
      'ns',
      ns,
      '-o',
      `jsonpath={.metadata.labels.${psa.replace(/\./g, '\\.')}}`,
    ]);
    expect(before.stdout).toBe('restricted');
    expect((await c.kubectl(['label', 'ns', ns, `${psa}-`])).code).toBe(0);
    const after = await waitFor(
      'the label to be restored',
      async () =>
        (await c.kubectl(['get', 'ns', ns, '-o', `jsonpath={.metadata.labels.${psa.replace(/\./g, '\\.')}}`]))
          .stdout,
      (v) => v === 'restricted',
      30_000,
    );
    expect(after).toBe('restricted');
  });

  it('an edited Deployment wakes it, and the edit is undone', async () => {
    const web =
      (await c.kubectl(['get', 'deploy', '-n', ns, '-o', 'name'])).stdout.trim().split('\n')[0] ?? '';
    expect(web).toMatch(/^deployment/);
    expect((await c.kubectl(['set', 'env', '-n', ns, web, 'INJECTED=1'])).code).toBe(0);
    const env = await explained(
      waitFor(
        'the variable to be removed again',
        () => envNames(web),
        (n) => !n.includes('INJECTED'),
        60_000,
      ),
    );
    expect(env).not.toContain('INJECTED');
    await explained(waitForStore(c, name, isReady, 60_000, 'Ready again'));
  });

  // The repair hands the foreign fields to Helm before Helm runs, which hides them from the next
  // drift check: a repair that failed before Helm wrote a revision was then reported repaired,
  // with the edit still in place, until something else changed.
  it('a drift repair refused before Helm writes a revision is run again, never reported repaired', async () => {
    const policy = 'test-refuse-helm-records';
    const probe = [
      'create',
      'secret',
      'generic',
      'probe',
      '-n',
      ns,
      '--type',
      'helm.sh/release.v1',
      '--dry-run=server',
    ];
    const refused = async () => (await c.kubectl(probe)).stderr.includes(policy);
    expect((await c.kubectl(['apply', '-f', '-'], refuseHelmRecords(policy, ns))).code).toBe(0);
    await waitFor('the policy to be enforced', refused, (r) => r, 30_000);
    const revisions = (await helmHistory(c, name)).length;

    const web =
      (await c.kubectl(['get', 'deploy', '-n', ns, '-o', 'name'])).stdout.trim().split('\n')[0] ?? '';
    expect((await c.kubectl(['set', 'env', '-n', ns, web, 'INJECTED_TOO=1'])).code).toBe(0);
    const failed = await explained(
      waitForStore(
        c,
        name,
        (s) =>
          condition(s, 'Drifted')?.status === 'True' && condition(s, 'Released')?.reason === 'UpgradeFailed',
        60_000,
        'the repair refused',
      ),
    );
    expect(condition(failed, 'Released')?.message).toMatch(new RegExp(policy));
    // Retries while Helm is still refused change nothing.
    await new Promise((r) => setTimeout(r, 5000));
    const still = await c.getStore(name);
    expect(condition(still, 'Drifted')?.status).toBe('True');
    expect(await envNames(web)).toContain('INJECTED_TOO');
    expect(await helmHistory(c, name)).toHaveLength(revisions);

    expect(
      (await c.kubectl(['delete', 'validatingadmissionpolicybinding,validatingadmissionpolicy', policy]))
        .code,
    ).toBe(0);
    await waitFor('the policy to be gone', refused, (r) => !r, 30_000);
    await explained(
      waitFor(
        'the variable to be removed',
        () => envNames(web),
        (n) => !n.includes('INJECTED_TOO'),
        90_000,
      ),
    );
    const { store: repaired, history } = await repairedByOneRevision(revisions);
    expect(history.at(-1)?.description).toMatch(/repairing drift/);
    expect(condition(repaired, 'Drifted')?.message).toBe(`repaired in revision ${history.at(-1)?.revision}`);
  });
});

describe('drift that no other writer owns', () => {
  // What a repair that handed fields to Helm and then never ran Helm leaves: a variable Helm owns
  // but no longer applies. A dry run as another manager leaves Helm's fields alone, so it was not
  // drift at all and stayed for good; a dry run as Helm itself removes it, so it is seen.
  it('a variable owned by Helm but not in its manifest is drift, and a new revision removes it', async () => {
    const web =
      (await c.kubectl(['get', 'deploy', '-n', ns, '-o', 'name'])).stdout.trim().split('\n')[0] ?? '';
    const live = async () =>
      JSON.parse(
        (await c.kubectl(['get', '-n', ns, web, '-o', 'json', '--show-managed-fields'])).stdout,
      ) as RawObject;
    const writers = (o: RawObject) =>
      (o.metadata?.managedFields ?? []).filter((e) => !e.subresource).map((e) => e.manager);
    // The operator is away while the state is made, as a repair that died between its two steps.
    await operator.stop();
    expect((await c.kubectl(['set', 'env', '-n', ns, web, 'HANDED_TO_HELM=1'])).code).toBe(0);
    // The handover is guarded by the resourceVersion; the rollout's own writes may come between.
    await waitFor(
      'the variable handed to Helm',
      async () => {
        const edited = await live();
        const foreign = (edited.metadata?.managedFields ?? []).filter((e) => e.manager === 'kubectl-set');
        const handover = takeoverPatch(edited, foreign, 'helm');
        return (await c.kubectl(['patch', '-n', ns, web, '--type', 'json', '-p', JSON.stringify(handover)]))
          .code;
      },
      (code) => code === 0,
      30_000,
    );
    const handed = await live();
    expect(writers(handed).filter((m) => m?.startsWith('kubectl'))).toEqual([]);
    expect(await envNames(web)).toContain('HANDED_TO_HELM');
    const revisions = (await helmHistory(c, name)).length;

    await operator.start();
    await explained(
      waitFor(
        'the variable to be removed',
        () => envNames(web),
        (n) => !n.includes('HANDED_TO_HELM'),
        60_000,
      ),
    );
    const { history } = await repairedByOneRevision(revisions);
    expect(history.at(-1)?.description).toMatch(
      /repairing drift: Deployment \S+ was changed \(spec\.template\.spec\.containers/,
    );
  });
});

/** An admission policy that refuses Helm's release records in one namespace: Helm fails before writing a revision. */
function refuseHelmRecords(policy: string, namespace: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: [
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicy',
        metadata: { name: policy },
        spec: {
          failurePolicy: 'Fail',
          matchConstraints: {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
            resourceRules: [
              { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['secrets'] },
            ],
          },
          validations: [
            {
              expression: "object.type != 'helm.sh/release.v1'",
              message: `${policy}: Helm's release records are refused`,
            },
          ],
        },
      },
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicyBinding',
        metadata: { name: policy },
        spec: { policyName: policy, validationActions: ['Deny'] },
      },
    ],
  });
}

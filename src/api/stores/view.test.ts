import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import type { ConditionType } from '../../store/keys.ts';
import type { Condition, Store, StoreStatus } from '../../store/schema.ts';
import {
  type PipelineStep,
  StoreDetail,
  storeDetail,
  storePipeline,
  StoreSummary,
  storeSummary,
} from './view.ts';

// Fixtures follow what the operator writes, pass by pass (src/operator/reconcile/*, decide/summarize.ts):
// the first status write comes just before the first helm install and has no phase; every
// condition carries the generation it was set for; lastTransitionTime moves only on a status flip.
const created = '2026-11-29T12:00:00Z';
const at = (seconds: number) => new Date(Date.parse(created) + seconds * 1000).toISOString();
const now = new Date(at(100));

const cond = (
  type: ConditionType,
  status: Condition['status'],
  reason: string,
  message: string,
  seconds: number,
  observedGeneration = 1,
): Condition => ({ type, status, reason, message, lastTransitionTime: at(seconds), observedGeneration });

function store(status?: StoreStatus, meta: Partial<Store['metadata']> = {}): Store {
  return {
    apiVersion: 'storeplane.dev/v1alpha1',
    kind: 'Store',
    metadata: {
      name: 'shop-one',
      uid: '5b0c1d9e-0000-4000-8000-000000000001',
      generation: 1,
      resourceVersion: '1042',
      creationTimestamp: created,
      finalizers: ['storeplane.dev/finalizer'],
      ...meta,
    },
    spec: { engine: 'woocommerce', displayName: 'Shop One', owner: 'alice', plan: 'small' },
    ...(status ? { status } : {}),
  };
}

const url = 'http://shop-one.127.0.0.1.nip.io/';
const adminUrl = 'http://shop-one.127.0.0.1.nip.io/wp-admin/';
const digest = 'sha256:9f2c4e';

const namespaceReady = cond('NamespaceReady', 'True', 'Applied', 'namespace store-shop-one', 0.4);
const guardrailsReady = cond(
  'GuardrailsReady',
  'True',
  'Applied',
  'plan small: quota, limit range, 5 network policies, service account',
  0.5,
);
const credentialsReady = cond(
  'CredentialsReady',
  'True',
  'Present',
  'Secret store-credentials (6 keys)',
  0.6,
);
const released = cond('Released', 'True', 'InSync', 'woocommerce-store 0.1.0, revision 1', 42);
const setupComplete = cond(
  'SetupComplete',
  'True',
  'HooksSucceeded',
  'setup hooks of the release completed',
  42.3,
);
const workloadsReady = cond(
  'WorkloadsReady',
  'True',
  'AllReady',
  '1 deployments, 1 statefulsets, 1 volumes ready',
  55.2,
);
const provisionAttempt = {
  kind: 'provision' as const,
  startedAt: at(0.4),
  generation: 1,
  reason: 'new store',
};
const startActivity = [
  {
    time: at(0.4),
    type: 'Normal' as const,
    reason: 'Provisioning',
    message: 'provisioning a woocommerce store (plan small)',
  },
  {
    time: at(0.6),
    type: 'Normal' as const,
    reason: 'CredentialsGenerated',
    message: 'generated store credentials',
  },
];
const history = [
  {
    revision: 1,
    chartVersion: '0.1.0',
    configDigest: digest,
    status: 'deployed',
    action: 'install' as const,
    time: at(42),
  },
];

/** The first write: stages up to the credentials done, helm install about to run (no phase yet). */
const installing: StoreStatus = {
  namespace: 'store-shop-one',
  attempt: provisionAttempt,
  lastAttemptedConfigDigest: digest,
  activity: startActivity,
  conditions: [
    cond(
      'Reconciling',
      'True',
      'Progressing',
      'Installing woocommerce-store 0.1.0 (helm upgrade --install, timeout 300s): new release',
      0.7,
    ),
    namespaceReady,
    guardrailsReady,
    credentialsReady,
    cond('Released', 'Unknown', 'Progressing', 'Installing release shop-one', 0.7),
  ],
};

const waitingForWorkloads: StoreStatus = {
  ...installing,
  phase: 'Provisioning',
  history,
  activity: [
    ...startActivity,
    { time: at(42), type: 'Normal', reason: 'Installed', message: 'woocommerce-store 0.1.0 revision 1' },
  ],
  conditions: [
    cond('Ready', 'False', 'Progressing', 'waiting for workloads: Deployment shop-one-web: 0/1 ready', 42.1),
    cond(
      'Reconciling',
      'True',
      'Progressing',
      'waiting for workloads: Deployment shop-one-web: 0/1 ready',
      0.7,
    ),
    namespaceReady,
    guardrailsReady,
    credentialsReady,
    released,
    cond('WorkloadsReady', 'False', 'Progressing', 'Deployment shop-one-web: 0/1 ready', 42.3),
    setupComplete,
  ],
};

const ready: StoreStatus = {
  observedGeneration: 1,
  phase: 'Ready',
  namespace: 'store-shop-one',
  url,
  adminUrl,
  readyAt: at(55.24),
  history,
  lastAttemptedConfigDigest: digest,
  activity: [
    ...(waitingForWorkloads.activity ?? []),
    { time: at(55.2), type: 'Normal', reason: 'Ready', message: `store is ready at ${url} (55s)` },
  ],
  conditions: [
    cond('Ready', 'True', 'StoreReady', `store is ready at ${url}`, 55.2),
    namespaceReady,
    guardrailsReady,
    credentialsReady,
    released,
    workloadsReady,
    setupComplete,
  ],
};

const imagePull = {
  reason: 'ImagePullFailed',
  message: 'pod shop-one-web-7d9: image registry.example/wp:6.9 cannot be pulled: not found',
  fix: 'Check the image name and tag in the engine chart values, and that the node can reach the registry.',
  since: at(70),
};
const failedAtWorkloads: StoreStatus = {
  ...waitingForWorkloads,
  phase: 'Failed',
  failures: 1,
  failingSince: at(70),
  lastFailure: imagePull,
  conditions: [
    cond('Ready', 'False', 'ImagePullFailed', `${imagePull.message} Fix: ${imagePull.fix}`, 70),
    cond(
      'Reconciling',
      'True',
      'ProgressingWithRetry',
      'try 1 failed (ImagePullFailed); trying again in 10s',
      0.7,
    ),
    namespaceReady,
    guardrailsReady,
    credentialsReady,
    released,
    cond('WorkloadsReady', 'False', 'ImagePullFailed', imagePull.message, 70),
    setupComplete,
  ],
};

// Helm's failure: Released says InstallFailed, the failure HelmTimeout; the reasons differ.
const helmTimeout = {
  reason: 'HelmTimeout',
  message: 'helm install failed: context deadline exceeded',
  fix: 'Helm timed out waiting for the setup hooks: check the setup Job (kubectl get jobs,pods -n <namespace>), then retry.',
  since: at(300.7),
};
const failedAtRelease: StoreStatus = {
  ...installing,
  phase: 'Failed',
  failures: 1,
  failingSince: at(300.7),
  lastFailure: helmTimeout,
  conditions: [
    cond('Ready', 'False', 'HelmTimeout', `${helmTimeout.message} Fix: ${helmTimeout.fix}`, 300.7),
    cond(
      'Reconciling',
      'True',
      'ProgressingWithRetry',
      'try 1 failed (HelmTimeout); trying again in 10s',
      0.7,
    ),
    namespaceReady,
    guardrailsReady,
    credentialsReady,
    cond(
      'Released',
      'False',
      'InstallFailed',
      'revision 1 failed: helm install failed: context deadline exceeded',
      300.7,
    ),
  ],
};

const stalled: StoreStatus = {
  ...failedAtWorkloads,
  observedGeneration: 1,
  failures: 5,
  attempt: undefined,
  conditions: [
    cond('Ready', 'False', 'ImagePullFailed', `${imagePull.message} Fix: ${imagePull.fix}`, 70),
    cond(
      'Stalled',
      'True',
      'RetriesExceeded',
      `${imagePull.message} (gave up after 5 tries over 612s) Fix: ${imagePull.fix} Then retry: change the spec, or annotate the store with a new storeplane.dev/requested-at.`,
      682,
    ),
    namespaceReady,
    guardrailsReady,
    credentialsReady,
    released,
    cond('WorkloadsReady', 'False', 'ImagePullFailed', imagePull.message, 70),
    setupComplete,
  ],
};
delete stalled.attempt;

const versionUnavailable = {
  reason: 'VersionUnavailable',
  message: 'engine chart version 9.9.9 is not available (this platform has woocommerce-store 0.1.0)',
  fix: 'Set spec.version to 0.1.0, or leave it empty for the platform default.',
  since: at(0.7),
};
const stalledOnVersion: StoreStatus = {
  observedGeneration: 1,
  phase: 'Failed',
  failures: 1,
  failingSince: at(0.7),
  lastFailure: versionUnavailable,
  activity: startActivity,
  conditions: [
    cond(
      'Ready',
      'False',
      'VersionUnavailable',
      `${versionUnavailable.message} Fix: ${versionUnavailable.fix}`,
      0.7,
    ),
    cond('Stalled', 'True', 'VersionUnavailable', versionUnavailable.message, 0.7),
    namespaceReady,
    guardrailsReady,
    credentialsReady,
    cond('Released', 'False', 'VersionUnavailable', versionUnavailable.message, 0.7),
  ],
};

// A plan change to a smaller plan (generation 2): the volume check refuses it before the guardrails.
const shrink = {
  reason: 'VolumeShrinkRefused',
  message:
    'plan small would shrink the database volume data-shop-one-db-0 from 20Gi to 5Gi; volumes never shrink, so nothing was changed',
  fix: 'Set spec.plan back to a plan with at least 20Gi of database storage, or create a new store on the smaller plan and move the data.',
  since: at(90),
};
const stalledOnShrink: StoreStatus = {
  ...ready,
  observedGeneration: 2,
  phase: 'Failed',
  failures: 1,
  failingSince: at(90),
  lastFailure: shrink,
  conditions: [
    cond('Ready', 'False', 'VolumeShrinkRefused', `${shrink.message} Fix: ${shrink.fix}`, 90, 2),
    cond('Stalled', 'True', 'VolumeShrinkRefused', shrink.message, 90, 2),
    { ...namespaceReady, observedGeneration: 2 },
    guardrailsReady,
    credentialsReady,
    released,
    workloadsReady,
    setupComplete,
  ],
};

// The plan change under way (generation 2): helm upgrade running, the phase still the last pass's.
const updating: StoreStatus = {
  ...ready,
  attempt: { kind: 'update', startedAt: at(80), generation: 2, reason: 'the spec changed (generation 2)' },
  conditions: [
    cond('Ready', 'True', 'StoreReady', `store is ready at ${url}`, 55.2, 1),
    cond(
      'Reconciling',
      'True',
      'Progressing',
      'Upgrading woocommerce-store 0.1.0 (helm upgrade --install, timeout 300s): plan',
      80.3,
      2,
    ),
    { ...namespaceReady, observedGeneration: 2 },
    { ...guardrailsReady, observedGeneration: 2 },
    { ...credentialsReady, observedGeneration: 2 },
    cond('Released', 'Unknown', 'Progressing', 'Upgrading release shop-one', 80.3, 2),
    workloadsReady,
    setupComplete,
  ],
};

const crash = {
  reason: 'CrashLoopBackOff',
  message: 'container web of pod shop-one-web-7d9 keeps crashing (restarted 6 times)',
  fix: 'Read its logs (kubectl logs -n store-shop-one shop-one-web-7d9 -c web --previous).',
  since: at(3600),
};
const degradedWaiting: StoreStatus = {
  ...ready,
  phase: 'Degraded',
  conditions: [
    cond('Ready', 'False', 'Degraded', 'a workload is not ready: Deployment shop-one-web: 0/1 ready', 3600),
    cond(
      'Reconciling',
      'True',
      'Recovering',
      'waiting for the workloads to recover: Deployment shop-one-web: 0/1 ready',
      3600,
    ),
    namespaceReady,
    guardrailsReady,
    credentialsReady,
    released,
    cond('WorkloadsReady', 'False', 'Progressing', 'Deployment shop-one-web: 0/1 ready', 3600),
    setupComplete,
  ],
};
const degradedCrashing: StoreStatus = {
  ...degradedWaiting,
  lastFailure: crash,
  conditions: [
    cond('Ready', 'False', 'CrashLoopBackOff', `${crash.message} Fix: ${crash.fix}`, 3600),
    cond('Reconciling', 'True', 'Recovering', 'waiting for the store to recover: CrashLoopBackOff', 3600),
    namespaceReady,
    guardrailsReady,
    credentialsReady,
    released,
    cond('WorkloadsReady', 'False', 'CrashLoopBackOff', crash.message, 3600),
    setupComplete,
  ],
};

// Deleting: the API server bumps the generation when it sets deletionTimestamp.
const deletingMeta = { deletionTimestamp: at(7200), generation: 2 };
const deleting: StoreStatus = {
  ...ready,
  phase: 'Deleting',
  conditions: [
    cond('Ready', 'False', 'Deleting', 'the store is being deleted', 7200),
    cond('Reconciling', 'True', 'Deleting', 'waiting for namespace store-shop-one to be deleted', 7200),
    namespaceReady,
    guardrailsReady,
    credentialsReady,
    released,
    workloadsReady,
    setupComplete,
  ],
};

const states = (p: PipelineStep[]) => p.map((s) => s.state).join(' ');

interface Case {
  name: string;
  store: Store;
  summary: Partial<StoreSummary>;
  absent?: (keyof StoreSummary)[];
  pipeline: string;
}

const cases: Case[] = [
  {
    name: 'a new store the operator has not written to',
    store: store(),
    summary: {
      phase: 'Pending',
      stage: 'namespace',
      stalled: false,
      generation: 1,
      namespace: 'store-shop-one',
    },
    absent: ['message', 'url', 'readyAt', 'provisioningSeconds', 'lastFailure', 'observedGeneration'],
    pipeline: 'waiting waiting waiting waiting waiting waiting',
  },
  {
    name: 'the first status write: installing, no phase yet',
    store: store(installing),
    summary: { phase: 'Provisioning', stage: 'release', stalled: false },
    absent: ['message', 'url', 'lastFailure'],
    pipeline: 'done done done running waiting waiting',
  },
  {
    name: 'provisioning, waiting for the workloads',
    store: store(waitingForWorkloads),
    summary: {
      phase: 'Provisioning',
      stage: 'workloads',
      message: 'waiting for workloads: Deployment shop-one-web: 0/1 ready',
    },
    pipeline: 'done done done done running done',
  },
  {
    name: 'ready',
    store: store(ready),
    summary: {
      phase: 'Ready',
      message: `store is ready at ${url}`,
      url,
      adminUrl,
      readyAt: at(55.24),
      provisioningSeconds: 55.2,
      observedGeneration: 1,
      stalled: false,
    },
    absent: ['stage', 'lastFailure'],
    pipeline: 'done done done done done done',
  },
  {
    name: 'failed at the workloads with a diagnosis, retrying',
    store: store(failedAtWorkloads),
    summary: { phase: 'Failed', stage: 'workloads', lastFailure: imagePull, stalled: false },
    pipeline: 'done done done done failed done',
  },
  {
    name: 'failed at the release (InstallFailed on the condition, HelmTimeout as the failure)',
    store: store(failedAtRelease),
    summary: { phase: 'Failed', stage: 'release', lastFailure: helmTimeout },
    pipeline: 'done done done failed waiting waiting',
  },
  {
    name: 'stalled after the retry budget',
    store: store(stalled),
    summary: { phase: 'Failed', stalled: true, lastFailure: imagePull, observedGeneration: 1 },
    absent: ['stage'],
    pipeline: 'done done done done failed done',
  },
  {
    name: 'stalled, with a retry asked for and not yet taken up: nobody needs to act',
    store: store(stalled, { annotations: { 'storeplane.dev/requested-at': '2026-11-29T12:05:00Z' } }),
    summary: { phase: 'Failed', stalled: false, lastFailure: imagePull },
    absent: ['stage'],
    pipeline: 'done done done done failed done',
  },
  {
    name: 'stalled again after the operator took up that retry',
    store: store(
      { ...stalled, lastHandledRequestedAt: '2026-11-29T12:05:00Z' },
      { annotations: { 'storeplane.dev/requested-at': '2026-11-29T12:05:00Z' } },
    ),
    summary: { phase: 'Failed', stalled: true, lastFailure: imagePull },
    absent: ['stage'],
    pipeline: 'done done done done failed done',
  },
  {
    name: 'stalled at once on an unavailable chart version',
    store: store(stalledOnVersion, { resourceVersion: '2001' }),
    summary: { phase: 'Failed', stalled: true, lastFailure: versionUnavailable },
    pipeline: 'done done done failed waiting waiting',
  },
  {
    name: 'stalled on a refused volume shrink (a check with no stage condition)',
    store: store(stalledOnShrink, { generation: 2 }),
    summary: { phase: 'Failed', stalled: true, lastFailure: shrink, generation: 2, observedGeneration: 2 },
    pipeline: 'done waiting waiting waiting waiting waiting',
  },
  {
    name: 'a plan change under way: helm upgrade running while the phase still says Ready',
    store: store(updating, { generation: 2 }),
    summary: { phase: 'Ready', stage: 'release', generation: 2, observedGeneration: 1 },
    pipeline: 'done done done running waiting waiting',
  },
  {
    name: 'degraded: was Ready, a workload is not ready',
    store: store(degradedWaiting),
    summary: { phase: 'Degraded', url, provisioningSeconds: 55.2 },
    absent: ['stage', 'lastFailure'],
    pipeline: 'done done done done running done',
  },
  {
    name: 'degraded with a diagnosed cause',
    store: store(degradedCrashing),
    summary: { phase: 'Degraded', lastFailure: crash, stalled: false },
    absent: ['stage'],
    pipeline: 'done done done done failed done',
  },
  {
    name: 'deleting, as the operator reports it',
    store: store(deleting, deletingMeta),
    summary: { phase: 'Deleting', message: 'the store is being deleted', generation: 2 },
    absent: ['stage'],
    pipeline: 'done done done done done done',
  },
  {
    name: 'deleted while provisioning, before the operator noticed',
    store: store(waitingForWorkloads, deletingMeta),
    summary: { phase: 'Deleting' },
    absent: ['stage'],
    pipeline: 'done done done done waiting done',
  },
];

const checkSummary = Compile(StoreSummary);
const checkDetail = Compile(StoreDetail);

describe('storeSummary and the pipeline', () => {
  it.each(cases)('$name', ({ store: s, summary, absent, pipeline }) => {
    const view = storeSummary(s, now);
    expect(view).toMatchObject({
      name: 'shop-one',
      displayName: 'Shop One',
      engine: 'woocommerce',
      plan: 'small',
      owner: 'alice',
      namespace: 'store-shop-one',
      createdAt: created,
      ...summary,
    });
    for (const key of absent ?? []) expect(view).not.toHaveProperty(key);
    expect(states(storePipeline(s, now))).toBe(pipeline);
    expect(checkSummary.Check(view)).toBe(true);
    const detail = storeDetail(s, now);
    expect(checkDetail.Check(detail)).toBe(true);
    // The summary is the detail's head: one derivation, never two that drift apart.
    expect(detail).toMatchObject(view);
  });

  it('is small: no conditions, activity or history in a summary', () => {
    const view = storeSummary(store(ready), now);
    expect(Object.keys(view).sort()).toEqual(
      [
        'adminUrl',
        'createdAt',
        'displayName',
        'engine',
        'generation',
        'message',
        'name',
        'namespace',
        'observedGeneration',
        'owner',
        'phase',
        'plan',
        'provisioningSeconds',
        'readyAt',
        'stalled',
        'url',
      ].sort(),
    );
    expect(JSON.stringify(view).length).toBeLessThan(600);
  });

  it('shows the version only when one is asked for', () => {
    const s = store(ready);
    expect(storeSummary(s, now)).not.toHaveProperty('version');
    expect(storeSummary({ ...s, spec: { ...s.spec, version: '' } }, now)).not.toHaveProperty('version');
    expect(storeSummary({ ...s, spec: { ...s.spec, version: '0.2.0' } }, now).version).toBe('0.2.0');
  });
});

describe('storeDetail', () => {
  it('times each done stage from the one before it, and a running stage so far', () => {
    const ready_ = storeDetail(store(ready), now).pipeline;
    expect(ready_.map((s) => [s.stage, s.seconds])).toEqual([
      ['namespace', 0.4],
      ['guardrails', 0.1],
      ['credentials', 0.1],
      ['release', 41.4],
      ['workloads', 13.2],
      // Stamped with the release, before the workloads: measured from the release, never negative.
      ['setup', 0.3],
    ]);
    const running = storeDetail(store(waitingForWorkloads), now).pipeline;
    expect(running.find((s) => s.stage === 'workloads')).toMatchObject({
      state: 'running',
      reason: 'Progressing',
      message: 'Deployment shop-one-web: 0/1 ready',
      since: at(42.3),
      seconds: 58,
    });
    expect(running.find((s) => s.stage === 'release')).toMatchObject({
      state: 'done',
      reason: 'InSync',
      since: at(42),
    });
  });

  it('a failed stage carries its own condition; a stale one from an earlier spec carries nothing', () => {
    const failed = storeDetail(store(failedAtRelease), now).pipeline;
    expect(failed[3]).toEqual({
      stage: 'release',
      condition: 'Released',
      state: 'failed',
      reason: 'InstallFailed',
      message: 'revision 1 failed: helm install failed: context deadline exceeded',
      since: at(300.7),
    });
    const update = storeDetail(store(updating, { generation: 2 }), now).pipeline;
    expect(update[4]).toEqual({ stage: 'workloads', condition: 'WorkloadsReady', state: 'waiting' });
  });

  it('adds the conditions, the attempt, activity newest first, history and what the operator is doing', () => {
    const d = storeDetail(store(failedAtWorkloads), now);
    expect(d.conditions).toEqual(failedAtWorkloads.conditions);
    expect(d.attempt).toEqual(provisionAttempt);
    expect(d.failures).toBe(1);
    expect(d.activity.map((a) => a.reason)).toEqual(['Installed', 'CredentialsGenerated', 'Provisioning']);
    expect(d.history).toEqual(history);
    expect(d.reconciling).toEqual({
      reason: 'ProgressingWithRetry',
      message: 'try 1 failed (ImagePullFailed); trying again in 10s',
    });
  });

  it('a store without status has empty lists and nothing under way', () => {
    const d = storeDetail(store(), now);
    expect(d).toMatchObject({ conditions: [], activity: [], history: [] });
    expect(d).not.toHaveProperty('reconciling');
    expect(d).not.toHaveProperty('attempt');
    expect(d).not.toHaveProperty('failures');
  });

  it('never changes the store it is given', () => {
    const s = store(failedAtWorkloads);
    const before = structuredClone(s);
    storeDetail(s, now);
    storeSummary(s, now);
    expect(s).toEqual(before);
  });
});

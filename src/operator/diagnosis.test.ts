import type {
  CoreV1Event,
  V1ContainerStatus,
  V1Job,
  V1PersistentVolumeClaim,
  V1Pod,
  V1ReplicaSet,
} from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { type DiagnosisContext, diagnose } from './diagnosis.ts';
import type { WorkloadSnapshot } from './readiness.ts';

const now = new Date('2025-06-01T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
const ctx: DiagnosisContext = { namespace: 'store-shop', plan: 'small', now };

const empty: WorkloadSnapshot = {
  deployments: [],
  statefulSets: [],
  replicaSets: [],
  jobs: [],
  pvcs: [],
  pods: [],
  events: [],
};

const quotaMessage =
  'pods "web-5d9c-abcde" is forbidden: exceeded quota: store-quota, requested: limits.memory=2Gi, used: limits.memory=3Gi, limited: limits.memory=4Gi';

const replicaSet = (conditions: { type: string; status: string; message?: string }[]): V1ReplicaSet =>
  ({ metadata: { name: 'web-5d9c' }, status: { replicas: 0, conditions } }) as V1ReplicaSet;
/** A ReplicaSet still short of its pod (what a FailedCreate event is about while it is current). */
const short = (name: string, created = 0): V1ReplicaSet =>
  ({ metadata: { name }, spec: { replicas: 1 }, status: { replicas: created } }) as V1ReplicaSet;

const event = (reason: string, message: string, involved: { kind: string; name: string }): CoreV1Event =>
  ({
    metadata: { name: `${involved.name}.1` },
    reason,
    message,
    type: 'Warning',
    involvedObject: involved,
  }) as CoreV1Event;

const waitingContainer = (
  name: string,
  reason: string,
  message?: string,
  restartCount = 0,
): V1ContainerStatus =>
  ({
    name,
    image: `registry.example/${name}:1.0`,
    imageID: '',
    ready: false,
    restartCount,
    state: { waiting: { reason, ...(message ? { message } : {}) } },
  }) as V1ContainerStatus;

const pod = (opts: {
  containers?: V1ContainerStatus[];
  init?: V1ContainerStatus[];
  unschedulableFor?: number;
  schedulerMessage?: string;
}): V1Pod =>
  ({
    metadata: { name: 'web-5d9c-abcde' },
    status: {
      phase: 'Pending',
      ...(opts.containers ? { containerStatuses: opts.containers } : {}),
      ...(opts.init ? { initContainerStatuses: opts.init } : {}),
      ...(opts.unschedulableFor !== undefined
        ? {
            conditions: [
              {
                type: 'PodScheduled',
                status: 'False',
                reason: 'Unschedulable',
                message: opts.schedulerMessage ?? '0/1 nodes are available: 1 Insufficient memory.',
                lastTransitionTime: ago(opts.unschedulableFor),
              },
            ],
          }
        : {}),
    },
  }) as V1Pod;

const failedJob = (reason: string, message: string): V1Job =>
  ({
    metadata: { name: 'setup' },
    status: { conditions: [{ type: 'Failed', status: 'True', reason, message }] },
  }) as V1Job;

const pvc = (phase: string, ageSeconds: number): V1PersistentVolumeClaim =>
  ({
    metadata: { name: 'data-db-0', creationTimestamp: ago(ageSeconds) },
    status: { phase },
  }) as V1PersistentVolumeClaim;

describe('diagnose', () => {
  const cases: {
    name: string;
    snapshot: Partial<WorkloadSnapshot>;
    context?: Partial<DiagnosisContext>;
    /** undefined: nothing is wrong yet. */
    reason?: string;
    message?: string | RegExp;
    fix?: string | RegExp;
  }[] = [
    { name: 'nothing there: nothing wrong', snapshot: {} },
    {
      name: 'pods starting normally: nothing wrong',
      snapshot: {
        pods: [pod({ containers: [waitingContainer('web', 'ContainerCreating')] })],
        replicaSets: [replicaSet([])],
      },
    },
    {
      name: 'quota from the ReplicaSet ReplicaFailure condition',
      snapshot: {
        replicaSets: [replicaSet([{ type: 'ReplicaFailure', status: 'True', message: quotaMessage }])],
      },
      reason: 'QuotaExceeded',
      message: quotaMessage,
      fix: 'plan "small"',
    },
    {
      name: 'a resolved ReplicaFailure condition is not a quota problem',
      snapshot: {
        replicaSets: [replicaSet([{ type: 'ReplicaFailure', status: 'False', message: quotaMessage }])],
      },
    },
    {
      name: 'a ReplicaFailure that is not about quota is not a quota problem',
      snapshot: {
        replicaSets: [
          replicaSet([
            {
              type: 'ReplicaFailure',
              status: 'True',
              message: 'pods "web-x" is forbidden: violates PodSecurity',
            },
          ]),
        ],
      },
    },
    {
      name: 'quota from a FailedCreate event (StatefulSet or Job controller)',
      snapshot: {
        events: [
          event('FailedCreate', quotaMessage.replace('web-5d9c-abcde', 'db-0'), {
            kind: 'StatefulSet',
            name: 'db',
          }),
        ],
      },
      context: { plan: 'medium' },
      reason: 'QuotaExceeded',
      message: /exceeded quota: store-quota/,
      fix: 'plan "medium"',
    },
    {
      // Fault 4: the replacement of a terminating pod is refused until the old one is gone.
      name: 'a quota refusal while a pod is terminating clears by itself: waiting',
      snapshot: {
        replicaSets: [replicaSet([{ type: 'ReplicaFailure', status: 'True', message: quotaMessage }])],
        pods: [
          { metadata: { name: 'web-old', deletionTimestamp: ago(2) }, status: { phase: 'Running' } } as V1Pod,
        ],
      },
    },
    {
      name: 'quota wins over a crashing pod',
      snapshot: {
        replicaSets: [short('web-5d9c')],
        events: [event('FailedCreate', quotaMessage, { kind: 'ReplicaSet', name: 'web-5d9c' })],
        pods: [pod({ containers: [waitingContainer('web', 'CrashLoopBackOff', undefined, 3)] })],
      },
      reason: 'QuotaExceeded',
      fix: /larger plan/,
    },
    {
      name: 'ImagePullBackOff',
      snapshot: {
        pods: [pod({ containers: [waitingContainer('web', 'ImagePullBackOff', 'Back-off pulling image')] })],
      },
      reason: 'ImagePullFailed',
      message: 'Pod web-5d9c-abcde: cannot pull image registry.example/web:1.0: Back-off pulling image',
      fix: /image name and tag/,
    },
    {
      name: 'ErrImagePull in an init container',
      snapshot: { pods: [pod({ init: [waitingContainer('migrate', 'ErrImagePull')] })] },
      reason: 'ImagePullFailed',
      message: 'Pod web-5d9c-abcde: cannot pull image registry.example/migrate:1.0: ErrImagePull',
      fix: /registry/,
    },
    {
      name: 'CrashLoopBackOff',
      snapshot: {
        pods: [pod({ containers: [waitingContainer('web', 'CrashLoopBackOff', 'back-off 5m0s', 7)] })],
      },
      reason: 'CrashLoopBackOff',
      message: 'Pod web-5d9c-abcde: container web keeps crashing (7 restarts)',
      fix: 'kubectl logs -n store-shop web-5d9c-abcde -c web --previous',
    },
    {
      // A real kubelet's words when the image is absent and the pull policy is Never (a local node).
      name: 'ErrImageNeverPull',
      snapshot: {
        pods: [
          pod({
            containers: [
              waitingContainer(
                'web',
                'ErrImageNeverPull',
                'Container image "localhost/storeplane/web:dev" is not present with pull policy of Never',
              ),
            ],
          }),
        ],
      },
      reason: 'ImageNotPresent',
      message:
        'Pod web-5d9c-abcde: Container image "localhost/storeplane/web:dev" is not present with pull policy of Never',
      fix: /import it into the node/,
    },
    {
      name: 'CrashLoopBackOff names the last exit code and the message the container left',
      snapshot: {
        pods: [
          pod({
            containers: [
              {
                ...waitingContainer('web', 'CrashLoopBackOff', 'back-off 10s', 2),
                lastState: {
                  terminated: { exitCode: 1, reason: 'Error', message: 'DATABASE_URL is not set' },
                },
              } as V1ContainerStatus,
            ],
          }),
        ],
      },
      reason: 'CrashLoopBackOff',
      message:
        'Pod web-5d9c-abcde: container web keeps crashing (2 restarts; last exit code 1, Error: DATABASE_URL is not set)',
      fix: 'kubectl logs -n store-shop web-5d9c-abcde -c web --previous',
    },
    {
      name: 'a container the runtime cannot start (RunContainerError)',
      snapshot: {
        pods: [
          pod({
            containers: [
              waitingContainer(
                'web',
                'RunContainerError',
                'failed to create containerd task: exec: "/app/bin/start": stat /app/bin/start: no such file or directory',
              ),
            ],
          }),
        ],
      },
      reason: 'ContainerStartFailed',
      message:
        /Pod web-5d9c-abcde: container web cannot start: failed to create containerd task: exec: "\/app\/bin\/start"/,
      fix: /command, user or files/,
    },
    {
      name: 'CreateContainerConfigError',
      snapshot: {
        pods: [
          pod({
            containers: [
              waitingContainer('web', 'CreateContainerConfigError', 'secret "shop-credentials" not found'),
            ],
          }),
        ],
      },
      reason: 'ContainerConfigError',
      message: 'Pod web-5d9c-abcde: secret "shop-credentials" not found',
      fix: /Secret or ConfigMap/,
    },
    {
      name: 'Unschedulable for less than 15 s: still in progress',
      snapshot: { pods: [pod({ unschedulableFor: 14 })] },
    },
    {
      name: 'Unschedulable for 15 s',
      snapshot: { pods: [pod({ unschedulableFor: 15 })] },
      reason: 'Unschedulable',
      message: 'Pod web-5d9c-abcde cannot be scheduled: 0/1 nodes are available: 1 Insufficient memory.',
      fix: 'if no node could ever fit plan "small", choose a smaller plan',
    },
    {
      name: 'waiting for its volume to bind is not a lack of room',
      snapshot: {
        pods: [
          pod({
            unschedulableFor: 45,
            schedulerMessage:
              '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. not found',
          }),
        ],
      },
    },
    {
      name: 'a pod whose claim does not exist yet is waiting, not unschedulable',
      snapshot: {
        pods: [
          pod({ unschedulableFor: 45, schedulerMessage: 'persistentvolumeclaim "data-db-0" not found' }),
        ],
      },
    },
    {
      name: 'Unschedulable threshold is configurable',
      snapshot: { pods: [pod({ unschedulableFor: 15 })] },
      context: { unschedulableAfterMs: 60_000 },
    },
    {
      name: 'Job BackoffLimitExceeded',
      snapshot: { jobs: [failedJob('BackoffLimitExceeded', 'Job has reached the specified backoff limit')] },
      reason: 'SetupJobFailed',
      message: 'Job setup failed: BackoffLimitExceeded: Job has reached the specified backoff limit',
      fix: 'kubectl logs -n store-shop job/setup',
    },
    {
      name: 'a failed CronJob run is upkeep, not a provisioning failure',
      snapshot: {
        jobs: [
          {
            ...failedJob('BackoffLimitExceeded', 'Job has reached the specified backoff limit'),
            metadata: {
              name: 'cron-1',
              ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'cron', uid: 'u1' }],
            },
          },
        ],
      },
    },
    {
      name: 'Job DeadlineExceeded',
      snapshot: { jobs: [failedJob('DeadlineExceeded', 'Job was active longer than specified deadline')] },
      reason: 'SetupJobDeadlineExceeded',
      message: /DeadlineExceeded/,
      fix: /idempotent/,
    },
    {
      name: 'PVC Pending for less than 60 s: still in progress',
      snapshot: { pvcs: [pvc('Pending', 59)] },
    },
    {
      name: 'PVC Pending with the provisioner saying it failed',
      snapshot: {
        pvcs: [pvc('Pending', 60)],
        events: [
          event('ProvisioningFailed', 'storageclass.storage.k8s.io "fast" not found', {
            kind: 'PersistentVolumeClaim',
            name: 'data-db-0',
          }),
        ],
      },
      reason: 'VolumeProvisioningFailed',
      message:
        'PersistentVolumeClaim data-db-0 cannot be provisioned: storageclass.storage.k8s.io "fast" not found',
      fix: /kubectl get storageclass/,
    },
    {
      // Fault 11: network storage or a slow provisioner can take minutes; that is waiting.
      name: 'PVC Pending for an hour with no provisioner error: still waiting, not a failure',
      snapshot: { pvcs: [pvc('Pending', 3600)] },
    },
    {
      name: 'a provisioner error about another claim says nothing about this one',
      snapshot: {
        pvcs: [pvc('Pending', 60)],
        events: [event('ProvisioningFailed', 'boom', { kind: 'PersistentVolumeClaim', name: 'other' })],
      },
    },
    {
      name: 'PVC Bound for long: nothing wrong',
      snapshot: { pvcs: [pvc('Bound', 3600)] },
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const d = diagnose({ ...empty, ...tc.snapshot }, { ...ctx, ...tc.context });
      if (tc.reason === undefined) {
        expect(d).toBeUndefined();
        return;
      }
      expect(d?.reason).toBe(tc.reason);
      expect(d?.fix.length).toBeGreaterThan(20);
      if (typeof tc.message === 'string') expect(d?.message).toBe(tc.message);
      else if (tc.message) expect(d?.message).toMatch(tc.message);
      if (typeof tc.fix === 'string') expect(d?.fix).toContain(tc.fix);
      else if (tc.fix) expect(d?.fix).toMatch(tc.fix);
    });
  }

  it('caps long messages at 600 characters', () => {
    const long = `${quotaMessage} ${'x'.repeat(2000)}`;
    const d = diagnose(
      {
        ...empty,
        replicaSets: [short('web-5d9c')],
        events: [event('FailedCreate', long, { kind: 'ReplicaSet', name: 'web-5d9c' })],
      },
      ctx,
    );
    expect(d?.reason).toBe('QuotaExceeded');
    expect(d?.message).toHaveLength(600);
  });
});

describe('pods refused for reasons other than quota', () => {
  const ev = (message: string) =>
    ({
      reason: 'FailedCreate',
      message,
      involvedObject: { kind: 'ReplicaSet', name: 'web-1' },
    }) as CoreV1Event;
  const cases = [
    {
      name: 'Pod Security Admission',
      message: 'pods "web-1-x" is forbidden: violates PodSecurity "restricted:latest": runAsNonRoot != true',
      reason: 'PodSecurityViolation',
    },
    {
      name: 'missing ServiceAccount',
      message:
        'pods "web-1-x" is forbidden: error looking up service account s/store-workload: serviceaccount "store-workload" not found',
      reason: 'PodCreationRefused',
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const d = diagnose(
        {
          deployments: [],
          statefulSets: [],
          replicaSets: [short('web-1')],
          jobs: [],
          pvcs: [],
          pods: [],
          events: [ev(tc.message)],
        },
        { namespace: 's', plan: 'small', now: new Date() },
      );
      expect(d?.reason).toBe(tc.reason);
      expect(d?.message).toContain('ReplicaSet web-1');
      expect(d?.fix.length).toBeGreaterThan(20);
    });
  }
});

describe('events about a refusal that is over', () => {
  // Events outlive their cause: once the controller has its pods, the refusal is history.
  it('a quota refusal of a ReplicaSet that has since created its pod is not the cause', () => {
    const snap = {
      ...empty,
      replicaSets: [short('web-5d9c', 1)],
      events: [event('FailedCreate', quotaMessage, { kind: 'ReplicaSet', name: 'web-5d9c' })],
    };
    expect(diagnose(snap, ctx)).toBeUndefined();
    expect(diagnose({ ...snap, replicaSets: [short('web-5d9c', 0)] }, ctx)?.reason).toBe('QuotaExceeded');
  });
});

describe('old events', () => {
  it('are not taken as the present cause', () => {
    const old = new Date(Date.now() - 10 * 60_000);
    const e = {
      reason: 'FailedCreate',
      message: 'pods "x" is forbidden: exceeded quota: q',
      lastTimestamp: old,
      involvedObject: { kind: 'ReplicaSet', name: 'r' },
    } as CoreV1Event;
    expect(
      diagnose(
        { deployments: [], statefulSets: [], replicaSets: [], jobs: [], pvcs: [], pods: [], events: [e] },
        { namespace: 's', plan: 'small', now: new Date() },
      ),
    ).toBeUndefined();
  });
});

describe('events from before this attempt', () => {
  it('are ignored once a retry started', () => {
    const now = new Date();
    const e = {
      reason: 'FailedCreate',
      message: 'pods "x" is forbidden: exceeded quota: q',
      lastTimestamp: new Date(now.getTime() - 5000),
      involvedObject: { kind: 'StatefulSet', name: 'db' },
    } as CoreV1Event;
    const snap = { ...empty, events: [e] };
    expect(diagnose(snap, { namespace: 's', plan: 'small', now })?.reason).toBe('QuotaExceeded');
    expect(
      diagnose(snap, { namespace: 's', plan: 'small', now, since: new Date(now.getTime() - 1000) }),
    ).toBeUndefined();
  });
});

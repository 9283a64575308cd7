import type { V1Deployment, V1Job, V1PersistentVolumeClaim, V1StatefulSet } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { type WorkloadSnapshot, evaluateWorkloads } from './readiness.ts';

const empty: WorkloadSnapshot = {
  deployments: [],
  statefulSets: [],
  replicaSets: [],
  jobs: [],
  pvcs: [],
  pods: [],
  events: [],
};

const deployment = (
  replicas: number | undefined,
  status: NonNullable<V1Deployment['status']> | undefined,
  generation = 2,
): V1Deployment => ({
  metadata: { name: 'web', generation },
  spec: { ...(replicas === undefined ? {} : { replicas }) } as V1Deployment['spec'],
  ...(status ? { status } : {}),
});

const statefulSet = (
  replicas: number,
  status: Partial<NonNullable<V1StatefulSet['status']>>,
): V1StatefulSet =>
  ({
    metadata: { name: 'db', generation: 1 },
    spec: { replicas },
    status,
  }) as V1StatefulSet;

const job = (conditions: { type: string; status: string }[]): V1Job => ({
  metadata: { name: 'setup' },
  status: { conditions: conditions as NonNullable<V1Job['status']>['conditions'] },
});

const cronOwner = { apiVersion: 'batch/v1', kind: 'CronJob', name: 'cron', uid: 'u1' };

const pvc = (phase: string | undefined): V1PersistentVolumeClaim => ({
  metadata: { name: 'data-db-0' },
  ...(phase ? { status: { phase } } : {}),
});

const readyDeployment = {
  observedGeneration: 2,
  replicas: 2,
  updatedReplicas: 2,
  readyReplicas: 2,
  availableReplicas: 2,
};

describe('evaluateWorkloads', () => {
  const cases: { name: string; snapshot: Partial<WorkloadSnapshot>; waiting: string[] }[] = [
    { name: 'an empty namespace is ready', snapshot: {}, waiting: [] },
    {
      name: 'Deployment fully rolled out',
      snapshot: { deployments: [deployment(2, readyDeployment)] },
      waiting: [],
    },
    {
      name: 'Deployment whose spec change is not observed yet',
      snapshot: { deployments: [deployment(2, { ...readyDeployment, observedGeneration: 1 })] },
      waiting: ['Deployment web: update not observed yet'],
    },
    {
      name: 'Deployment without any status',
      snapshot: { deployments: [deployment(2, undefined)] },
      waiting: ['Deployment web: update not observed yet'],
    },
    {
      name: 'Deployment with too few ready replicas',
      snapshot: { deployments: [deployment(2, { ...readyDeployment, readyReplicas: 1 })] },
      waiting: ['Deployment web: 1/2 ready'],
    },
    {
      name: 'Deployment with ready but not yet available replicas',
      snapshot: { deployments: [deployment(2, { ...readyDeployment, availableReplicas: 1 })] },
      waiting: ['Deployment web: 2/2 ready'],
    },
    {
      name: 'Deployment with replicas not yet updated',
      snapshot: { deployments: [deployment(2, { ...readyDeployment, updatedReplicas: 1 })] },
      waiting: ['Deployment web: 2/2 ready'],
    },
    {
      name: 'Deployment with old pods still terminating',
      snapshot: { deployments: [deployment(2, { ...readyDeployment, replicas: 3 })] },
      waiting: ['Deployment web: old pods terminating'],
    },
    {
      name: 'Deployment without replicas in spec wants one',
      snapshot: {
        deployments: [
          deployment(undefined, {
            observedGeneration: 2,
            replicas: 1,
            updatedReplicas: 1,
            readyReplicas: 0,
            availableReplicas: 0,
          }),
        ],
      },
      waiting: ['Deployment web: 0/1 ready'],
    },
    {
      name: 'Deployment scaled to zero is ready',
      snapshot: { deployments: [deployment(0, { observedGeneration: 2 })] },
      waiting: [],
    },
    {
      name: 'StatefulSet ready and rolled out',
      snapshot: {
        statefulSets: [
          statefulSet(1, {
            observedGeneration: 1,
            readyReplicas: 1,
            currentRevision: 'db-1',
            updateRevision: 'db-1',
          }),
        ],
      },
      waiting: [],
    },
    {
      name: 'StatefulSet whose spec change is not observed yet',
      snapshot: { statefulSets: [statefulSet(1, { readyReplicas: 1 })] },
      waiting: ['StatefulSet db: update not observed yet'],
    },
    {
      name: 'StatefulSet not ready',
      snapshot: { statefulSets: [statefulSet(1, { observedGeneration: 1, readyReplicas: 0 })] },
      waiting: ['StatefulSet db: 0/1 ready'],
    },
    {
      name: 'StatefulSet still rolling out a new revision',
      snapshot: {
        statefulSets: [
          statefulSet(1, {
            observedGeneration: 1,
            readyReplicas: 1,
            currentRevision: 'db-1',
            updateRevision: 'db-2',
          }),
        ],
      },
      waiting: ['StatefulSet db: rolling out'],
    },
    {
      name: 'Job complete',
      snapshot: { jobs: [job([{ type: 'Complete', status: 'True' }])] },
      waiting: [],
    },
    {
      name: 'Job with SuccessCriteriaMet (before Complete is set)',
      snapshot: { jobs: [job([{ type: 'SuccessCriteriaMet', status: 'True' }])] },
      waiting: [],
    },
    {
      name: 'Job still running',
      snapshot: { jobs: [job([])] },
      waiting: ['Job setup: not complete'],
    },
    {
      name: 'Job failed is not complete',
      snapshot: {
        jobs: [
          job([
            { type: 'Failed', status: 'True' },
            { type: 'Complete', status: 'False' },
          ]),
        ],
      },
      waiting: ['Job setup: not complete'],
    },
    {
      name: 'a CronJob run (running or failed) is not waited for',
      snapshot: {
        jobs: [
          { ...job([]), metadata: { name: 'cron-1', ownerReferences: [cronOwner] } },
          {
            ...job([{ type: 'Failed', status: 'True' }]),
            metadata: { name: 'cron-2', ownerReferences: [cronOwner] },
          },
        ],
      },
      waiting: [],
    },
    { name: 'PVC bound', snapshot: { pvcs: [pvc('Bound')] }, waiting: [] },
    {
      name: 'PVC pending',
      snapshot: { pvcs: [pvc('Pending')] },
      waiting: ['PersistentVolumeClaim data-db-0: Pending'],
    },
    {
      name: 'PVC without status counts as pending',
      snapshot: { pvcs: [pvc(undefined)] },
      waiting: ['PersistentVolumeClaim data-db-0: Pending'],
    },
    {
      name: 'PVC lost',
      snapshot: { pvcs: [pvc('Lost')] },
      waiting: ['PersistentVolumeClaim data-db-0: Lost'],
    },
    {
      name: 'everything waiting is listed in order',
      snapshot: {
        deployments: [deployment(2, { ...readyDeployment, readyReplicas: 0 })],
        statefulSets: [statefulSet(1, { observedGeneration: 1, readyReplicas: 0 })],
        jobs: [job([])],
        pvcs: [pvc('Pending')],
      },
      waiting: [
        'Deployment web: 0/2 ready',
        'StatefulSet db: 0/1 ready',
        'Job setup: not complete',
        'PersistentVolumeClaim data-db-0: Pending',
      ],
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const r = evaluateWorkloads({ ...empty, ...tc.snapshot });
      expect(r.waiting).toEqual(tc.waiting);
      expect(r.ready).toBe(tc.waiting.length === 0);
    });
  }
});

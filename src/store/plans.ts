import type { Plan } from './schema.ts';

/**
 * What a plan means in the store's namespace: the ResourceQuota and the LimitRange defaults.
 * Engine charts size their workloads to fit inside these, with their default and their
 * production values, including the room a rollout, an upgrade's setup hook and a node drain need
 * (test/charts/render.int.test.ts and rollout.int.test.ts check it).
 */
export interface PlanLimits {
  quota: {
    'requests.cpu': string;
    'requests.memory': string;
    'limits.cpu': string;
    'limits.memory': string;
    'requests.storage': string;
    persistentvolumeclaims: string;
    pods: string;
    services: string;
    'services.loadbalancers': string;
    'services.nodeports': string;
    /** Any other resource a quota can bound, added by a plans file (plan-overrides.ts). */
    [resource: string]: string;
  };
  /** Per-container defaults for anything that declares no resources. */
  containerDefaults: { request: { cpu: string; memory: string }; limit: { cpu: string; memory: string } };
  /** The biggest single container the plan allows. */
  containerMax: { cpu: string; memory: string };
}

const base = { 'services.loadbalancers': '0', 'services.nodeports': '0' };

export const defaultPlans: Record<Plan, PlanLimits> = {
  small: {
    quota: {
      ...base,
      'requests.cpu': '1',
      'requests.memory': '3Gi',
      'limits.cpu': '3',
      'limits.memory': '6Gi',
      'requests.storage': '10Gi',
      persistentvolumeclaims: '4',
      pods: '12',
      services: '8',
    },
    containerDefaults: { request: { cpu: '50m', memory: '64Mi' }, limit: { cpu: '250m', memory: '256Mi' } },
    containerMax: { cpu: '1', memory: '2Gi' },
  },
  medium: {
    quota: {
      ...base,
      'requests.cpu': '3',
      'requests.memory': '6Gi',
      'limits.cpu': '6',
      'limits.memory': '12Gi',
      'requests.storage': '30Gi',
      persistentvolumeclaims: '6',
      pods: '20',
      services: '10',
    },
    containerDefaults: { request: { cpu: '100m', memory: '128Mi' }, limit: { cpu: '500m', memory: '512Mi' } },
    containerMax: { cpu: '2', memory: '4Gi' },
  },
  large: {
    quota: {
      ...base,
      'requests.cpu': '5',
      'requests.memory': '12Gi',
      'limits.cpu': '12',
      'limits.memory': '24Gi',
      'requests.storage': '100Gi',
      persistentvolumeclaims: '10',
      pods: '40',
      services: '16',
    },
    containerDefaults: { request: { cpu: '100m', memory: '128Mi' }, limit: { cpu: '1', memory: '1Gi' } },
    containerMax: { cpu: '4', memory: '8Gi' },
  },
};

import { defaultForeignManagers, type ForeignManagerRule } from '../kube/drift.ts';
import type { ExposeConfig } from '../store/engines.ts';
import { defaultPlans, type PlanLimits } from '../store/plans.ts';
import type { Engine, Plan } from '../store/schema.ts';
import type { Values } from '../store/values-layers.ts';
import type { OperatorBinding } from './reconcile/manifests.ts';

export interface OperatorConfig {
  /** The operator's own namespace: its Lease and the credential vault live here. */
  namespace: string;
  /** Reconciles (and so helm processes) running at once. */
  concurrency: number;
  /** An attempt (provisioning, update, upgrade, retry, repair) not Ready this long after its start fails. */
  provisioningDeadlineMs: number;
  /** Failed tries of one attempt before the store is Stalled (a human must act)... */
  retryBudget: number;
  /** ...and the least time those tries must span, so an outage of a few minutes cannot Stall stores. */
  retryWindowMs: number;
  /** Periodic re-check of every store (drift repair), jittered. */
  resyncMs: number;
  /** How often a provisioning store's workloads are looked at when no watch event wakes it. */
  pollMs: number;
  /** How often a degraded store is looked at when no watch event wakes it. */
  degradedPollMs: number;
  helmTimeoutSeconds: number;
  namespaceDeleteTimeoutMs: number;
  /** Every Kubernetes API request is aborted after this long. */
  apiTimeoutMs: number;
  expose: ExposeConfig;
  plans: Record<Plan, PlanLimits>;
  ingressNamespaces: string[];
  /** Chart directory per engine; unset engines use charts/<engine>-store. */
  charts: Partial<Record<Engine, string>>;
  /**
   * The environment's values per engine chart (its values-local.yaml or values-prod.yaml, read at
   * start); the operator's own per-store values are layered over them.
   */
  chartValues: Partial<Record<Engine, Values>>;
  /** Field managers whose writes to objects the operator owns count as drift (Flux's --override-manager). */
  foreignManagers: ForeignManagerRule[];
  /**
   * ClusterRoles bound in each store namespace, each to one ServiceAccount: when the operator runs
   * with a restricted identity, its own store ClusterRole first; then, say, the API's read-only one.
   */
  storeRoleBindings?: OperatorBinding[];
}

export const defaultOperatorConfig: OperatorConfig = {
  namespace: 'storeplane-system',
  concurrency: 4,
  provisioningDeadlineMs: 10 * 60_000,
  retryBudget: 5,
  retryWindowMs: 10 * 60_000,
  resyncMs: 5 * 60_000,
  pollMs: 10_000,
  degradedPollMs: 10_000,
  helmTimeoutSeconds: 600,
  namespaceDeleteTimeoutMs: 10 * 60_000,
  apiTimeoutMs: 30_000,
  expose: { baseDomain: '127.0.0.1.nip.io', tls: false },
  plans: defaultPlans,
  ingressNamespaces: ['ingress-nginx', 'kube-system'],
  charts: {},
  chartValues: {},
  foreignManagers: defaultForeignManagers,
};

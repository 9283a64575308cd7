import type { ExposeConfig } from '../store/engines.ts';
import { defaultPlans, type PlanLimits } from '../store/plans.ts';
import type { Engine, Plan } from '../store/schema.ts';
import type { Values } from '../store/values-layers.ts';

export interface OperatorConfig {
  /** The operator's own namespace: its Lease and the credential vault live here. */
  namespace: string;
  /** Reconciles (and so helm processes) running at once. */
  concurrency: number;
  provisioningDeadlineMs: number;
  /** Failed attempts for one config before the store is Stalled (a human must act). */
  retryBudget: number;
  /** Periodic re-check of every store (drift repair), jittered. */
  resyncMs: number;
  /** How often a provisioning store's workloads are looked at. */
  pollMs: number;
  helmTimeoutSeconds: number;
  namespaceDeleteTimeoutMs: number;
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
  operatorBinding?: { clusterRole: string; serviceAccount: { name: string; namespace: string } };
}

export const defaultOperatorConfig: OperatorConfig = {
  namespace: 'storeplane-system',
  concurrency: 4,
  provisioningDeadlineMs: 10 * 60_000,
  retryBudget: 5,
  resyncMs: 5 * 60_000,
  pollMs: 2000,
  helmTimeoutSeconds: 600,
  namespaceDeleteTimeoutMs: 10 * 60_000,
  expose: { baseDomain: '127.0.0.1.nip.io', tls: false },
  plans: defaultPlans,
  ingressNamespaces: ['ingress-nginx', 'kube-system'],
  charts: {},
  chartValues: {},
};

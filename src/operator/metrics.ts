import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Store } from '../store/schema.ts';

/** The operator's Prometheus metrics (served on /metrics). */
export function createMetrics(listStores: () => Store[]) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'storeplane_operator_' });
  const storesByPhase = new Gauge({
    name: 'storeplane_stores',
    help: 'Stores by phase and engine',
    labelNames: ['phase', 'engine'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const s of listStores())
        this.inc({ phase: s.status?.phase ?? 'Pending', engine: s.spec?.engine ?? 'unknown' });
    },
  });
  const provisioningSeconds = new Histogram({
    name: 'storeplane_store_provisioning_seconds',
    help: 'Time from the start of provisioning a store to Ready or Failed',
    labelNames: ['engine', 'outcome'] as const,
    buckets: [5, 15, 30, 60, 120, 300, 600, 1200],
    registers: [registry],
  });
  const reconcileErrors = new Counter({
    name: 'storeplane_reconcile_errors_total',
    help: 'Reconcile errors by stage',
    labelNames: ['stage'] as const,
    registers: [registry],
  });
  const queueDepth = new Gauge({
    name: 'storeplane_workqueue_depth',
    help: 'Stores waiting to be reconciled',
    registers: [registry],
  });
  const reconcileSeconds = new Histogram({
    name: 'storeplane_reconcile_seconds',
    help: 'Duration of store reconciles by result (ok, or error: backing off)',
    labelNames: ['result'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const wakes = new Counter({
    name: 'storeplane_wakes_total',
    help: 'Changes seen in the cluster by kind, and whether they woke a store (woke, scheduled-run, not-a-store)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  const helmSeconds = new Histogram({
    name: 'storeplane_helm_action_seconds',
    help: 'Duration of helm commands by action and outcome',
    labelNames: ['action', 'outcome'] as const,
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
    registers: [registry],
  });
  const helmRunning = new Gauge({
    name: 'storeplane_helm_running',
    help: 'helm processes running now',
    registers: [registry],
  });
  const kubeRequests = new Counter({
    name: 'storeplane_kube_requests_total',
    help: 'Requests the operator made to the Kubernetes API (dry_run: server-side dry runs, which persist nothing)',
    labelNames: ['verb', 'resource', 'dry_run'] as const,
    registers: [registry],
  });
  const isLeader = new Gauge({
    name: 'storeplane_leader',
    help: '1 while this replica holds the lease',
    registers: [registry],
  });
  return {
    registry,
    storesByPhase,
    provisioningSeconds,
    reconcileErrors,
    queueDepth,
    reconcileSeconds,
    wakes,
    helmSeconds,
    helmRunning,
    kubeRequests,
    isLeader,
  };
}

export type OperatorMetrics = ReturnType<typeof createMetrics>;

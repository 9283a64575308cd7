import type {
  CoreV1Event,
  V1Deployment,
  V1Job,
  V1PersistentVolumeClaim,
  V1Pod,
  V1ReplicaSet,
  V1StatefulSet,
} from '@kubernetes/client-node';

/** What is in a store's namespace, read at once for one readiness decision. */
export interface WorkloadSnapshot {
  deployments: V1Deployment[];
  statefulSets: V1StatefulSet[];
  replicaSets: V1ReplicaSet[];
  jobs: V1Job[];
  pvcs: V1PersistentVolumeClaim[];
  pods: V1Pod[];
  /** Warning events in the namespace. */
  events: CoreV1Event[];
}

export interface Readiness {
  ready: boolean;
  /** What is still being waited for, in words ("Deployment web: 1/2 ready"). */
  waiting: string[];
}

/**
 * A run of a CronJob (WooCommerce's WP-Cron, say): periodic upkeep, not part of provisioning, so
 * neither readiness nor failure diagnosis looks at it.
 */
export const isScheduledRun = (j: V1Job): boolean =>
  j.metadata?.ownerReferences?.some((o) => o.kind === 'CronJob') ?? false;

/** kstatus-like readiness of the workloads (sigs.k8s.io/cli-utils kstatus rules, simplified). */
export function evaluateWorkloads(s: WorkloadSnapshot): Readiness {
  const waiting: string[] = [];
  for (const d of s.deployments) {
    const want = d.spec?.replicas ?? 1;
    const st: NonNullable<V1Deployment['status']> = d.status ?? {};
    const gen = d.metadata?.generation ?? 0;
    if ((st.observedGeneration ?? 0) < gen)
      waiting.push(`Deployment ${d.metadata?.name}: update not observed yet`);
    else if (
      (st.updatedReplicas ?? 0) < want ||
      (st.readyReplicas ?? 0) < want ||
      (st.availableReplicas ?? 0) < want
    ) {
      waiting.push(`Deployment ${d.metadata?.name}: ${st.readyReplicas ?? 0}/${want} ready`);
    } else if ((st.replicas ?? 0) > want)
      waiting.push(`Deployment ${d.metadata?.name}: old pods terminating`);
  }
  for (const ss of s.statefulSets) {
    const want = ss.spec?.replicas ?? 1;
    const st: Partial<NonNullable<V1StatefulSet['status']>> = ss.status ?? {};
    if ((st.observedGeneration ?? 0) < (ss.metadata?.generation ?? 0))
      waiting.push(`StatefulSet ${ss.metadata?.name}: update not observed yet`);
    else if ((st.readyReplicas ?? 0) < want)
      waiting.push(`StatefulSet ${ss.metadata?.name}: ${st.readyReplicas ?? 0}/${want} ready`);
    else if (st.updateRevision && st.currentRevision !== st.updateRevision)
      waiting.push(`StatefulSet ${ss.metadata?.name}: rolling out`);
  }
  for (const j of s.jobs) {
    if (isScheduledRun(j)) continue;
    const done = j.status?.conditions?.some(
      (c) => (c.type === 'Complete' || c.type === 'SuccessCriteriaMet') && c.status === 'True',
    );
    if (!done) waiting.push(`Job ${j.metadata?.name}: not complete`);
  }
  for (const p of s.pvcs) {
    if (p.status?.phase !== 'Bound')
      waiting.push(`PersistentVolumeClaim ${p.metadata?.name}: ${p.status?.phase ?? 'Pending'}`);
  }
  return { ready: waiting.length === 0, waiting };
}

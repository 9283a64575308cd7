import { reasons } from '../store/keys.ts';
import type { Diagnosis } from './decide/outcome.ts';
import { isScheduledRun, type WorkloadSnapshot } from './readiness.ts';

export type { Diagnosis };

export interface DiagnosisContext {
  namespace: string;
  plan: string;
  now: Date;
  /** How long a pod may stay unschedulable before it counts as failed (kstatus uses 15 s). */
  unschedulableAfterMs?: number;
  /** Events before this (the start of this attempt) describe an earlier attempt, not this one. */
  since?: Date;
}

/**
 * True when the controller an event is about has since created all its pods: the refusal the
 * event reports is over (events outlive their cause).
 */
function since(s: WorkloadSnapshot, o: { kind?: string; name?: string } | undefined): boolean {
  const match = (m: { metadata?: { name?: string } }) => m.metadata?.name === o?.name;
  if (o?.kind === 'ReplicaSet') {
    const rs = s.replicaSets.find(match);
    return !rs || (rs.status?.replicas ?? 0) >= (rs.spec?.replicas ?? 1);
  }
  if (o?.kind === 'StatefulSet') {
    const sts = s.statefulSets.find(match);
    return Boolean(sts) && (sts?.status?.replicas ?? 0) >= (sts?.spec?.replicas ?? 1);
  }
  if (o?.kind === 'Job') {
    const job = s.jobs.find(match);
    const st = job?.status;
    return Boolean(job) && (st?.active ?? 0) + (st?.succeeded ?? 0) + (st?.failed ?? 0) > 0;
  }
  return false;
}

const olderThan = (time: string | Date | undefined, ms: number, now: Date) =>
  time !== undefined && now.getTime() - new Date(time).getTime() >= ms;

/**
 * Why a store's workloads are not becoming ready, from Kubernetes signals only. Returns the most
 * actionable finding, or undefined when things are merely still in progress, including what
 * clears by itself: a quota refusal while a pod is terminating (its replacement is created once
 * it is gone) and a volume that binds slowly (only a provisioner error ends that).
 */
export function diagnose(s: WorkloadSnapshot, ctx: DiagnosisContext): Diagnosis | undefined {
  const ns = ctx.namespace;
  // Events outlive their cause (an hour by default): only recent ones describe the present.
  const recent = s.events.filter((e) => {
    const at = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
    if (at === undefined) return true;
    if (ctx.since && new Date(at).getTime() < ctx.since.getTime()) return false;
    return !olderThan(at, 120_000, ctx.now);
  });
  // Quota: the ReplicaSet/StatefulSet/Job controller could not create pods at all.
  const quotaMessages = [
    ...s.replicaSets.flatMap(
      (rs) =>
        rs.status?.conditions
          ?.filter((c) => c.type === 'ReplicaFailure' && c.status === 'True')
          .map((c) => c.message ?? '') ?? [],
    ),
    ...recent
      .filter((e) => e.reason === 'FailedCreate' && !since(s, e.involvedObject))
      .map((e) => e.message ?? ''),
  ].filter((m) => /exceeded quota/.test(m));
  const terminating = s.pods.some((p) => p.metadata?.deletionTimestamp);
  if (quotaMessages[0] && !terminating) {
    return {
      reason: reasons.quotaExceeded,
      message: quotaMessages[0].slice(0, 600),
      fix: `The store's workloads ask for more than plan "${ctx.plan}" allows. Choose a larger plan (or, as an operator, raise the plan's quota), then retry.`,
    };
  }
  // Any other refusal to create pods (Pod Security Admission, a missing ServiceAccount, ...).
  const refused = recent.find(
    (e) =>
      e.reason === 'FailedCreate' &&
      /forbidden|violates|not found/.test(e.message ?? '') &&
      !since(s, e.involvedObject),
  );
  if (refused) {
    const psa = /violates PodSecurity/.test(refused.message ?? '');
    return {
      reason: psa ? reasons.podSecurityViolation : reasons.podCreationRefused,
      message:
        `${refused.involvedObject?.kind} ${refused.involvedObject?.name}: ${refused.message ?? ''}`.slice(
          0,
          600,
        ),
      fix: psa
        ? "The engine chart's pods break the namespace's Pod Security level; the chart must be fixed (a platform bug: report it)."
        : `Kubernetes refused to create the pods; read the message, fix the cause (kubectl get events -n ${ns}), then retry.`,
    };
  }
  for (const pod of s.pods) {
    const name = pod.metadata?.name ?? '';
    for (const cs of [
      ...(pod.status?.initContainerStatuses ?? []),
      ...(pod.status?.containerStatuses ?? []),
    ]) {
      const waiting = cs.state?.waiting?.reason;
      if (waiting === 'ImagePullBackOff' || waiting === 'ErrImagePull' || waiting === 'InvalidImageName') {
        return {
          reason: reasons.imagePullFailed,
          message:
            `Pod ${name}: cannot pull image ${cs.image}: ${cs.state?.waiting?.message ?? waiting}`.slice(
              0,
              600,
            ),
          fix: 'Check the image name and tag exist and that the cluster can reach the registry (pull secret, network), then retry.',
        };
      }
      if (waiting === 'ErrImageNeverPull') {
        return {
          reason: reasons.imageNotPresent,
          message:
            `Pod ${name}: ${cs.state?.waiting?.message ?? `image ${cs.image} is not on the node`}`.slice(
              0,
              600,
            ),
          fix: 'The image is not on the node and its pull policy (Never) forbids pulling it: import it into the node (the local cluster: `storeplane dev cluster up --real-node` builds and imports the Storeplane images), or use a pull policy that lets the node pull it; then retry.',
        };
      }
      if (waiting === 'RunContainerError' || waiting === 'CreateContainerError') {
        return {
          reason: reasons.containerStartFailed,
          message:
            `Pod ${name}: container ${cs.name} cannot start: ${cs.state?.waiting?.message ?? waiting}`.slice(
              0,
              600,
            ),
          fix: "The container runtime cannot start it: its command, user or files do not fit the image (read the message). Fix the image or the chart's values, then retry.",
        };
      }
      if (waiting === 'CrashLoopBackOff') {
        const last = cs.lastState?.terminated;
        const exit = last
          ? `; last exit code ${last.exitCode}${last.reason ? `, ${last.reason}` : ''}${last.message ? `: ${last.message.trim()}` : ''}`
          : '';
        return {
          reason: reasons.crashLoopBackOff,
          message:
            `Pod ${name}: container ${cs.name} keeps crashing (${cs.restartCount} restarts${exit})`.slice(
              0,
              600,
            ),
          fix: `Read its logs: kubectl logs -n ${ns} ${name} -c ${cs.name} --previous. Then fix the cause and retry.`,
        };
      }
      if (waiting === 'CreateContainerConfigError') {
        return {
          reason: reasons.containerConfigError,
          message: `Pod ${name}: ${cs.state?.waiting?.message ?? waiting}`.slice(0, 600),
          fix: 'A Secret or ConfigMap the container needs is missing or lacks a key; retry re-creates the store credentials.',
        };
      }
    }
    const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (
      scheduled?.status === 'False' &&
      scheduled.reason === 'Unschedulable' &&
      // Waiting for its volume is not a lack of room: the volume rule below judges that.
      !/unbound immediate PersistentVolumeClaims|persistentvolumeclaim "[^"]*" not found/i.test(
        scheduled.message ?? '',
      ) &&
      olderThan(scheduled.lastTransitionTime, ctx.unschedulableAfterMs ?? 15_000, ctx.now)
    ) {
      return {
        reason: reasons.unschedulable,
        message: `Pod ${name} cannot be scheduled: ${scheduled.message ?? 'no node fits'}`.slice(0, 600),
        fix: `No node can take the pod now (the scheduler's words are above). Add nodes or capacity, or make nodes schedulable again; if no node could ever fit plan "${ctx.plan}", choose a smaller plan. Then retry.`,
      };
    }
  }
  for (const job of s.jobs) {
    if (isScheduledRun(job)) continue;
    const failed = job.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
    if (failed) {
      return {
        reason:
          failed.reason === 'DeadlineExceeded' ? reasons.setupJobDeadlineExceeded : reasons.setupJobFailed,
        message: `Job ${job.metadata?.name} failed: ${failed.reason}: ${failed.message ?? ''}`.slice(0, 600),
        fix: `Read its logs: kubectl logs -n ${ns} job/${job.metadata?.name}. Fix the cause, then retry (the job is idempotent).`,
      };
    }
  }
  for (const pvc of s.pvcs) {
    if (pvc.status?.phase !== 'Pending') continue;
    // Binding can take minutes (network storage, a slow provisioner): only the provisioner
    // saying it failed is a failure.
    const failed = recent.find(
      (e) =>
        e.reason === 'ProvisioningFailed' &&
        e.involvedObject?.name === pvc.metadata?.name &&
        e.involvedObject?.kind === 'PersistentVolumeClaim',
    );
    if (failed) {
      return {
        reason: reasons.volumeProvisioningFailed,
        message:
          `PersistentVolumeClaim ${pvc.metadata?.name} cannot be provisioned: ${failed.message ?? ''}`.slice(
            0,
            600,
          ),
        fix: `Check that the cluster has a StorageClass that can provision volumes (kubectl get storageclass; kubectl describe pvc -n ${ns} ${pvc.metadata?.name}) and room under the plan's storage quota, then retry.`,
      };
    }
  }
  return undefined;
}

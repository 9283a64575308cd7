import { isScheduledRun, type WorkloadSnapshot } from './readiness.ts';

/** A failure a person can act on: what happened, and what to do. */
export interface Diagnosis {
  reason: string;
  message: string;
  fix: string;
}

export interface DiagnosisContext {
  namespace: string;
  plan: string;
  now: Date;
  /** How long a pod may stay unschedulable before it counts as failed (kstatus uses 15 s). */
  unschedulableAfterMs?: number;
  /** Events before this (the start of this attempt) describe an earlier attempt, not this one. */
  since?: Date;
  /** How long a PVC may stay Pending before it counts as failed. */
  pvcPendingAfterMs?: number;
}

const olderThan = (time: string | Date | undefined, ms: number, now: Date) =>
  time !== undefined && now.getTime() - new Date(time).getTime() >= ms;

/**
 * Why a store's workloads are not becoming ready, from Kubernetes signals only. Returns the most
 * actionable finding, or undefined when things are merely still in progress.
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
    ...recent.filter((e) => e.reason === 'FailedCreate').map((e) => e.message ?? ''),
  ].filter((m) => /exceeded quota/.test(m));
  if (quotaMessages[0]) {
    return {
      reason: 'QuotaExceeded',
      message: quotaMessages[0].slice(0, 600),
      fix: `The store's workloads ask for more than plan "${ctx.plan}" allows. Choose a larger plan (or, as an operator, raise the plan's quota), then retry.`,
    };
  }
  // Any other refusal to create pods (Pod Security Admission, a missing ServiceAccount, ...).
  const refused = recent.find(
    (e) => e.reason === 'FailedCreate' && /forbidden|violates|not found/.test(e.message ?? ''),
  );
  if (refused) {
    const psa = /violates PodSecurity/.test(refused.message ?? '');
    return {
      reason: psa ? 'PodSecurityViolation' : 'PodCreationRefused',
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
          reason: 'ImagePullFailed',
          message:
            `Pod ${name}: cannot pull image ${cs.image}: ${cs.state?.waiting?.message ?? waiting}`.slice(
              0,
              600,
            ),
          fix: 'Check the image name and tag exist and that the cluster can reach the registry (pull secret, network), then retry.',
        };
      }
      if (waiting === 'CrashLoopBackOff') {
        return {
          reason: 'CrashLoopBackOff',
          message: `Pod ${name}: container ${cs.name} keeps crashing (${cs.restartCount} restarts)`,
          fix: `Read its logs: kubectl logs -n ${ns} ${name} -c ${cs.name} --previous. Then fix the cause and retry.`,
        };
      }
      if (waiting === 'CreateContainerConfigError') {
        return {
          reason: 'ContainerConfigError',
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
        reason: 'Unschedulable',
        message: `Pod ${name} cannot be scheduled: ${scheduled.message ?? 'no node fits'}`.slice(0, 600),
        fix: `No node has room for plan "${ctx.plan}". Add nodes or capacity to the cluster, or choose a smaller plan, then retry.`,
      };
    }
  }
  for (const job of s.jobs) {
    if (isScheduledRun(job)) continue;
    const failed = job.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
    if (failed) {
      return {
        reason: failed.reason === 'DeadlineExceeded' ? 'SetupJobDeadlineExceeded' : 'SetupJobFailed',
        message: `Job ${job.metadata?.name} failed: ${failed.reason}: ${failed.message ?? ''}`.slice(0, 600),
        fix: `Read its logs: kubectl logs -n ${ns} job/${job.metadata?.name}. Fix the cause, then retry (the job is idempotent).`,
      };
    }
  }
  for (const pvc of s.pvcs) {
    if (
      pvc.status?.phase === 'Pending' &&
      olderThan(pvc.metadata?.creationTimestamp, ctx.pvcPendingAfterMs ?? 60_000, ctx.now)
    ) {
      const event = s.events.find(
        (e) =>
          e.involvedObject?.name === pvc.metadata?.name && e.involvedObject?.kind === 'PersistentVolumeClaim',
      );
      return {
        reason: 'VolumePending',
        message:
          `PersistentVolumeClaim ${pvc.metadata?.name} is still Pending${event?.message ? `: ${event.message}` : ''}`.slice(
            0,
            600,
          ),
        fix: `Check that the cluster has a default StorageClass that can provision volumes (kubectl get storageclass) and room under the plan's storage quota.`,
      };
    }
  }
  return undefined;
}

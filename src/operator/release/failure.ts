import { classifyHelmError, type HelmErrorKind } from '../../helm/classify.ts';
import { reasons } from '../../store/keys.ts';
import type { Diagnosis } from '../decide/outcome.ts';

const byKind: Record<HelmErrorKind, { reason: string; fix: string }> = {
  'release-not-found': { reason: reasons.releaseFailed, fix: 'Retry; the release will be installed again.' },
  pending: {
    reason: reasons.releaseFailed,
    fix: 'Another helm operation holds the release; the operator clears a stale lock on its next pass.',
  },
  timeout: {
    reason: reasons.helmTimeout,
    fix: 'Helm timed out waiting for the setup hooks: check the setup Job (kubectl get jobs,pods -n <namespace>), then retry.',
  },
  quota: {
    reason: reasons.quotaExceeded,
    fix: 'The chart asks for more than the plan allows: choose a larger plan, then retry.',
  },
  immutable: {
    reason: reasons.immutableField,
    fix: 'The chart tried to change a field Kubernetes never changes in place (such as a volume claim template): this is a platform bug, report it with this message.',
  },
  forbidden: {
    reason: reasons.permissionDenied,
    fix: "The operator lacks a permission the chart needs, or the admission policy refused it: check the operator's RBAC (docs/operator-rbac.md).",
  },
  'chart-not-found': {
    reason: reasons.releaseFailed,
    fix: 'The engine chart is missing from the operator image or path: check the operator configuration.',
  },
  'invalid-values': {
    reason: reasons.chartRejectedValues,
    fix: 'The chart refused its values (the message names the value): fix the platform values file, or report it as a platform bug.',
  },
  conflict: {
    reason: reasons.releaseFailed,
    fix: 'An object in the namespace conflicts with the chart: remove it, then retry.',
  },
  unreachable: {
    reason: reasons.apiUnavailable,
    fix: 'The Kubernetes API did not answer; the operator retries by itself.',
  },
  'no-deployed-release': {
    reason: reasons.releaseFailed,
    fix: 'Retry; the release will be installed again.',
  },
  unknown: { reason: reasons.releaseFailed, fix: 'Read the message; fix the cause, then retry.' },
};

/** A failed helm command as a diagnosis, keeping Helm's whole reason. */
export function helmFailure(action: string, stderr: string): Diagnosis {
  const e = classifyHelmError(stderr);
  const { reason, fix } = byKind[e.kind];
  return { reason, message: `helm ${action} failed: ${e.message}`, fix };
}

import { describe, expect, it } from 'vitest';
import { ApiError } from '../../kube/raw.ts';
import { classifyApiError } from './api-error.ts';

const clientNode = (code: number, message: string) =>
  Object.assign(new Error(`HTTP-Code: ${code}`), { code, body: JSON.stringify({ kind: 'Status', message }) });

describe('classifyApiError', () => {
  const cases: { name: string; err: unknown; reason: string; message: RegExp }[] = [
    {
      name: 'RBAC or admission policy refusal',
      err: new ApiError(
        403,
        'Forbidden',
        'rolebindings.rbac.authorization.k8s.io is forbidden: ValidatingAdmissionPolicy denied',
      ),
      reason: 'PermissionDenied',
      message: /refused a request while applying the guardrails: rolebindings.* is forbidden/,
    },
    {
      name: 'a quota in the way is a quota, not a missing permission',
      err: new ApiError(
        403,
        'Forbidden',
        'secrets "x" is forbidden: exceeded quota: q, requested: secrets=1',
      ),
      reason: 'QuotaExceeded',
      message: /ResourceQuota refused a request while applying the guardrails: .*exceeded quota/,
    },
    {
      name: 'immutable field',
      err: clientNode(
        422,
        'StatefulSet.apps "x" is invalid: spec: Forbidden: updates to statefulset spec for fields other than ...',
      ),
      reason: 'ImmutableFieldRefused',
      message: /cannot change/,
    },
    {
      name: 'server error',
      err: new ApiError(503, 'ServiceUnavailable', 'etcd'),
      reason: 'KubernetesApiUnavailable',
      message: /did not answer/,
    },
    {
      name: 'too many requests',
      err: new ApiError(429, 'TooManyRequests', 'slow down'),
      reason: 'KubernetesApiUnavailable',
      message: /did not answer/,
    },
    {
      name: 'connection refused',
      err: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' }),
      reason: 'KubernetesApiUnavailable',
      message: /ECONNREFUSED/,
    },
    {
      name: 'request timeout',
      err: Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }),
      reason: 'KubernetesApiUnavailable',
      message: /timeout/,
    },
    {
      name: 'anything else',
      err: new ApiError(400, 'BadRequest', 'bad'),
      reason: 'KubernetesApiError',
      message: /\(HTTP 400\): bad/,
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const d = classifyApiError(tc.err, 'applying the guardrails');
      expect(d.reason).toBe(tc.reason);
      expect(d.message).toMatch(tc.message);
      expect(d.fix.length).toBeGreaterThan(10);
    });
  }
});

import { reasons } from '../../store/keys.ts';
import type { Diagnosis } from './outcome.ts';

interface ErrorLike {
  code?: unknown;
  statusCode?: unknown;
  reason?: unknown;
  body?: unknown;
  message?: unknown;
  name?: unknown;
  cause?: unknown;
}

function statusOf(e: ErrorLike): number | undefined {
  const c = typeof e.code === 'number' ? e.code : e.statusCode;
  return typeof c === 'number' ? c : undefined;
}

function messageOf(e: ErrorLike): string {
  const body = e.body;
  if (typeof body === 'string') {
    try {
      const m = (JSON.parse(body) as { message?: string }).message;
      if (m) return m;
    } catch {
      return body.slice(0, 600);
    }
  }
  if (body && typeof body === 'object' && 'message' in body)
    return String((body as { message: unknown }).message);
  return String(e.message ?? e);
}

const transientCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
]);

/**
 * An error thrown while a stage talked to Kubernetes, as a failure a person can act on. It then
 * counts like any other failure (status, Event, retry budget) instead of vanishing into a log.
 */
export function classifyApiError(err: unknown, stage: string): Diagnosis {
  const e = (err ?? {}) as ErrorLike;
  const status = statusOf(e);
  const message = messageOf(e).slice(0, 1000);
  const during = `while ${stage}`;
  const code =
    typeof e.code === 'string'
      ? e.code
      : typeof (e.cause as ErrorLike)?.code === 'string'
        ? String((e.cause as ErrorLike).code)
        : '';
  if (status === 403 && /exceeded quota/i.test(message))
    return {
      reason: reasons.quotaExceeded,
      message: `a ResourceQuota refused a request ${during}: ${message}`,
      fix: 'Raise the quota the message names, or free room under it; the operator retries by itself.',
    };
  if (status === 403)
    return {
      reason: reasons.permissionDenied,
      message: `Kubernetes refused a request ${during}: ${message}`,
      fix: 'Grant the operator what docs/operator-rbac.md lists (or fix what the admission policy names), then retry.',
    };
  if (status === 422 && /immutable|Forbidden: updates to|may not be changed/i.test(message))
    return {
      reason: reasons.immutableField,
      message: `Kubernetes refused to change a field that cannot change ${during}: ${message}`,
      fix: 'This is a platform bug: report it with this message. The store keeps running as it was.',
    };
  if (
    status === 429 ||
    (status !== undefined && status >= 500) ||
    transientCodes.has(code) ||
    e.name === 'AbortError' ||
    e.name === 'TimeoutError' ||
    /timed? ?out|socket hang up|network/i.test(message)
  )
    return {
      reason: reasons.apiUnavailable,
      message: `the Kubernetes API did not answer ${during}: ${message}`,
      fix: 'Nothing to do if it passes: the operator retries by itself. If it persists, check the API server.',
    };
  return {
    reason: reasons.apiError,
    message: `a Kubernetes request failed ${during}${status ? ` (HTTP ${status})` : ''}: ${message}`,
    fix: 'Read the message, fix the cause, then retry.',
  };
}

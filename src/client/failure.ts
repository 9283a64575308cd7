/**
 * Why a call to the API did not give what was asked, in the terms a script or an agent acts on:
 * the API's stable error code, its words, and (for limits) which limit and when to try again.
 */
export class ApiFailure extends Error {
  constructor(
    /** The HTTP status; 0 when the API could not be reached. */
    readonly status: number,
    /** The API's error code (`not_found`, `store_limit_reached`, ...), or `unreachable`. */
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly requestId?: string,
    /** From `Retry-After` or the details: seconds to wait before the same call may succeed. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** The codes by which the API refuses for a limit or a rate (src/api/limits/). */
export const limitCodes = new Set([
  'store_limit_reached',
  'platform_full',
  'too_many_provisioning',
  'rate_limited',
]);

export function isLimitRefusal(f: ApiFailure): boolean {
  return limitCodes.has(f.code) || f.status === 429;
}

/** An ApiFailure from an answer that was not 2xx, whatever its body holds. */
export function failureFrom(response: Response, body: unknown): ApiFailure {
  const e = (body as { error?: Record<string, unknown> } | undefined)?.error;
  const code = typeof e?.code === 'string' ? e.code : `http_${response.status}`;
  const message =
    typeof e?.message === 'string'
      ? e.message
      : `The API answered ${response.status} ${response.statusText || ''}`.trim() + '.';
  const details = e?.details && typeof e.details === 'object' ? (e.details as Record<string, unknown>) : {};
  const header = Number(response.headers.get('retry-after'));
  const fromDetails = Number(details.retryAfterSeconds);
  const retryAfter =
    Number.isFinite(header) && header > 0
      ? header
      : Number.isFinite(fromDetails) && fromDetails > 0
        ? fromDetails
        : undefined;
  return new ApiFailure(
    response.status,
    code,
    message,
    details,
    typeof e?.requestId === 'string' ? e.requestId : undefined,
    retryAfter,
  );
}

/** A network failure (refused, DNS, TLS) as an ApiFailure naming the address. */
export function unreachable(server: string, err: unknown): ApiFailure {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (err as Error).message;
  return new ApiFailure(
    0,
    'unreachable',
    `Cannot reach the Storeplane API at ${server} (${why}). Is it running? Set it with --server or storeplane login --server.`,
  );
}

import { createStoreplaneClient, type ApiErrorBody } from '../../../src/api/client/client.ts';

/**
 * The API client the dashboard uses: the generated typed client, same origin (the session
 * cookie), with the session's CSRF token on unsafe requests and every answer of 401 reported
 * once, so the app can send the user back to sign in.
 */
let csrfToken: string | undefined;
let onUnauthorized: (() => void) | undefined;

export function setCsrfToken(token: string | undefined) {
  csrfToken = token;
}
export function whenUnauthorized(handler: (() => void) | undefined) {
  onUnauthorized = handler;
}

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const api = createStoreplaneClient({ baseUrl: window.location.origin });
api.use({
  onRequest({ request }) {
    if (csrfToken && unsafe.has(request.method)) request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
  onResponse({ response, request }) {
    // Signing in with a wrong password is a 401 too, but not an ended session.
    if (response.status === 401 && !request.url.endsWith('/api/v1/session')) onUnauthorized?.();
    return response;
  },
});

/** An error answer of the API, in words, with what a form needs to place it. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> | undefined,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(message);
  }
  /** The field the API blamed (`details.field`), if any. */
  get field(): string | undefined {
    const f = this.details?.field;
    return typeof f === 'string' ? f : undefined;
  }
}

/** The data of an openapi-fetch answer, or an ApiFailure thrown with the API's own message. */
export async function call<T>(
  pending: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await pending;
  } catch {
    throw new ApiFailure(
      0,
      'network',
      'The platform API cannot be reached. Check your connection.',
      undefined,
      undefined,
    );
  }
  const { data, error, response } = result;
  if (response.ok) return data as T;
  const body = (error as ApiErrorBody | undefined)?.error;
  const retry = Number(response.headers.get('retry-after'));
  throw new ApiFailure(
    response.status,
    body?.code ?? `http_${response.status}`,
    body?.message ?? `The API answered ${response.status} ${response.statusText}.`,
    (body?.details as Record<string, unknown> | undefined) ?? undefined,
    Number.isFinite(retry) && retry > 0 ? retry : undefined,
  );
}

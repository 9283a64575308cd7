import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { describeValidation } from './validation-messages.ts';

/**
 * The one error shape of the API (DESIGN.md §10): `{error: {code, message, details?, requestId}}`.
 * Codes are stable snake_case words clients can switch on; messages are for people.
 */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const unauthorized = (message = 'Sign in, or send an API token as "Authorization: Bearer <token>".') =>
  new ApiError(401, 'unauthorized', message);
export const forbidden = (message: string, details?: Record<string, unknown>) =>
  new ApiError(403, 'forbidden', message, details);
/** One answer whether the store is missing or another user's; an admin sees every store. */
export const storeNotFound = (name: string, admin = false) =>
  new ApiError(404, 'not_found', `No store named "${name}"${admin ? '' : ' (or it is not yours)'}.`);
export const notFound = (message: string) => new ApiError(404, 'not_found', message);
/** The router's limit on one path parameter (app.ts); a longer one is 414. */
export const maxParamLength = 256;
export const uriTooLong = () => new ApiError(414, 'uri_too_long', 'A part of the URL is too long.');
export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new ApiError(400, 'invalid_request', message, details);
export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new ApiError(409, code, message, details);

const statusCodes: Record<number, string> = {
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  408: 'request_timeout',
  413: 'body_too_large',
  414: 'uri_too_long',
  431: 'headers_too_large',
};

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown>; requestId: string };
}

export function errorBody(
  request: FastifyRequest,
  code: string,
  message: string,
  details?: Record<string, unknown>,
): ErrorBody {
  return { error: { code, message, ...(details ? { details } : {}), requestId: String(request.id) } };
}

/** Fastify's own errors (parsing, validation, CSRF), each mapped to a code and words. */
function fromFastify(err: FastifyError): ApiError | undefined {
  if (err.validation) {
    const { problems, fields } = describeValidation(err.validation, err.validationContext);
    return badRequest(problems.join(' '), { problems, ...(fields.length === 1 ? { field: fields[0] } : {}) });
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, 'body_too_large', 'The request body is too large.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(
        415,
        'unsupported_media_type',
        'Send the body as JSON (Content-Type: application/json).',
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return badRequest('The JSON body is empty.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError(
        400,
        'malformed_json',
        'The body is not valid JSON (or it holds a "__proto__" or "constructor" key, which is refused).',
      );
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return badRequest('The Content-Length does not match the body.');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return uriTooLong();
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_ASYNC_CONSTRAINT':
      return badRequest('The URL is malformed.');
    case 'FST_CSRF_MISSING_SECRET':
    case 'FST_CSRF_INVALID_TOKEN':
      return new ApiError(
        403,
        'csrf_failed',
        'Missing or wrong CSRF token: send the token from GET /api/v1/session in the X-CSRF-Token header.',
      );
  }
  if (err instanceof SyntaxError || err.statusCode === 400) {
    return new ApiError(400, 'malformed_request', err.message || 'The request is malformed.');
  }
  if (err.statusCode === 415)
    return new ApiError(
      415,
      'unsupported_media_type',
      'Send the body as JSON (Content-Type: application/json).',
    );
  // Any other refusal of Fastify's or a plugin's: the status it chose, in the one error shape.
  if (typeof err.statusCode === 'number' && err.statusCode > 400 && err.statusCode < 500) {
    return new ApiError(
      err.statusCode,
      statusCodes[err.statusCode] ?? 'invalid_request',
      `The request was refused: ${STATUS_CODES[err.statusCode] ?? 'client error'}.`,
    );
  }
  return undefined;
}

export function toApiError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err && typeof err === 'object') return fromFastify(err as FastifyError);
  return undefined;
}

export function handleError(err: unknown, request: FastifyRequest, reply: FastifyReply) {
  const known = toApiError(err);
  if (!known) {
    request.log.error({ err }, 'request failed');
    return reply
      .code(500)
      .send(
        errorBody(
          request,
          'internal',
          'Something went wrong on our side. Quote the request id if you report it.',
        ),
      );
  }
  for (const [k, v] of Object.entries(known.headers ?? {})) reply.header(k, v);
  return reply.code(known.statusCode).send(errorBody(request, known.code, known.message, known.details));
}

/**
 * Fastify's `frameworkErrors`: a URL the router cannot read (bad percent-encoding, a path
 * parameter longer than maxParamLength) is answered before any route or hook runs; this gives
 * it the one error shape and the request id header all other answers have.
 */
export function frameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  reply.header('x-request-id', String(request.id));
  return handleError(err, request, reply);
}

/**
 * Fastify's `clientErrorHandler`: a request Node's HTTP parser refuses (a header with a line
 * break, NUL or other control character, a Content-Length twice, headers too large) never
 * becomes a request; it is answered on the socket, in the one error shape, and the connection closed.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'request_timeout', 'The request took too long to arrive.']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'headers_too_large', 'The request headers are too large.']
        : [
            400,
            'malformed_request',
            'The request is not valid HTTP: a header holds a line break or another control character, or the message is malformed.',
          ];
  const requestId = randomUUID();
  const body = JSON.stringify({ error: { code, message, requestId } });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PlatformDb } from '../db/platform-db.ts';
import { ApiError } from '../http/errors.ts';

/**
 * Idempotency-Key on POST (IETF httpapi draft): the first request with a key runs; the same key
 * with the same request replays the first response (`Idempotent-Replayed: true`); the same key
 * with another request is 422; a second request while the first still runs waits for it. Keys
 * are per user and kept for the configured time (24 h by default).
 */
declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { userId: string; key: string };
  }
}

const keyPattern = /^[\x21-\x7e]{1,255}$/;
const replayedHeaders = ['content-type', 'location'];
const waitMs = 10_000;

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function fingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method}\n${path}\n${canonicalJson(body ?? null)}`)
    .digest('hex');
}

/** Responses replayed for later requests with the key; others free the key for a new try. */
export function isReplayable(status: number): boolean {
  return status < 500 && status !== 408 && status !== 409 && status !== 429;
}

export function idempotencyHooks(db: PlatformDb, ttlMs: number) {
  async function preHandler(request: FastifyRequest, reply: FastifyReply) {
    const header = request.headers['idempotency-key'];
    if (header === undefined) return;
    if (typeof header !== 'string' || !keyPattern.test(header)) {
      throw new ApiError(
        400,
        'invalid_idempotency_key',
        'Idempotency-Key must be 1 to 255 printable ASCII characters.',
      );
    }
    const userId = request.actor!.user.id;
    const fp = fingerprint(request.method, request.url.split('?')[0]!, request.body);
    const deadline = Date.now() + waitMs;
    for (;;) {
      const now = new Date();
      const claim = await db.idempotency.claim(
        userId,
        header,
        fp,
        now.toISOString(),
        new Date(now.getTime() + ttlMs).toISOString(),
      );
      switch (claim.kind) {
        case 'claimed':
          request.idempotency = { userId, key: header };
          return;
        case 'mismatch':
          throw new ApiError(
            422,
            'idempotency_key_reused',
            'This Idempotency-Key was used with a different request; use a new key for a new request.',
          );
        case 'done': {
          const saved = JSON.parse(claim.response) as { headers: Record<string, string>; body: string };
          for (const [k, v] of Object.entries(saved.headers)) reply.header(k, v);
          request.auditDetails = { ...request.auditDetails, idempotentReplay: true };
          return reply.code(claim.statusCode).header('idempotent-replayed', 'true').send(saved.body);
        }
        case 'pending':
          if (Date.now() > deadline) {
            throw new ApiError(
              409,
              'idempotency_in_progress',
              'A request with this Idempotency-Key is still being processed; try again shortly.',
              { retryAfterSeconds: 1 },
              { 'retry-after': '1' },
            );
          }
          await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  async function onSend(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
    const claim = request.idempotency;
    if (!claim) return payload;
    request.idempotency = undefined;
    if (!isReplayable(reply.statusCode)) {
      await db.idempotency.release(claim.userId, claim.key);
      return payload;
    }
    const headers: Record<string, string> = {};
    for (const h of replayedHeaders) {
      const v = reply.getHeader(h);
      if (v !== undefined) headers[h] = String(v);
    }
    await db.idempotency.complete(
      claim.userId,
      claim.key,
      reply.statusCode,
      JSON.stringify({ headers, body: String(payload ?? '') }),
    );
    return payload;
  }

  return { preHandler, onSend };
}

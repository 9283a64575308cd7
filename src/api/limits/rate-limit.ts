import rateLimit, { type FastifyRateLimitStore, type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiRateLimits, RateRule } from '../config.ts';
import type { PlatformDb } from '../db/platform-db.ts';
import { assertWindow } from '../db/counters.ts';
import { ApiError } from '../http/errors.ts';

/**
 * Rate limits with @fastify/rate-limit, counted in the platform DB (one atomic statement per
 * hit), so they hold across API replicas that share a PostgreSQL. Draft-spec `RateLimit-*`
 * headers on every answer and `Retry-After` on 429.
 */
type Hit = (key: string, windowMs: number, nowMs: number) => Promise<{ count: number; windowStart: number }>;

/**
 * Counters in this process, for SQLite, where there is one API process: the same answers as the
 * database's counters (a key's window opens at its first hit) without a write per request (on
 * SQLite those writes, and the WAL checkpoints they cause, were the tail of bench:api's latency).
 */
export function memoryCounters(): Hit {
  const windows = new Map<string, { windowStart: number; windowMs: number; count: number }>();
  let sweptAt = 0;
  return async (key, windowMs, nowMs) => {
    assertWindow(windowMs);
    if (nowMs - sweptAt > 60_000) {
      // Drop windows that ended: the map holds only callers seen in their open windows.
      for (const [k, w] of windows) if (w.windowStart + w.windowMs <= nowMs) windows.delete(k);
      sweptAt = nowMs;
    }
    const w = windows.get(key);
    if (!w || w.windowStart + windowMs <= nowMs) {
      windows.set(key, { windowStart: nowMs, windowMs, count: 1 });
      return { count: 1, windowStart: nowMs };
    }
    w.count++;
    return { count: w.count, windowStart: w.windowStart };
  };
}

function counterStore(hit: Hit): FastifyRateLimitStoreCtor {
  class CounterStore implements FastifyRateLimitStore {
    constructor(
      _options: unknown,
      private readonly group = 'all',
    ) {}
    incr(
      key: string,
      callback: (e: Error | null, r?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ) {
      hit(`rl:${this.group}:${key}`, timeWindow, Date.now()).then(
        ({ count, windowStart }) =>
          callback(null, { current: count, ttl: Math.max(0, windowStart + timeWindow - Date.now()) }),
        (err: Error) => callback(err),
      );
    }
    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]) {
      const info = (routeOptions as { routeInfo?: { method?: unknown; url?: string } }).routeInfo ?? {};
      return new CounterStore(routeOptions, `${String(info.method ?? '')}${info.url ?? ''}`);
    }
  }
  return CounterStore as unknown as FastifyRateLimitStoreCtor;
}

export const callerKey = (request: FastifyRequest) =>
  request.actor ? `user:${request.actor.user.id}` : `ip:${request.ip}`;

export function rateLimitError(limit: string, max: number, windowMs: number, ttlMs: number): ApiError {
  const retryAfterSeconds = Math.max(1, Math.ceil(ttlMs / 1000));
  return new ApiError(
    429,
    'rate_limited',
    `Too many requests: the ${limit} limit is ${max} per ${Math.round(windowMs / 1000)} s. Try again in ${retryAfterSeconds} s.`,
    { limit, max, windowSeconds: Math.round(windowMs / 1000), retryAfterSeconds },
    { 'retry-after': String(retryAfterSeconds) },
  );
}

export async function registerRateLimits(
  app: FastifyInstance,
  db: PlatformDb,
  rules: ApiRateLimits,
  onRefused: (request: FastifyRequest, limit: string) => void,
) {
  await app.register(rateLimit, {
    global: true,
    hook: 'onRequest',
    enableDraftSpec: true,
    max: rules.general.max,
    timeWindow: rules.general.windowMs,
    keyGenerator: callerKey,
    // Shared through the database where replicas share one (PostgreSQL); in memory on SQLite.
    store: counterStore(db.dialect === 'postgres' ? (k, w, n) => db.counters.hit(k, w, n) : memoryCounters()),
    errorResponseBuilder: (request, ctx) => {
      const limit = request.routeOptions.config.rateLimitName ?? 'general';
      onRefused(request, limit);
      return rateLimitError(
        limit,
        ctx.max,
        Number(request.routeOptions.config.rateLimitWindowMs ?? rules.general.windowMs),
        ctx.ttl,
      );
    },
  });
}

/** Route config for a stricter limit on one route (create, login, reveal). */
export function routeLimit(name: string, rule: RateRule, key: (r: FastifyRequest) => string = callerKey) {
  return {
    rateLimitName: name,
    rateLimitWindowMs: rule.windowMs,
    rateLimit: { max: rule.max, timeWindow: rule.windowMs, keyGenerator: key },
  };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    rateLimitName?: string;
    rateLimitWindowMs?: number;
  }
}

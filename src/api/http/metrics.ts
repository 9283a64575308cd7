import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { StoreReader } from '../context.ts';
import { engines, phases } from '../../store/schema.ts';
import { storePhase } from '../stores/view.ts';

/** The API's Prometheus metrics, on its own registry (the operator keeps its own). */
export function apiMetrics(stores: () => StoreReader | undefined) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'storeplane_api_' });
  const requestDuration = new Histogram({
    name: 'storeplane_api_http_request_duration_seconds',
    help: 'HTTP request duration by route, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const authFailures = new Counter({
    name: 'storeplane_api_auth_failures_total',
    help: 'Requests refused for missing or bad credentials, and failed logins, by reason.',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'storeplane_api_rate_limited_total',
    help: 'Requests refused by a rate limit, by limit.',
    labelNames: ['limit'] as const,
    registers: [registry],
  });
  const quotaRefusals = new Counter({
    name: 'storeplane_api_quota_refusals_total',
    help: 'Store creations refused by a store limit, by limit.',
    labelNames: ['limit'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'storeplane_stores',
    help: 'Stores by phase and engine, from the API’s cache.',
    labelNames: ['phase', 'engine'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const reader = stores();
      if (!reader?.synced()) return;
      const counts = new Map<string, number>();
      for (const s of reader.list()) {
        const key = `${storePhase(s)}\u0000${s.spec.engine}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      for (const phase of phases) {
        for (const engine of engines) this.set({ phase, engine }, counts.get(`${phase}\u0000${engine}`) ?? 0);
      }
    },
  });
  return { registry, requestDuration, authFailures, rateLimited, quotaRefusals };
}

export type ApiMetrics = ReturnType<typeof apiMetrics>;

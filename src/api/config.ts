/** Everything an API process is told at start; defaults are what `storeplane start` uses. */
export interface RateRule {
  /** Requests allowed per window. */
  max: number;
  windowMs: number;
}

export interface ApiLimits {
  /** Stores a user may own unless an admin sets another number for them. */
  storeLimit: number;
  /** Stores on the whole platform. */
  globalStoreCap: number;
  /** Stores of one user provisioning at the same time. */
  provisioningPerUser: number;
}

export interface ApiRateLimits {
  /** Every request, per user (or per IP when anonymous). */
  general: RateRule;
  /** Store creation per user. */
  create: RateRule;
  /** Login attempts per IP. */
  login: RateRule;
  /** Failed logins per account before it is locked for the rest of the window. */
  loginFailuresPerAccount: RateRule;
  /** Failed logins per IP before that IP is locked for the rest of the window. */
  loginFailuresPerIp: RateRule;
  /** Credential reveals per user. */
  reveal: RateRule;
}

export interface ApiConfig {
  limits: ApiLimits;
  rateLimits: ApiRateLimits;
  /** Bytes. */
  bodyLimit: number;
  sessionTtlSeconds: number;
  /** Origins allowed by CORS; empty means no CORS headers at all (the dashboard is same-origin). */
  corsOrigins: string[];
  /** Trust X-Forwarded-* from a proxy in front (the platform chart's Ingress). */
  trustProxy: boolean;
  /** How long a claimed Idempotency-Key is kept. */
  idempotencyTtlMs: number;
  /** SSE heartbeat interval. */
  heartbeatMs: number;
  /** How often an open event stream re-checks its session or token (default 30 s). */
  streamRecheckMs?: number;
  /**
   * Where the stores run, for the dashboard's banner: `storeplane start` sets it when it runs
   * the local simulated cluster; absent means a real cluster.
   */
  cluster?: { kind: 'simulated' | 'kubernetes'; realNode: boolean };
}

const minute = 60_000;

export const defaultApiConfig: ApiConfig = {
  limits: { storeLimit: 5, globalStoreCap: 200, provisioningPerUser: 3 },
  rateLimits: {
    general: { max: 600, windowMs: minute },
    create: { max: 30, windowMs: minute },
    login: { max: 20, windowMs: minute },
    loginFailuresPerAccount: { max: 5, windowMs: 15 * minute },
    loginFailuresPerIp: { max: 30, windowMs: 15 * minute },
    reveal: { max: 10, windowMs: minute },
  },
  bodyLimit: 64 * 1024,
  sessionTtlSeconds: 12 * 3600,
  corsOrigins: [],
  trustProxy: false,
  idempotencyTtlMs: 24 * 3600 * 1000,
  heartbeatMs: 15_000,
};

export type ApiConfigOverrides = Partial<Omit<ApiConfig, 'limits' | 'rateLimits'>> & {
  limits?: Partial<ApiLimits>;
  rateLimits?: Partial<ApiRateLimits>;
};

export function apiConfig(o: ApiConfigOverrides = {}): ApiConfig {
  return {
    ...defaultApiConfig,
    ...o,
    limits: { ...defaultApiConfig.limits, ...o.limits },
    rateLimits: { ...defaultApiConfig.rateLimits, ...o.rateLimits },
  };
}

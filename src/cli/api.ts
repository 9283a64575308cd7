import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadKubeConfig } from '../kube/context.ts';
import yaml from 'js-yaml';
import { pino, type Logger } from 'pino';
import { apiConfig, type ApiConfig, type ApiConfigOverrides } from '../api/config.ts';
import { startApiServer, type ApiServer } from '../api/server.ts';
import { builtDashboard } from './dashboard.ts';
import { reportIfStillRunning } from './slow-exit.ts';
import { metricsAddress, UsageError } from './operator.ts';

export interface ApiFlags {
  'data-dir'?: string;
  port?: string;
  host?: string;
  kubeconfig?: string;
  'admin-password-file'?: string;
  'api-config'?: string;
  'cors-origin'?: string[];
  'trust-proxy'?: boolean;
  'metrics-bind-address'?: string;
}

/** Pino for the API: credentials that could reach a log line are redacted by path. */
export function apiLogger(): Logger {
  return pino(
    {
      name: 'storeplane-api',
      level: process.env.LOG_LEVEL ?? 'info',
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          '*.password',
          '*.token',
          '*.databaseUrl',
        ],
        censor: '[redacted]',
      },
    },
    pino.destination(2),
  );
}

function configFrom(f: ApiFlags): ApiConfig {
  let overrides: ApiConfigOverrides = {};
  if (f['api-config']) {
    const parsed = yaml.load(readFileSync(f['api-config'], 'utf8'));
    if (parsed !== undefined && (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))) {
      throw new UsageError(`--api-config ${f['api-config']}: expected a mapping of settings`);
    }
    overrides = (parsed ?? {}) as ApiConfigOverrides;
  }
  const config = apiConfig({
    ...overrides,
    ...(f['cors-origin'] ? { corsOrigins: f['cors-origin'] } : {}),
    ...(f['trust-proxy'] ? { trustProxy: true } : {}),
  });
  for (const [k, v] of Object.entries(config.limits)) {
    if (!Number.isInteger(v) || v < 0)
      throw new UsageError(`api config limits.${k} must be a whole number (got ${String(v)})`);
  }
  for (const [k, r] of Object.entries(config.rateLimits)) {
    if (!(Number.isInteger(r.max) && r.max >= 1 && Number.isInteger(r.windowMs) && r.windowMs >= 1000)) {
      throw new UsageError(`api config rateLimits.${k} needs max >= 1 and windowMs >= 1000`);
    }
  }
  return config;
}

function portOf(value: string | undefined): number {
  if (value === undefined) return 8080;
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 0 && n <= 65535)) throw new UsageError(`--port takes 0 to 65535 (got "${value}")`);
  return n;
}

/** Users, sessions, tokens, the audit log: kept apart from the dev cluster, which `down` deletes. */
export function platformDataDir(f: ApiFlags): string {
  return (
    f['data-dir'] ??
    join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'storeplane', 'platform')
  );
}

/** Starts the API for `storeplane api` and `storeplane start`; prints where to sign in. */
export async function startApi(
  f: ApiFlags,
  kubeconfigPath?: string,
  extra: { cluster?: ApiConfig['cluster']; dashboardDir?: string } = {},
): Promise<ApiServer> {
  const config = configFrom(f);
  if (extra.cluster) config.cluster = extra.cluster;
  const dashboardDir = extra.dashboardDir ?? builtDashboard();
  const kc = loadKubeConfig(kubeconfigPath ?? f.kubeconfig);
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const server = await startApiServer({
    kc,
    dataDir: platformDataDir(f),
    databaseUrl,
    host: f.host ?? '127.0.0.1',
    port: portOf(f.port),
    config,
    adminPasswordFile: f['admin-password-file'],
    log: apiLogger(),
    ...(f['metrics-bind-address']
      ? { metricsAddress: metricsAddress({ 'metrics-bind-address': f['metrics-bind-address'] }) }
      : {}),
    ...(dashboardDir ? { dashboardDir } : {}),
  });
  const say = (line: string) => process.stderr.write(`${line}\n`);
  if (dashboardDir) say(`Storeplane dashboard at ${server.url}/`);
  say(`Storeplane API at ${server.url}/api/v1 (OpenAPI: ${server.url}/api/v1/openapi.json)`);
  if (server.metricsUrl) say(`Metrics at ${server.metricsUrl}/metrics`);
  if (server.bootstrap.created && server.bootstrap.passwordFile) {
    say(
      `First start: created the user "admin". Its password is in ${server.bootstrap.passwordFile} (mode 0600).`,
    );
    // Shown once, and only to a person at a terminal: CI logs and log collectors never get it.
    if (process.stderr.isTTY) say(`  admin password: ${server.bootstrap.password}`);
  } else if (server.bootstrap.created) {
    say('First start: created the user "admin" with the password from --admin-password-file.');
  }
  say(
    server.bootstrap.created && server.bootstrap.passwordFile
      ? `From a shell: ./bin/storeplane login --server ${server.url} --username admin --password-stdin < ${server.bootstrap.passwordFile}`
      : `From a shell: ./bin/storeplane login --server ${server.url}`,
  );
  return server;
}

/** `storeplane api`: only the API, until SIGTERM or SIGINT. */
export async function runApi(f: ApiFlags): Promise<number> {
  const server = await startApi(f);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await server.close();
  reportIfStillRunning(apiLogger());
  return 0;
}

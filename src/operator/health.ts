import { createServer } from 'node:http';
import type { OperatorMetrics } from './metrics.ts';

export interface Readiness {
  ok: boolean;
  role: 'leader' | 'standby';
  /** What has not synced yet. */
  pending: string[];
}

export interface HealthServer {
  port(): number | undefined;
  close(): void;
}

/**
 * /metrics (Prometheus), /healthz (the process answers) and /readyz: true only once the Store
 * informer and the watches have synced, saying whether this replica leads or stands by (a
 * standby is ready: it takes over with warm caches).
 */
export async function startHealthServer(
  address: { host: string; port: number },
  o: {
    metrics: OperatorMetrics;
    ready: () => Readiness;
    queueDepth: () => number;
    helmRunning: () => number;
  },
): Promise<HealthServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/metrics') {
      o.metrics.queueDepth.set(o.queueDepth());
      o.metrics.helmRunning.set(o.helmRunning());
      void o.metrics.registry.metrics().then((body) => {
        res.writeHead(200, { 'content-type': o.metrics.registry.contentType });
        res.end(body);
      });
    } else if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    } else if (path === '/readyz') {
      const r = o.ready();
      res.writeHead(r.ok ? 200 : 503, { 'content-type': 'application/json' }).end(`${JSON.stringify(r)}\n`);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, resolve);
  });
  return {
    port: () => {
      const a = server.address();
      return a && typeof a === 'object' ? a.port : undefined;
    },
    close: () => server.close(),
  };
}

import { type IncomingMessage, type Server, type ServerResponse, createServer, request } from 'node:http';
import {
  CoreV1Api,
  type KubeConfig,
  NetworkingV1Api,
  type V1Ingress,
  type V1Service,
} from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { resilientInformer } from '../../../kube/informer.ts';
import { type Route, match, routeTable } from './routes.ts';

/** The Host a health check sends (no Ingress can claim it: .invalid is reserved). */
export const healthHost = 'healthz.storeplane.invalid';

/**
 * The local cluster's Ingress controller: a reverse proxy on the host that routes each request by
 * Host and path to the Service an Ingress names (its ClusterIP, reachable from the host through
 * kube-proxy). Only what a store's Ingress uses: Prefix and Exact paths, plain HTTP.
 */
export async function startIngressProxy(
  kc: KubeConfig,
  listen: { host: string; port: number },
  log: Logger,
): Promise<{ server: Server; stop: () => Promise<void> }> {
  const net = kc.makeApiClient(NetworkingV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  const ingresses = resilientInformer<V1Ingress>(
    kc,
    '/apis/networking.k8s.io/v1/ingresses',
    () => net.listIngressForAllNamespaces(),
    log,
  );
  const services = resilientInformer<V1Service>(
    kc,
    '/api/v1/services',
    () => core.listServiceForAllNamespaces(),
    log,
  );
  let routes: Route[] = [];
  const rebuild = () => {
    const table = routeTable(ingresses.list(), services.list());
    routes = table.routes;
    for (const p of table.problems) log.warn(p, 'ingress rule left out');
  };
  for (const ev of ['add', 'update', 'delete'] as const) {
    ingresses.on(ev, rebuild);
    services.on(ev, rebuild);
  }
  await Promise.all([ingresses.start(), services.start()]);
  rebuild();

  const server = createServer((req, res) => proxy(req, res, routes, log));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, resolve);
  });
  return {
    server,
    async stop() {
      await Promise.all([ingresses.stopForGood(), services.stopForGood()]);
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function proxy(req: IncomingMessage, res: ServerResponse, routes: Route[], log: Logger): void {
  const host = req.headers.host ?? '';
  if (host === healthHost) {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    return;
  }
  const route = match(routes, host, req.url ?? '/');
  if (!route) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`No Ingress serves ${host}${req.url}\n`);
    return;
  }
  const upstream = request(
    {
      host: route.target.ip,
      port: route.target.port,
      method: req.method,
      path: req.url,
      headers: {
        ...req.headers,
        'x-forwarded-for': req.socket.remoteAddress ?? '',
        'x-forwarded-host': host,
        'x-forwarded-proto': 'http',
      },
    },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.rawHeaders);
      up.pipe(res);
    },
  );
  upstream.on('error', (err) => {
    log.warn({ route: route.from, err: err.message }, 'upstream failed');
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`The service behind ${route.from} did not answer: ${err.message}\n`);
  });
  req.pipe(upstream);
}

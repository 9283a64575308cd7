import type { V1Ingress, V1Service } from '@kubernetes/client-node';

/** The IngressClass this controller serves (the local cluster's default class). */
export const ingressClassName = 'storeplane-dev';
export const ingressController = 'storeplane.dev/dev-ingress';

export interface Route {
  host: string;
  path: string;
  pathType: 'Prefix' | 'Exact';
  /** Where the Service answers (its ClusterIP; kube-proxy forwards from the host too). */
  target: { ip: string; port: number };
  /** namespace/ingress, for logs. */
  from: string;
}

export type Problem = { from: string; problem: string };

/**
 * The routing table of every Ingress of our class (or of no class: ours is the default), resolved
 * against the Services' ClusterIPs. Rules that name a missing Service or port are left out and
 * reported, the way ingress-nginx answers 503 for them.
 */
export function routeTable(
  ingresses: readonly V1Ingress[],
  services: readonly V1Service[],
): { routes: Route[]; problems: Problem[] } {
  const svc = new Map(services.map((s) => [`${s.metadata?.namespace}/${s.metadata?.name}`, s]));
  const routes: Route[] = [];
  const problems: Problem[] = [];
  for (const ing of ingresses) {
    const cls = ing.spec?.ingressClassName;
    if (cls && cls !== ingressClassName) continue;
    const ns = ing.metadata?.namespace ?? 'default';
    const from = `${ns}/${ing.metadata?.name}`;
    for (const rule of ing.spec?.rules ?? []) {
      for (const p of rule.http?.paths ?? []) {
        const backend = p.backend.service;
        if (!backend) continue;
        const s = svc.get(`${ns}/${backend.name}`);
        const ip = s?.spec?.clusterIP;
        const port = s?.spec?.ports?.find((sp) =>
          backend.port?.name ? sp.name === backend.port.name : sp.port === backend.port?.number,
        )?.port;
        if (!ip || ip === 'None' || !port) {
          problems.push({ from, problem: `service ${backend.name} or its port is missing` });
          continue;
        }
        routes.push({
          host: (rule.host ?? '').toLowerCase(),
          path: p.path || '/',
          pathType: p.pathType === 'Exact' ? 'Exact' : 'Prefix',
          target: { ip, port },
          from,
        });
      }
    }
  }
  return { routes, problems };
}

/** Ingress path semantics: Exact matches the whole path; Prefix matches whole segments. */
function pathMatches(route: Route, path: string): boolean {
  if (route.pathType === 'Exact') return path === route.path;
  const prefix = route.path.replace(/\/+$/, '');
  return prefix === '' || path === prefix || path.startsWith(`${prefix}/`);
}

/** The route for a request: its host (without port) first, then the longest matching path. */
export function match(routes: Route[], hostHeader: string, url: string): Route | undefined {
  const host = hostHeader.toLowerCase().replace(/:\d+$/, '');
  const path = url.split('?')[0] ?? '/';
  const candidates = routes.filter((r) => (r.host === '' || r.host === host) && pathMatches(r, path));
  return candidates.sort(
    (a, b) =>
      Number(b.host !== '') - Number(a.host !== '') ||
      Number(b.pathType === 'Exact') - Number(a.pathType === 'Exact') ||
      b.path.length - a.path.length,
  )[0];
}

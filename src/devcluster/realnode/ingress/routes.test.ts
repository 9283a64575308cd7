import type { V1Ingress, V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { match, routeTable } from './routes.ts';

const service = (name: string, ip: string, ports: { name: string; port: number }[]): V1Service => ({
  metadata: { name, namespace: 'store-shop' },
  spec: { clusterIP: ip, ports },
});
const services = [
  service('shop-server', '10.96.0.20', [{ name: 'http', port: 9000 }]),
  service('shop-storefront', '10.96.0.21', [{ name: 'http', port: 8000 }]),
  service('headless', 'None', [{ name: 'http', port: 1 }]),
];
const ingress = (name: string, spec: V1Ingress['spec']): V1Ingress => ({
  metadata: { name, namespace: 'store-shop' },
  spec,
});
const byName = (svc: string, port: string | number) => ({
  service: { name: svc, port: typeof port === 'string' ? { name: port } : { number: port } },
});
const shop = ingress('shop', {
  rules: [
    {
      host: 'shop.localhost',
      http: {
        paths: [
          { path: '/store', pathType: 'Prefix', backend: byName('shop-server', 'http') },
          { path: '/health', pathType: 'Exact', backend: byName('shop-server', 9000) },
          { path: '/', pathType: 'Prefix', backend: byName('shop-storefront', 'http') },
        ],
      },
    },
  ],
});

describe('routeTable', () => {
  it('resolves named and numbered ports to the Service ClusterIP', () => {
    const { routes, problems } = routeTable([shop], services);
    expect(problems).toEqual([]);
    expect(routes.map((r) => [r.path, r.target])).toEqual([
      ['/store', { ip: '10.96.0.20', port: 9000 }],
      ['/health', { ip: '10.96.0.20', port: 9000 }],
      ['/', { ip: '10.96.0.21', port: 8000 }],
    ]);
  });

  it('skips Ingresses of another class and reports missing services, ports and headless ones', () => {
    const other = ingress('nginx', { ingressClassName: 'nginx', rules: shop.spec?.rules ?? [] });
    const broken = ingress('broken', {
      rules: [
        {
          host: 'b.localhost',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: byName('gone', 'http') },
              { path: '/x', pathType: 'Prefix', backend: byName('shop-server', 'grpc') },
              { path: '/y', pathType: 'Prefix', backend: byName('headless', 'http') },
            ],
          },
        },
      ],
    });
    const { routes, problems } = routeTable([other, broken], services);
    expect(routes).toEqual([]);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toEqual({
      from: 'store-shop/broken',
      problem: 'service gone or its port is missing',
    });
  });
});

describe('match', () => {
  const { routes } = routeTable([shop], services);
  const cases: [host: string, url: string, want: string | undefined][] = [
    ['shop.localhost', '/', '/'],
    ['shop.localhost:8080', '/products/tee?x=1', '/'],
    ['SHOP.localhost', '/store/products', '/store'],
    ['shop.localhost', '/store', '/store'],
    // Prefix matches whole path segments only.
    ['shop.localhost', '/storefront-page', '/'],
    ['shop.localhost', '/health', '/health'],
    ['shop.localhost', '/health/x', '/'],
    ['other.localhost', '/', undefined],
    ['', '/', undefined],
  ];
  for (const [host, url, want] of cases)
    it(`${host || '(no host)'} ${url} → ${want ?? 'none'}`, () => {
      expect(match(routes, host, url)?.path).toBe(want);
    });

  it('prefers a rule for the host over a rule for any host', () => {
    const anyHost = ingress('any', {
      rules: [
        {
          http: { paths: [{ path: '/store', pathType: 'Prefix', backend: byName('shop-storefront', 8000) }] },
        },
      ],
    });
    const table = routeTable([anyHost, shop], services).routes;
    expect(match(table, 'shop.localhost', '/store/x')?.target.ip).toBe('10.96.0.20');
    expect(match(table, 'else.localhost', '/store/x')?.target.ip).toBe('10.96.0.21');
  });
});

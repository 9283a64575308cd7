import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/devcluster/ports.ts';
import { makeClients } from '../../src/kube/clients.ts';
import { installStoreCrd } from '../../src/store/install-crd.ts';
import { type PrivateCluster, privateCluster } from '../operator/harness.ts';
import { ApiProcess, type Caller, callerHeaders, createMember, EventReader, signIn } from './harness.ts';

/** The server as an operator of the platform sees it: readiness, headers, metrics, shutdown. */
let c: PrivateCluster;
const apis: ApiProcess[] = [];

beforeAll(async () => {
  c = await privateCluster();
}, 120_000);

afterAll(async () => {
  for (const a of apis) await a.stop().catch(() => undefined);
  await c?.stop();
});

describe('readiness', () => {
  it('/readyz is 503 until the Store cache has synced, /healthz answers at once', async () => {
    // No Store CRD yet: the informer cannot list stores.
    const api = await new ApiProcess({ kubeconfig: c.kubeconfig, waitForHealthOnly: true }).start();
    apis.push(api);
    const before = await fetch(`${api.url}/readyz`);
    expect(before.status).toBe(503);
    expect(await before.json()).toEqual({ ready: false, checks: { database: true, stores: false } });
    const clients = await makeClients(c.kc);
    await installStoreCrd(clients);
    clients.close();
    const deadline = Date.now() + 60_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      status = (await fetch(`${api.url}/readyz`)).status;
      await sleep(250);
    }
    expect(status).toBe(200);
  });
});

describe('HTTP surface', () => {
  let api: ApiProcess;
  let admin: Caller;

  beforeAll(async () => {
    api = await new ApiProcess({
      kubeconfig: c.kubeconfig,
      args: ['--cors-origin', 'https://console.example.com'],
    }).start();
    apis.push(api);
    admin = await signIn(api);
  });

  it('sends security headers and a request id on every answer', async () => {
    for (const path of ['/api/v1/stores', '/api/v1/nope', '/healthz']) {
      const res = await fetch(`${api.url}${path}`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      // Not upgrade-insecure-requests: on a plain-http origin it blanks the dashboard.
      expect(res.headers.get('content-security-policy')).not.toMatch(/upgrade-insecure-requests/);
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('allows CORS only for a configured origin', async () => {
    const ok = await fetch(`${api.url}/api/v1/stores`, {
      headers: { origin: 'https://console.example.com' },
    });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://console.example.com');
    const other = await fetch(`${api.url}/api/v1/stores`, {
      headers: { origin: 'https://evil.example.com' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('without --cors-origin sends no CORS headers at all', async () => {
    const plain = await new ApiProcess({ kubeconfig: c.kubeconfig }).start();
    apis.push(plain);
    const res = await fetch(`${plain.url}/api/v1/stores`, {
      headers: { origin: 'https://console.example.com' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    await plain.stop();
  });

  it('serves Prometheus metrics: request durations, auth failures, rate limits, stores by phase and engine', async () => {
    await fetch(`${api.url}/api/v1/stores`); // 401
    const m = await createMember(admin, 'moe');
    const moe = await signIn(api, m.username, m.password);
    expect(
      (await moe.request('POST', '/api/v1/stores', { displayName: 'Moe Market', engine: 'woocommerce' }))
        .status,
    ).toBe(201);
    await sleep(500);
    const text = await (await fetch(`${api.url}/metrics`)).text();
    expect(text).toMatch(
      /storeplane_api_http_request_duration_seconds_bucket\{.*route="\/api\/v1\/stores".*status="201"/,
    );
    expect(text).toMatch(/storeplane_api_auth_failures_total\{reason="no credentials"\} [1-9]/);
    expect(text).toContain('storeplane_api_rate_limited_total');
    expect(text).toMatch(/storeplane_stores\{phase="Pending",engine="woocommerce"\} 1/);
  });

  it('--metrics-bind-address moves /metrics off the public port (behind an Ingress it is the world’s)', async () => {
    const port = await freePort();
    const apart = await new ApiProcess({
      kubeconfig: c.kubeconfig,
      args: ['--metrics-bind-address', `127.0.0.1:${port}`],
    }).start();
    apis.push(apart);
    // Not there: a 404, or the dashboard's page where a dashboard is served (its routes are /*).
    const publicMetrics = await fetch(`${apart.url}/metrics`);
    const body = await publicMetrics.text();
    expect(body).not.toContain('storeplane_api_http_request_duration_seconds');
    expect(publicMetrics.status === 404 || body.includes('<div id="root">')).toBe(true);
    const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('storeplane_api_http_request_duration_seconds');
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/stores`)).status).toBe(404);
    expect(apart.logs()).toContain(`Metrics at http://127.0.0.1:${port}/metrics`);
  });

  it('ends open event streams and exits cleanly on SIGTERM', async () => {
    const short = await new ApiProcess({ kubeconfig: c.kubeconfig }).start();
    const caller = await signIn(short);
    const stream = new EventReader(`${short.url}/api/v1/stores/stream`, callerHeaders(caller));
    await stream.waitFor((e) => e.event === 'snapshot');
    const t0 = Date.now();
    expect(await short.stop()).toBe(0);
    const seconds = (Date.now() - t0) / 1000;
    await stream.done;
    process.stderr.write(`[api] SIGTERM with an open stream: exited in ${seconds.toFixed(2)} s\n`);
    expect(short.logs()).not.toMatch(/"level":50/);
  });
});

import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot } from './charts.ts';

/**
 * engines/woocommerce/order-check.sh against a stand-in for a WooCommerce store that answers the
 * requests of the Store API and the admin side the way WooCommerce documents them. It proves the
 * script's logic (tokens, payloads, failure handling); that WooCommerce itself answers the same
 * way is only proven on a real cluster (`helm test`).
 */
const script = join(repoRoot, 'engines', 'woocommerce', 'order-check.sh');
const admin = { user: 'storeadmin', password: 'correct horse' };

interface Recorded {
  method: string;
  path: string;
  host: string;
  headers: IncomingMessage['headers'];
  body: string;
}

class FakeStore {
  requests: Recorded[] = [];
  checkoutStatus = 200;
  adminEmail?: string;
  placed?: { email: string; productId: number };
  server: Server = createServer((req, res) => void this.handle(req, res));

  async handle(req: IncomingMessage, res: ServerResponse) {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push({
      method: req.method ?? '',
      path: url.pathname,
      host: req.headers.host ?? '',
      headers: req.headers,
      body,
    });
    const json = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(data));
    };
    const cookies = req.headers.cookie ?? '';
    const store = '/wp-json/wc/store/v1';
    const hasTokens = req.headers['cart-token'] === 'ct-1' && req.headers.nonce === 'n-1';
    switch (`${req.method} ${url.pathname}`) {
      case `GET ${store}/cart`:
        return json(200, { items: [] }, { Nonce: 'n-1', 'Cart-Token': 'ct-1' });
      case `GET ${store}/products`:
        return json(200, [
          { id: 7, type: 'variable', is_purchasable: true, is_in_stock: true },
          { id: 8, type: 'simple', is_purchasable: true, is_in_stock: false },
          { id: 9, type: 'simple', is_purchasable: true, is_in_stock: true },
        ]);
      case `POST ${store}/cart/add-item`: {
        if (!hasTokens) return json(401, { code: 'woocommerce_rest_missing_nonce' });
        const { id, quantity } = JSON.parse(body) as { id: number; quantity: number };
        return json(201, { items: [{ id, quantity }], items_count: quantity });
      }
      case `POST ${store}/checkout`: {
        if (!hasTokens) return json(401, { code: 'woocommerce_rest_missing_nonce' });
        const order = JSON.parse(body) as { payment_method: string; billing_address: { email: string } };
        if (this.checkoutStatus !== 200 || order.payment_method !== 'cod')
          return json(this.checkoutStatus === 200 ? 400 : this.checkoutStatus, {
            code: 'woocommerce_rest_checkout_error',
          });
        this.placed = { email: order.billing_address.email, productId: 9 };
        return json(200, {
          order_id: 42,
          status: 'processing',
          payment_result: { payment_status: 'success' },
        });
      }
      case 'GET /wp-login.php':
        res.writeHead(200, { 'Set-Cookie': 'wordpress_test_cookie=WP%20Cookie%20check; path=/' });
        return res.end('<form>');
      case 'POST /wp-login.php': {
        const form = new URLSearchParams(body);
        // As wp-login.php: the test cookie is only checked when the form says it was set.
        if (form.get('testcookie') && !cookies.includes('wordpress_test_cookie')) {
          res.writeHead(200);
          return res.end('cookies are blocked');
        }
        if (form.get('log') !== admin.user || form.get('pwd') !== admin.password) {
          res.writeHead(200);
          return res.end('incorrect password');
        }
        res.writeHead(302, {
          Location: '/wp-admin/',
          'Set-Cookie': [
            'wordpress_abc=auth; path=/wp-admin; HttpOnly',
            'wordpress_logged_in_abc=li; path=/; HttpOnly',
          ],
        });
        return res.end();
      }
      case 'GET /wp-admin/admin-ajax.php':
        res.writeHead(cookies.includes('wordpress_abc=auth') ? 200 : 400);
        return res.end(cookies.includes('wordpress_abc=auth') ? 'c0ffee1234' : '0');
      case 'GET /wp-json/wc/v3/orders/42':
        if (req.headers['x-wp-nonce'] !== 'c0ffee1234' || !cookies.includes('wordpress_logged_in_abc=li'))
          return json(401, { code: 'woocommerce_rest_cannot_view' });
        return json(200, {
          id: 42,
          status: 'processing',
          payment_method: 'cod',
          billing: { email: this.adminEmail ?? this.placed?.email },
          line_items: [{ product_id: this.placed?.productId }],
        });
      default:
        return json(404, { code: 'rest_no_route' });
    }
  }
}

function run(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      'bash',
      [script, ...args],
      {
        env: { PATH: process.env.PATH ?? '', ADMIN_USER: admin.user, ADMIN_PASSWORD: admin.password, ...env },
      },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('engines/woocommerce/order-check.sh', () => {
  const store = new FakeStore();
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((r) => store.server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(store.server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => store.server.close(() => r())));
  beforeEach(() => {
    store.requests = [];
    store.checkoutStatus = 200;
    store.adminEmail = undefined;
    store.placed = undefined;
  });

  it('places a Cash on Delivery order through the Store API and confirms it as the admin', async () => {
    const r = await run(['--url', `${base}/`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('OK: order 42 is processing in the admin, paid by Cash on Delivery');
    expect(store.requests.map((q) => `${q.method} ${q.path}`)).toEqual([
      'GET /wp-json/wc/store/v1/cart',
      'GET /wp-json/wc/store/v1/products',
      'POST /wp-json/wc/store/v1/cart/add-item',
      'POST /wp-json/wc/store/v1/checkout',
      'POST /wp-login.php',
      'GET /wp-admin/admin-ajax.php',
      'GET /wp-json/wc/v3/orders/42',
    ]);
    // The first purchasable, in-stock simple product.
    expect(JSON.parse(store.requests[2]?.body ?? '{}')).toEqual({ id: 9, quantity: 1 });
    const checkout = JSON.parse(store.requests[3]?.body ?? '{}') as Record<string, unknown>;
    expect(checkout).toMatchObject({
      payment_method: 'cod',
      billing_address: { country: 'US', email: expect.stringMatching(/@example\.com$/) },
      shipping_address: { country: 'US', postcode: '94103' },
    });
  });

  it('keeps the store host name when connecting through --connect-to (the in-cluster Service)', async () => {
    const port = (store.server.address() as AddressInfo).port;
    const r = await run(['--url', 'http://shop.example.test', '--connect-to', `127.0.0.1:${port}`]);
    expect(r.code).toBe(0);
    expect(new Set(store.requests.map((q) => q.host))).toEqual(new Set(['shop.example.test']));
  });

  it('fails, and creates no order any other way, when the checkout fails', async () => {
    store.checkoutStatus = 500;
    const r = await run(['--url', base]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/FAILED: POST .*\/checkout: HTTP 500/);
    expect(store.requests.map((q) => q.path)).not.toContain('/wp-json/wc/v3/orders');
    expect(store.requests.at(-1)?.path).toBe('/wp-json/wc/store/v1/checkout');
  });

  it('waits out a refused connection at first (a new pod racing its NetworkPolicy), then places the order', async () => {
    // A port nothing listens on yet: the store starts answering there 3 s after the check starts.
    const late = new FakeStore();
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const started = Date.now();
    const opening = setTimeout(() => late.server.listen(port, '127.0.0.1'), 3000);
    try {
      const r = await run(['--url', `http://127.0.0.1:${port}/`]);
      expect(r.code).toBe(0);
      // Each refused try is said on stderr (curl's own words), nothing else is.
      const said = r.stderr.trim().split('\n');
      expect(said.length).toBeGreaterThan(0);
      for (const line of said)
        expect(line).toMatch(/^curl: \(7\) Failed to connect to 127\.0\.0\.1 port \d+/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
      expect(late.requests[0]?.path).toBe('/wp-json/wc/store/v1/cart');
    } finally {
      clearTimeout(opening);
      await new Promise<void>((r) => late.server.close(() => r()));
    }
  });

  it('is the very file the chart mounts (charts/woocommerce-store/files)', () => {
    expect(readFileSync(join(repoRoot, 'charts/woocommerce-store/files/order-check.sh'), 'utf8')).toBe(
      readFileSync(script, 'utf8'),
    );
  });

  it('fails when the admin credentials are wrong', async () => {
    const r = await run(['--url', base], { ADMIN_PASSWORD: 'wrong' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('admin login failed');
  });

  it('fails when the admin side shows a different order', async () => {
    store.adminEmail = 'someone-else@example.com';
    const r = await run(['--url', base]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the admin API shows order 42 differently');
  });

  it('refuses to run without a URL or the admin credentials', async () => {
    expect((await run([])).code).toBe(2);
    const noCreds = await run(['--url', base], { ADMIN_USER: '' });
    expect(noCreds.code).not.toBe(0);
    expect(noCreds.stderr).toContain('set ADMIN_USER');
    expect(store.requests).toEqual([]);
  });
});

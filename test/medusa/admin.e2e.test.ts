import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, watchForErrors } from './harness/browser.ts';
import { entryPoint } from './harness/engine.ts';
import { runOk } from './harness/processes.ts';

const medusa = inject('medusa');
const adminUrl = `${medusa.backendUrl}/app`;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/**
 * The dashboard asks `GET /admin/users/me` whether it has a session before it shows the login
 * form; without one the server answers 401 and Chromium logs the failed load. That is how the
 * dashboard finds out it must log in, not a fault, so exactly that message is left out (nothing
 * else from that URL or any other).
 */
const isSessionProbe = (error: string) =>
  error ===
  `console: Failed to load resource: the server responded with a status of 401 (Unauthorized) (${medusa.backendUrl}/admin/users/me)`;

/**
 * The dashboard draws country flags (the region's countries, on the order page and in lists) as
 * images from cdn.jsdelivr.net. This test network has no way out, so those loads fail; only these
 * flag images are excused, because they are third-party decoration outside the store. Any other
 * failed load, including from the store's own origin, still fails the test.
 */
const isFlagFromCdn = (error: string) =>
  /^console: Failed to load resource: net::ERR_NAME_NOT_RESOLVED \(https:\/\/cdn\.jsdelivr\.net\/gh\/lipis\/flag-icons\/flags\/4x3\/[a-z]{2}\.svg\)$/.test(
    error,
  );

/**
 * A store owner with a fresh browser profile: no session cookie, no storage. In production
 * Medusa's session cookie is `Secure`, and express-session sets it only on requests that came in
 * over HTTPS; the store's Ingress terminates TLS and says so with `X-Forwarded-Proto: https`, which
 * the server trusts. The header here stands in for that Ingress (Chromium keeps `Secure` cookies
 * from a loopback origin such as 127.0.0.1).
 */
async function owner(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    extraHTTPHeaders: { 'x-forwarded-proto': 'https' },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  return { context, page, errors: watchForErrors(page) };
}

async function logIn(page: Page, password: string) {
  await page.goto(adminUrl);
  await page.getByRole('heading', { name: 'Welcome to Medusa' }).waitFor();
  await page.getByPlaceholder('Email').fill(medusa.adminEmail);
  await page.getByPlaceholder('Password').fill(password);
  await page.getByRole('button', { name: 'Continue with Email' }).click();
}

/** Whether the browser's cookies authenticate it to the admin API, asked from the page itself. */
const adminApiStatus = (page: Page) =>
  page.evaluate(async () => (await fetch('/admin/users/me', { credentials: 'include' })).status);

describe('admin dashboard in headless Chromium', () => {
  it('is served by the server at /app and talks to the API on the same origin', async () => {
    // The store's admin URL as the platform reports it.
    const root = await fetch(`${adminUrl}/`);
    expect(root.status).toBe(200);
    expect(await root.text()).toContain('<div id="medusa"');
    const res = await fetch(`${adminUrl}/orders`);
    expect(res.status).toBe(200); // deep links fall back to the dashboard's index.html
    const html = await res.text();
    expect(html).toContain('<div id="medusa"');
    // Asset URLs are relative to /app; no backend origin is baked into the page.
    expect(html).toMatch(/src="\/app\/assets\/[^"]+\.js"/);
    expect(html).not.toContain('127.0.0.1');
  });

  it('logs the owner in and lists an order placed earlier', async () => {
    // An order of this file's own, placed through the Store API by the order check.
    const check = await runOk(entryPoint, ['order-check', '--url', medusa.backendUrl], {
      env: medusa.engineEnv,
      log: join(medusa.resultsDir, 'admin-order-check.log'),
    });
    const { displayId } = JSON.parse(check.output.trim().split('\n').at(-1)!) as { displayId: number };

    const { context, page, errors } = await owner();
    const apiRequests: string[] = [];
    page.on('request', (req) => {
      if (/\/(admin|auth)\//.test(req.url())) apiRequests.push(new URL(req.url()).origin);
    });
    await logIn(page, medusa.adminPassword);
    await page.waitForURL(`${adminUrl}/orders`);
    await page.getByRole('heading', { name: 'Orders' }).waitFor();
    const row = page.getByRole('row').filter({ has: page.getByText(`#${displayId}`, { exact: true }) });
    await row.waitFor();
    expect(await row.textContent()).toContain('order-check@example.com');
    await page.screenshot({ path: join(medusa.resultsDir, 'admin-orders.png'), fullPage: true });

    expect(await adminApiStatus(page)).toBe(200);
    expect(new Set(apiRequests)).toEqual(new Set([medusa.backendUrl])); // same origin only
    expect(errors.filter((e) => !isSessionProbe(e) && !isFlagFromCdn(e))).toEqual([]);
    await context.close();
  });

  it("shows the dashboard's error for a wrong password and opens no session", async () => {
    const { context, page, errors } = await owner();
    await logIn(page, 'not-the-password');
    await page.getByText('Invalid email or password').waitFor();
    expect(page.url()).toBe(`${adminUrl}/login`);
    expect(await page.getByRole('heading', { name: 'Orders' }).count()).toBe(0);
    expect((await context.cookies()).map((c) => c.name)).not.toContain('connect.sid');
    expect(await adminApiStatus(page)).toBe(401);
    // Exactly two errors, both the refusal itself: the 401 from /auth/user/emailpass, which
    // Chromium logs as a failed load, and the same refusal as an unhandled rejection, because the
    // dashboard's login form (@medusajs/dashboard 2.21.2, email-pass-login.tsx) awaits
    // mutateAsync without catching after its onError has shown the message. Nothing else.
    expect(errors.filter((e) => !isSessionProbe(e) && !isFlagFromCdn(e))).toEqual([
      `console: Failed to load resource: the server responded with a status of 401 (Unauthorized) (${medusa.backendUrl}/auth/user/emailpass)`,
      'uncaught: Invalid email or password',
    ]);
    await context.close();
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDashboard } from '../../src/cli/dashboard.ts';
import { ApiProcess, type Caller, createMember, signIn } from '../api/harness.ts';
import { chromium } from 'playwright-core';
import { chromiumPath, launchChromium } from '../medusa/harness/browser.ts';
import { OperatorProcess, type PrivateCluster, privateCluster, waitFor } from '../operator/harness.ts';
import { expectAccessible, phaseOf, row, screenshots, shotsDir, Visitor } from './harness.ts';

/**
 * The dashboard in headless Chromium, against the real API, the real operator and the real
 * engine charts on the simulated cluster: people sign in, create stores, watch them go live,
 * understand a failure and retry it, reveal credentials, delete; members see only their own.
 */
let c: PrivateCluster;
let operator: OperatorProcess;
let api: ApiProcess;
let browser: Browser;
let admin: Caller;
const users: Record<string, { username: string; password: string }> = {};
const visitors: Visitor[] = [];
let tightPlans = '';

/** Two tries and no minimum time, so that a failing store stalls (waits for a person) quickly. */
async function startOperator(extra: string[] = []) {
  await operator?.stop();
  operator = new OperatorProcess(c, [
    '--resync-seconds',
    '5',
    '--retry-budget',
    '2',
    '--retry-window-seconds',
    '0',
    ...extra,
  ]);
  await operator.start();
}

async function visitor(who: string, width = 1280): Promise<Visitor> {
  const v = await Visitor.open(browser, api.url, width);
  visitors.push(v);
  const u = who === 'admin' ? { username: 'admin', password: api.adminPassword } : users[who]!;
  await v.signIn(u.username, u.password);
  return v;
}

beforeAll(async () => {
  ensureDashboard((line) => process.stderr.write(`[dashboard] ${line}\n`));
  c = await privateCluster();
  // The "medium" plan's quota is made too small for the engine charts, so that a medium store
  // fails (QuotaExceeded) until the operator runs with the real plans again.
  tightPlans = join(c.dataDir, 'tight-plans.yaml');
  writeFileSync(tightPlans, 'medium:\n  quota:\n    requests.cpu: 150m\n');
  await startOperator(['--plans', tightPlans]);
  api = await new ApiProcess({
    kubeconfig: c.kubeconfig,
    config: {
      cluster: { kind: 'simulated', realNode: false },
      rateLimits: { create: { max: 3, windowMs: 60_000 } },
      streamRecheckMs: 1000,
    },
  }).start();
  admin = await signIn(api);
  users.nina = await createMember(admin, 'nina');
  users.omar = await createMember(admin, 'omar');
  users.rita = await createMember(admin, 'rita', { storeLimit: 1 });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  for (const v of visitors) await v.close().catch(() => {});
  await browser?.close();
  await api?.stop();
  await operator?.stop();
  await c?.stop();
});

const stores = { medusa: 'ninas-bikes', woocommerce: 'ninas-books' } as const;

// In-page scripts (strings: they run in the browser, not in Node).
/** Records every phase each store's badge shows, sampled on every animation frame, in window.__phases. */
const samplePhases = `(() => {
  const seen = (window.__phases = {});
  const sample = () => {
    for (const r of document.querySelectorAll('[data-testid="store-row"]')) {
      const name = r.getAttribute('data-store');
      const phase = r.querySelector('[data-testid="phase-badge"]')?.getAttribute('data-phase') ?? '';
      const list = (seen[name] ??= []);
      if (list.at(-1) !== phase) list.push(phase);
    }
    requestAnimationFrame(sample);
  };
  sample();
})()`;
/** Sets window.__sawAt (epoch ms) on the first frame where the store's badge shows `phase`. */
/** How far the page is wider than the window, in pixels (0 or less: no horizontal scrolling). */
const overflowX = 'document.documentElement.scrollWidth - window.innerWidth';
const watchFor = (name: string, phase: string) => `(() => {
  const look = () => {
    const b = document.querySelector('[data-store="${name}"] [data-testid="phase-badge"]');
    if (b?.getAttribute('data-phase') === '${phase}') window.__sawAt = performance.timeOrigin + performance.now();
    else requestAnimationFrame(look);
  };
  look();
})()`;

describe('a new user provisions stores from the dashboard', () => {
  let nina: Visitor;

  it('signs in to an empty list that explains what a store is, with the simulated-cluster banner', async () => {
    nina = await visitor('nina');
    const { page } = nina;
    await expect.poll(() => page.getByTestId('empty-state').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('empty-state').innerText()).toMatch(/own Kubernetes namespace/);
    await expect.poll(() => page.getByRole('note').innerText()).toMatch(/simulated cluster/i);
    await expect.poll(() => page.getByTestId('live-status').getAttribute('data-status')).toBe('live');
    await expectAccessible(page, 'the empty store list');
    await screenshots(page, 'stores-empty');
  });

  it('creates a MedusaJS and a WooCommerce store; each appears at once as Pending', async () => {
    const { page } = nina;
    await page.getByRole('button', { name: 'Create store' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create store' });
    await dialog.getByLabel('Display name').fill('Nina’s Bikes');
    // The name is derived and checked with the API as it is typed.
    await expect.poll(() => dialog.getByTestId('store-name-input').inputValue()).toBe(stores.medusa);
    await expect.poll(() => dialog.getByText(`“${stores.medusa}” is available.`).isVisible()).toBe(true);
    await dialog.getByRole('radio', { name: 'MedusaJS' }).check();
    await expectAccessible(page, 'the create dialog');
    await screenshots(page, 'create-dialog');
    await dialog.getByLabel('Create another').check();
    await page.evaluate(samplePhases); // from before the first create: what each new row shows first
    await dialog.getByRole('button', { name: 'Create store' }).click();
    await expect.poll(() => dialog.getByTestId('created-note').innerText()).toMatch(/ninas-bikes/);
    // The dialog stays open for the next one, engine and plan kept, the names cleared.
    expect(await dialog.getByLabel('Display name').inputValue()).toBe('');
    await dialog.getByLabel('Display name').fill('Nina’s Books');
    await dialog.getByRole('radio', { name: 'WooCommerce' }).check();
    await dialog.getByRole('button', { name: 'Create store' }).click();
    await expect.poll(() => dialog.getByTestId('created-note').innerText()).toMatch(/ninas-books/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    const phases = (await page.evaluate('window.__phases')) as Record<string, string[]>;
    for (const name of Object.values(stores)) {
      await expect.poll(() => row(page, name).isVisible()).toBe(true);
      expect(phases[name]?.[0], `${name} first shows`).toBe('Pending');
    }
  });

  it('sees both go from Pending through Provisioning to Ready without reloading, with URLs and created times', async () => {
    const { page } = nina;
    // What the badges showed, sampled from the page itself on every animation frame.
    const navigations: string[] = [];
    page.on('framenavigated', (f) => f === page.mainFrame() && navigations.push(f.url()));
    for (const name of Object.values(stores)) {
      await expect
        .poll(() => phaseOf(page, name).getAttribute('data-phase'), { timeout: 240_000, interval: 500 })
        .toBe('Ready');
    }
    const seen = (await page.evaluate('window.__phases')) as Record<string, string[]>;
    for (const name of Object.values(stores)) {
      expect(seen[name]?.at(-1)).toBe('Ready');
      expect(seen[name]).toContain('Provisioning');
    }
    expect(navigations).toEqual([]); // no reload
    for (const name of Object.values(stores)) {
      const r = row(page, name);
      expect(await r.getByTestId('store-url').getAttribute('href')).toMatch(
        new RegExp(`^https?://${name}\\.`),
      );
      expect(await r.getByTestId('store-created').locator('time').getAttribute('dateTime')).toMatch(
        /^\d{4}-/,
      );
      expect(await r.getByTestId('store-created').innerText()).toMatch(/ago|just now/);
    }
    await expectAccessible(page, 'the store list');
    await screenshots(page, 'stores-list');
  }, 360_000);

  it('opens a store page and sees every pipeline stage done, activity, events and releases', async () => {
    const { page } = nina;
    await row(page, stores.medusa).getByRole('link', { name: 'Nina’s Bikes' }).click();
    await page.getByTestId('store-title').waitFor();
    for (const stage of ['namespace', 'guardrails', 'credentials', 'release', 'workloads', 'setup']) {
      expect(await page.getByTestId(`stage-${stage}`).getAttribute('data-state'), stage).toBe('done');
    }
    // Honest about links that nothing answers on the simulated cluster.
    expect(await page.getByTestId('links-not-served').innerText()).toMatch(/simulated cluster/);
    expect(await page.getByTestId('activity').innerText()).toMatch(/Ready|Provision/i);
    await page.getByRole('tab', { name: 'Releases' }).click();
    await expect.poll(() => page.getByTestId('releases-table').innerText()).toMatch(/install/);
    await page.getByRole('tab', { name: 'Kubernetes events' }).click();
    await expect.poll(() => page.getByTestId('events-table').isVisible()).toBe(true);
    await expectAccessible(page, 'the store page');
    await screenshots(page, 'store-page');
  });

  it('reveals the admin login after confirming; it is gone after leaving the page', async () => {
    const { page } = nina;
    await page.getByRole('button', { name: 'Reveal admin login' }).click();
    await page
      .getByRole('dialog', { name: 'Reveal the admin login?' })
      .getByRole('button', { name: 'Reveal' })
      .click();
    const password = await page.getByTestId('credentials-password').inputValue();
    expect(password.length).toBeGreaterThanOrEqual(12);
    expect(await page.getByTestId('credentials-user').inputValue()).toMatch(/@|admin/);
    await page.getByRole('link', { name: '← Stores' }).click();
    await row(page, stores.medusa).getByRole('link').first().click();
    await page.getByTestId('store-title').waitFor();
    expect(await page.getByTestId('credentials').count()).toBe(0);
    expect(await page.content()).not.toContain(password);
  });

  it('deletes with type-the-name confirmation: Deleting, then gone from the list and the cluster', async () => {
    const { page } = nina;
    await page.goto('/');
    await row(page, stores.woocommerce).getByRole('link').first().click();
    await page.getByRole('button', { name: 'Delete store' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this store?' });
    const confirm = dialog.getByRole('button', { name: 'Delete store' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByTestId('delete-confirm-input').fill(stores.woocommerce);
    await confirm.click();
    await expect.poll(() => page.getByTestId('deleting-note').isVisible()).toBe(true);
    await page.getByRole('link', { name: '← Stores' }).click();
    await page.getByRole('heading', { name: 'Stores', level: 1 }).waitFor();
    expect(await phaseOf(page, stores.woocommerce).getAttribute('data-phase')).toBe('Deleting');
    await expect
      .poll(() => row(page, stores.woocommerce).count(), { timeout: 180_000, interval: 500 })
      .toBe(0);
    const ns = await c.kubectl([
      'get',
      'namespace',
      `store-${stores.woocommerce}`,
      '--ignore-not-found',
      '-o',
      'name',
    ]);
    expect(ns.stdout.trim()).toBe('');
  }, 240_000);

  it('shows a Store change made in the cluster on screen quickly (measured, written to test-results)', async () => {
    const { page } = nina;
    await page.goto('/');
    await expect.poll(() => phaseOf(page, stores.medusa).getAttribute('data-phase')).toBe('Ready');
    await page.evaluate(watchFor(stores.medusa, 'Deleting'));
    // The change: a delete through the Kubernetes API (client-node, no process to start), timed
    // from just before the request to the first frame that shows it.
    const t0 = Date.now();
    await c.custom.deleteClusterCustomObject({
      group: 'storeplane.dev',
      version: 'v1alpha1',
      plural: 'stores',
      name: stores.medusa,
    });
    await expect
      .poll(() => page.evaluate('window.__sawAt') as Promise<number | undefined>, {
        timeout: 30_000,
        interval: 50,
      })
      .toBeGreaterThan(0);
    const seenAt = (await page.evaluate('window.__sawAt')) as number;
    const ms = Math.round(seenAt - t0);
    writeFileSync(
      join(shotsDir, 'latency.json'),
      `${JSON.stringify({ changeToScreenMs: ms, change: 'DELETE of the Store through the Kubernetes API (metadata.deletionTimestamp set)' })}\n`,
    );
    process.stderr.write(`[dashboard] store change → on screen: ${ms} ms\n`);
    expect(nina.unexpectedErrors()).toEqual([]);
  });
  it('signs out: back at the sign-in page, with a note, and the API no longer knows the session', async () => {
    const { page } = nina;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.getByRole('status').innerText()).toMatch(/You have signed out/);
    const status = await page.evaluate('fetch("/api/v1/stores").then((r) => r.status)');
    expect(status).toBe(401);
  });
});

describe('failures, limits and other people', () => {
  it('a store whose plan cannot fit its quota shows Failed with the reason and the fix; Retry brings it to Ready', async () => {
    const v = await visitor('admin');
    const { page } = v;
    await page.getByRole('button', { name: 'Create store' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create store' });
    await dialog.getByLabel('Display name').fill('Big One');
    await dialog.getByRole('radio', { name: /^medium/ }).check();
    await dialog.getByRole('button', { name: 'Create store' }).click();
    await expect.poll(() => row(page, 'big-one').isVisible()).toBe(true);
    await expect
      .poll(() => phaseOf(page, 'big-one').getAttribute('data-phase'), { timeout: 240_000, interval: 500 })
      .toBe('Stalled');
    await row(page, 'big-one').getByRole('link').first().click();
    const why = page.getByTestId('why-failed');
    await why.waitFor();
    expect(await why.getByTestId('failure-reason').innerText()).toBe('QuotaExceeded');
    expect(await why.getByTestId('failure-message').innerText()).toMatch(/exceeded quota: store-quota/);
    expect(await why.getByTestId('failure-fix').innerText()).toMatch(/Choose a larger plan/);
    await expectAccessible(page, 'a failed store page');
    await screenshots(page, 'store-failed');

    // Remove the cause (the operator runs with the real plans again), then Retry in the page.
    await startOperator();
    await why.getByRole('button', { name: 'Retry' }).click();
    await expect
      .poll(() => page.getByTestId('phase-badge').first().getAttribute('data-phase'), {
        timeout: 240_000,
        interval: 500,
      })
      .toBe('Ready');
    expect(await page.getByTestId('why-failed').count()).toBe(0);
    for (const stage of ['namespace', 'guardrails', 'credentials', 'release', 'workloads', 'setup'])
      expect(await page.getByTestId(`stage-${stage}`).getAttribute('data-state'), stage).toBe('done');
    expect(v.unexpectedErrors()).toEqual([]);
  }, 600_000);

  it('a second member sees none of the first member’s stores, and no admin page', async () => {
    await waitFor(
      'big-one Ready',
      () => c.getStore('big-one'),
      (s) => s.status?.phase === 'Ready',
      10_000,
    );
    const v = await visitor('omar');
    const { page } = v;
    await expect.poll(() => page.getByTestId('empty-state').isVisible()).toBe(true);
    expect(await page.getByTestId('store-row').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Users' }).count()).toBe(0);
    await page.goto('/admin/users');
    await expect.poll(() => page.getByRole('heading', { name: 'Nothing here' }).isVisible()).toBe(true);
    await page.goto(`/stores/${stores.medusa}`);
    await expect.poll(() => page.getByTestId('store-gone').isVisible()).toBe(true);
  });

  it('name taken, store limit reached and rate-limited creates are said in words, next to their field', async () => {
    const v = await visitor('rita');
    const { page } = v;
    await page.getByRole('button', { name: 'Create store' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create store' });
    // Taken by another user's store: said as it is typed, and by the API on create.
    await dialog.getByLabel('Display name').fill('Big One');
    await expect
      .poll(() => dialog.getByText('The name "big-one" is taken: choose another.').isVisible())
      .toBe(true);
    await dialog.getByRole('button', { name: 'Create store' }).click();
    const taken = 'The name "big-one" (from the display name) is taken: give another name.';
    await expect.poll(() => dialog.getByText(taken).isVisible()).toBe(true);
    // Her one store, then the limit.
    await dialog.getByLabel('Create another').check();
    await dialog.getByLabel('Display name').fill('Rita One');
    await dialog.getByRole('button', { name: 'Create store' }).click();
    await expect.poll(() => dialog.getByTestId('created-note').isVisible()).toBe(true);
    await dialog.getByLabel('Display name').fill('Rita Two');
    await dialog.getByRole('button', { name: 'Create store' }).click();
    const refusal = dialog.getByTestId('create-refusal');
    await expect.poll(() => refusal.innerText()).toMatch(/You have 1 of your 1 stores/);
    // Said before the next try, too.
    await expect
      .poll(() => dialog.getByTestId('at-limit-note').innerText())
      .toMatch(/You own 1 store, your limit/);
    // The fourth create within the minute: rate limited, with the wait.
    await dialog.getByRole('button', { name: 'Create store' }).click();
    await expect
      .poll(() => refusal.innerText())
      .toMatch(/Too many requests: the store creation limit is 3 per 60 s\. Try again in \d+ s\./);
    await screenshots(page, 'create-refused');
  });

  it('search and filters narrow the list; no polling while live, polling and a note while the stream is down', async () => {
    const v = await visitor('admin');
    const { page } = v;
    await row(page, 'big-one').waitFor();
    const all = await page.getByTestId('store-row').count();
    expect(all).toBeGreaterThanOrEqual(2);
    await page.getByRole('textbox', { name: 'Search' }).fill('rita');
    await expect.poll(() => page.getByTestId('store-row').count()).toBe(1);
    expect(await row(page, 'rita-one').count()).toBe(1);
    await page.getByRole('textbox', { name: 'Search' }).fill('');
    await page.getByRole('combobox', { name: 'Engine' }).click();
    await page.getByRole('option', { name: 'WooCommerce' }).click();
    await expect.poll(() => page.getByText('No store matches these filters.').isVisible()).toBe(true);
    await page.getByRole('combobox', { name: 'Engine' }).click();
    await page.getByRole('option', { name: 'MedusaJS' }).click();
    await expect.poll(() => page.getByTestId('store-row').count()).toBe(all);
    await page.getByRole('combobox', { name: 'Phase' }).click();
    await page.getByRole('option', { name: 'Ready' }).click();
    await expect
      .poll(async () =>
        (
          await page.getByTestId('phase-badge').evaluateAll((b) => b.map((x) => x.getAttribute('data-phase')))
        ).join(),
      )
      .toMatch(/^Ready(,Ready)*$/);

    // Live: in 6 s, not one request for the list.
    const lists: string[] = [];
    page.on('request', (r) => new URL(r.url()).pathname === '/api/v1/stores' && lists.push(r.url()));
    await page.waitForTimeout(6000);
    expect(lists).toEqual([]);
    // The stream refused: the page says so and polls every 5 s; it comes back by itself.
    await v.context.route('**/api/v1/stores/stream', (route) => route.abort());
    await page.reload();
    await expect.poll(() => page.getByTestId('stream-offline').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.getByTestId('live-status').getAttribute('data-status')).toBe('offline');
    lists.length = 0;
    await page.waitForTimeout(11_000);
    expect(lists.length).toBeGreaterThanOrEqual(2);
    await v.context.unroute('**/api/v1/stores/stream');
    await expect
      .poll(() => page.getByTestId('live-status').getAttribute('data-status'), { timeout: 15_000 })
      .toBe('live');
    expect(await page.getByTestId('stream-offline').count()).toBe(0);
  });

  it('an admin creates a user with a store limit on the Users page; the new user signs in with the password shown once', async () => {
    const v = await visitor('admin');
    const { page } = v;
    await page.goto('/admin/users');
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'User name' }).fill('zoe');
    await dialog.getByRole('textbox', { name: 'Store limit' }).fill('2');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    const shown = dialog.getByTestId('user-password');
    await shown.waitFor();
    const password = (await shown.innerText()).trim();
    expect(password.length).toBeGreaterThanOrEqual(12);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('user-row-zoe').innerText()).toMatch(/member[\s\S]*2/i);
    const zoe = await Visitor.open(browser, api.url);
    visitors.push(zoe);
    await zoe.signIn('zoe', password);
    expect(await zoe.page.getByTestId('signed-in-user').innerText()).toBe('zoe');
  });

  it('API tokens: created with scopes and expiry, shown once, used by a script, then revoked', async () => {
    const v = await visitor('rita');
    const { page } = v;
    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.getByRole('textbox', { name: 'Name' }).fill('ci script');
    await page.getByRole('checkbox', { name: 'stores:read' }).check();
    expect(await page.getByRole('checkbox', { name: 'admin' }).count()).toBe(0); // members get no admin scope
    await page.getByRole('radio', { name: '7 days' }).check();
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.getByTestId('token-value').innerText()).trim();
    expect(token).toMatch(/^spt_/);
    const use = () => fetch(`${api.url}/api/v1/stores`, { headers: { authorization: `Bearer ${token}` } });
    expect((await use()).status).toBe(200);
    await expect.poll(() => page.getByTestId('tokens-table').innerText()).toMatch(/ci script/);
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.content()).not.toContain(token);
    await page.getByRole('button', { name: 'Revoke ci script' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click();
    await expect.poll(async () => (await use()).status).toBe(401);
  });

  it('the owner’s credential reveal is in the admin’s audit log; admin pages pass axe', async () => {
    const v = await visitor('admin');
    const { page } = v;
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    await expect
      .poll(() => page.getByTestId('audit-table').innerText())
      .toMatch(new RegExp(`store\\.credentials\\.reveal[\\s\\S]*nina[\\s\\S]*store:${stores.medusa}`));
    await expectAccessible(page, 'the audit page');
    await screenshots(page, 'admin-audit');
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByTestId('users-table').waitFor();
    expect(await page.getByTestId('user-row-rita').innerText()).toMatch(/member/i);
    await expectAccessible(page, 'the users page');
    await screenshots(page, 'admin-users');
    await page.getByRole('link', { name: 'Overview' }).click();
    await expect.poll(() => page.getByTestId('overview-cap').innerText()).toMatch(/of 200/);
    await expectAccessible(page, 'the overview');
    await screenshots(page, 'admin-overview');
    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.getByRole('heading', { name: 'API tokens', level: 1 }).waitFor();
    await expectAccessible(page, 'the account page');
    await screenshots(page, 'account-tokens');
  });

  it('works at 390 px wide: the list and a store page fit, the menu opens', async () => {
    const v = await visitor('admin', 390);
    const { page } = v;
    await row(page, 'big-one').waitFor();
    const overflow = await page.evaluate(overflowX);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshots(page, 'stores-list-390');
    await page.getByRole('button', { name: 'Navigation' }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Audit log' }).isVisible()).toBe(true);
    await page.goto('/stores/big-one');
    await page.getByTestId('store-title').waitFor();
    expect(await page.evaluate(overflowX)).toBeLessThanOrEqual(0);
    await screenshots(page, 'store-page-390');
  });

  it('an admin disables a user on the Users page: that user’s open session ends, back to sign in with a message', async () => {
    const v = await visitor('omar');
    const { page } = v;
    const boss = await visitor('admin');
    await boss.page.goto('/admin/users');
    await boss.page.getByRole('button', { name: 'Disable omar' }).click();
    await boss.page.getByRole('dialog').getByRole('button', { name: 'Disable omar' }).click();
    await expect
      .poll(() => boss.page.getByTestId('user-row-omar').getAttribute('data-disabled'))
      .toBe('true');
    await expect
      .poll(() => page.getByRole('heading', { name: 'Sign in' }).isVisible(), { timeout: 20_000 })
      .toBe(true);
    expect(await page.getByRole('status').innerText()).toMatch(/session has ended/i);
    expect(new URL(page.url()).pathname).toBe('/login');
  });

  it('loads from a plain-http origin that is not localhost (a LAN address, an Ingress without TLS)', async () => {
    // Chromium treats 127.0.0.1 as secure; a name mapped to it is an ordinary http origin, where
    // a CSP upgrade-insecure-requests would send the scripts to https and leave a blank page.
    const port = new URL(api.url).port;
    const other = await chromium.launch({
      executablePath: chromiumPath(),
      headless: true,
      args: ['--no-sandbox', '--host-resolver-rules=MAP storeplane.test 127.0.0.1'],
    });
    try {
      const page = await other.newPage();
      await page.goto(`http://storeplane.test:${port}/`);
      await expect
        .poll(() => page.getByRole('heading', { name: 'Sign in' }).isVisible(), { timeout: 15_000 })
        .toBe(true);
    } finally {
      await other.close();
    }
  });
});

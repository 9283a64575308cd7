import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { watchForErrors } from '../medusa/harness/browser.ts';

export const shotsDir = join(import.meta.dirname, '..', '..', 'test-results', 'dashboard');
mkdirSync(shotsDir, { recursive: true });

/** One person in their own browser context (own cookies), signed in through the login form. */
export class Visitor {
  readonly errors: string[];
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    this.errors = watchForErrors(page);
  }

  static async open(browser: Browser, base: string, width = 1280): Promise<Visitor> {
    const context = await browser.newContext({
      baseURL: base,
      viewport: { width, height: 900 },
      colorScheme: 'light',
      reducedMotion: 'reduce',
    });
    return new Visitor(context, await context.newPage());
  }

  async signIn(username: string, password: string): Promise<void> {
    await this.page.goto('/');
    await this.page.getByLabel('User name').fill(username);
    await this.page.getByRole('textbox', { name: 'Password' }).fill(password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
    await this.page.getByRole('heading', { name: 'Stores', level: 1 }).waitFor();
  }

  /**
   * Errors the page logged, except those the test made happen on purpose and the browser's note
   * of the 401 with which the API answers "who am I?" before anyone signed in.
   */
  unexpectedErrors(expected: RegExp[] = []): string[] {
    const allowed = [/status of 401 .*\/api\/v1\/session\)$/, ...expected];
    return this.errors.filter((e) => !allowed.some((x) => x.test(e)));
  }

  close(): Promise<void> {
    return this.context.close();
  }
}

/** axe-core over the page as it is now: no serious or critical violation. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad, `accessibility of ${what}`).toEqual([]);
}

/** Screenshots of the page in the light and the dark theme (the system's choice decides). */
export async function screenshots(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(shotsDir, `${name}-${scheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** The row of a store in the list. */
export const row = (page: Page, name: string) =>
  page.locator(`[data-testid="store-row"][data-store="${name}"]`);
export const phaseOf = (page: Page, name: string) => row(page, name).getByTestId('phase-badge');

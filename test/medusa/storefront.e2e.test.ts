import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AdminApi } from './harness/admin.ts';
import { launchChromium, watchForErrors } from './harness/browser.ts';
import { addToCart as addToCart_, checkOutCloudTee, fillAddress } from './harness/checkout.ts';

const medusa = inject('medusa');
let browser: Browser;
let admin: AdminApi;

beforeAll(async () => {
  browser = await launchChromium();
  admin = await AdminApi.login(medusa.backendUrl, medusa.adminEmail, medusa.adminPassword);
});
afterAll(async () => {
  await browser?.close();
});

/** A shopper with a fresh browser profile: no cart, no storage. */
async function shopper(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  return { context, page, errors: watchForErrors(page) };
}

const addToCart = (page: Page, product: string, option: string) =>
  addToCart_(page, medusa.storefrontUrl, product, option);

describe('storefront in headless Chromium', () => {
  it('lists products, keeps a cart, checks out and shows the order confirmation', async () => {
    const { context, page, errors } = await shopper();
    const email = `shopper-${Date.now()}@example.com`;
    await page.goto(medusa.storefrontUrl);
    await page.getByRole('heading', { name: 'Harbor & Co.' }).waitFor();
    expect(await page.getByRole('list', { name: 'Products' }).getByRole('listitem').count()).toBe(4);

    await addToCart(page, 'Cloud Tee', 'M');
    await page.getByRole('link', { name: 'Cart, 1 item' }).waitFor();
    await page.reload(); // the cart survives a reload
    await page.getByRole('link', { name: 'Cart, 1 item' }).waitFor();

    const { orderId, orderNumber } = await checkOutCloudTee(page, email);
    expect(orderNumber).toMatch(/^#\d+$/);
    await page.screenshot({ path: join(medusa.resultsDir, 'order-confirmation.png'), fullPage: true });
    await page.getByRole('link', { name: 'Cart, 0 items' }).waitFor();

    const order = await admin.order(orderId);
    expect(order).toMatchObject({
      display_id: Number(orderNumber.slice(1)),
      email,
      currency_code: 'usd',
      total: 29,
    });
    expect(order.items?.map((i) => [i.product_title, i.variant_title, i.quantity])).toEqual([
      ['Cloud Tee', 'M', 1],
    ]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('refuses to check out an empty cart, with a clear message and no order', async () => {
    const before = await admin.orderCount();
    const { context, page, errors } = await shopper();
    await page.goto(`${medusa.storefrontUrl}/checkout`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Your cart is empty');
    expect(await page.getByRole('button', { name: /Place order|Continue to delivery/ }).count()).toBe(0);
    expect(await admin.orderCount()).toBe(before);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('rejects an invalid email and a missing delivery choice without placing an order', async () => {
    const before = await admin.orderCount();
    const { context, page, errors } = await shopper();
    await addToCart(page, 'Morning Mug', 'Night');
    await page.goto(`${medusa.storefrontUrl}/checkout`);
    await fillAddress(page, 'not-an-email');
    await page.getByRole('button', { name: 'Continue to delivery' }).click();

    const email = page.getByLabel('Email');
    await page.getByText('Enter a valid email address, like name@example.com.').waitFor();
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#field-email:focus').count()).toBe(1); // focus moved to the first error
    expect(await page.getByRole('radio', { name: /Standard Shipping/ }).count()).toBe(0);

    await email.fill('ana@example.com');
    await page.getByRole('button', { name: 'Continue to delivery' }).click();
    await page.getByRole('button', { name: /Place order/ }).click(); // no delivery option chosen yet
    await page.getByRole('alert').filter({ hasText: 'Choose a delivery option.' }).waitFor();
    expect(page.url()).toBe(`${medusa.storefrontUrl}/checkout`);
    expect(await admin.orderCount()).toBe(before);
    expect(errors).toEqual([]);
    await context.close();
  });
});

/** A shopper's path through the storefront (what the storefront suite and the real node's use). */
import type { Page } from 'playwright-core';

export async function addToCart(page: Page, storefrontUrl: string, product: string, option: string) {
  await page.goto(storefrontUrl);
  await page.getByRole('link', { name: new RegExp(product) }).click();
  await page.getByRole('heading', { level: 1, name: product }).waitFor();
  await page.getByRole('radio', { name: option, exact: true }).check();
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByText(`Added 1 × ${product} (${option}) to your cart.`).waitFor();
}

export async function fillAddress(page: Page, email: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('First name').fill('Ana');
  await page.getByLabel('Last name').fill('Lima');
  await page.getByLabel('Street address').fill('1 Main Street');
  await page.getByLabel('City').fill('Springfield');
  await page.getByLabel('Postal code').fill('12345');
  await page.getByLabel('Country').selectOption('us');
}

/**
 * From a cart holding one Cloud Tee (M) to the confirmation page: address, standard shipping,
 * place the order. Returns the order's id (from the URL) and its number as shown (#12).
 */
export async function checkOutCloudTee(
  page: Page,
  email: string,
): Promise<{ orderId: string; orderNumber: string }> {
  await page.getByRole('link', { name: /^Cart/ }).click();
  await page.getByText('Cloud Tee').first().waitFor();
  await page.getByRole('link', { name: 'Check out' }).click();
  await fillAddress(page, email);
  await page.getByRole('button', { name: 'Continue to delivery' }).click();
  await page.getByRole('radio', { name: /Standard Shipping/ }).check();
  // Shipping ($5) is on the cart once chosen: $24 + $5.
  await page.getByRole('button', { name: 'Place order · $29.00' }).click();
  await page.waitForURL(/\/orders\/order_/);
  const orderNumber = (await page.getByTestId('order-number').textContent()) ?? '';
  await page.getByRole('heading', { name: 'Thank you for your order!' }).waitFor();
  return { orderId: new URL(page.url()).pathname.split('/').at(-1) ?? '', orderNumber };
}

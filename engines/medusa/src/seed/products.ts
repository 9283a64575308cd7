/** Published products with priced variants, and stock for every variant at the warehouse. */
import type { MedusaContainer } from '@medusajs/framework/types';
import { ContainerRegistrationKeys, Modules, ProductStatus } from '@medusajs/framework/utils';
import { createInventoryLevelsWorkflow, createProductsWorkflow } from '@medusajs/medusa/core-flows';
import { catalog, stockedQuantity, type SeedSettings } from './catalog';
import type { Changes } from './store-setup';

export async function ensureProducts(
  c: MedusaContainer,
  s: SeedSettings,
  ids: { salesChannelId: string; shippingProfileId: string },
  changes: Changes,
) {
  const products = c.resolve(Modules.PRODUCT);
  const byHandle = await products.listProducts({ handle: catalog.map((p) => p.handle) });
  // By SKU too: an owner may change a product's handle, and SKUs are unique, so creating the
  // product again would fail every later run.
  const bySku = await products.listProductVariants({
    sku: catalog.flatMap((p) => p.variants.map((v) => v.sku)),
  });
  const handles = new Set(byHandle.map((p) => p.handle));
  const skus = new Set(bySku.map((v) => v.sku));
  const missing = catalog.filter((p) => !handles.has(p.handle) && !p.variants.some((v) => skus.has(v.sku)));
  if (missing.length === 0) return;
  await createProductsWorkflow(c).run({
    input: {
      products: missing.map((p) => ({
        title: p.title,
        handle: p.handle,
        description: p.description,
        status: ProductStatus.PUBLISHED,
        shipping_profile_id: ids.shippingProfileId,
        thumbnail: p.image,
        images: [{ url: p.image }],
        options: [{ title: p.optionTitle, values: p.variants.map((v) => v.option) }],
        variants: p.variants.map((v) => ({
          title: v.title,
          sku: v.sku,
          options: { [p.optionTitle]: v.option },
          prices: [{ amount: v.price, currency_code: s.currency }],
        })),
        sales_channels: [{ id: ids.salesChannelId }],
      })),
    },
  });
  changes.push(`products ${missing.map((p) => p.handle).join(', ')}`);
}

export async function ensureStock(c: MedusaContainer, stockLocationId: string, changes: Changes) {
  const query = c.resolve(ContainerRegistrationKeys.QUERY);
  const skus = catalog.flatMap((p) => p.variants.map((v) => v.sku));
  const { data: items } = await query.graph({
    entity: 'inventory_item',
    fields: ['id', 'sku', 'location_levels.location_id'],
    filters: { sku: skus },
  });
  const unstocked = items.filter(
    (item) =>
      !(item.location_levels ?? []).some(
        (l: { location_id?: string } | null) => l?.location_id === stockLocationId,
      ),
  );
  if (unstocked.length === 0) return;
  await createInventoryLevelsWorkflow(c).run({
    input: {
      inventory_levels: unstocked.map((item) => ({
        inventory_item_id: item.id,
        location_id: stockLocationId,
        stocked_quantity: stockedQuantity,
      })),
    },
  });
  changes.push(`stock for ${unstocked.length} variants`);
}

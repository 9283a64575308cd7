/** Choosing a variant by its option values, and the price to show before one is chosen. */
import type { Product, Variant } from './types.ts';

export type Selection = Record<string, string>; // option id -> value

/** The variant whose option values match the selection exactly, if every option is chosen. */
export function findVariant(product: Product, selection: Selection): Variant | undefined {
  const options = product.options ?? [];
  if (options.some((o) => !selection[o.id])) return undefined;
  return (product.variants ?? []).find((v) =>
    options.every((o) =>
      (v.options ?? []).some((vo) => vo.option_id === o.id && vo.value === selection[o.id]),
    ),
  );
}

/** Pre-selects the first variant's values, so a one-variant product is ready to add. */
export function initialSelection(product: Product): Selection {
  const first = product.variants?.[0];
  const selection: Selection = {};
  for (const vo of first?.options ?? []) if (vo.option_id) selection[vo.option_id] = vo.value;
  return selection;
}

/** Lowest price among the variants (what a product card shows as "from"). */
export function lowestPrice(product: Product): number | null {
  const amounts = (product.variants ?? [])
    .map((v) => v.calculated_price?.calculated_amount)
    .filter((a): a is number => typeof a === 'number');
  return amounts.length ? Math.min(...amounts) : null;
}

export function inStock(variant: Variant): boolean {
  if (variant.manage_inventory === false) return true;
  return (
    variant.inventory_quantity === undefined ||
    variant.inventory_quantity === null ||
    variant.inventory_quantity > 0
  );
}

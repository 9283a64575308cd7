/** The parts of Medusa's Store API responses the storefront reads. */
export interface Region {
  id: string;
  name: string;
  currency_code: string;
  countries?: { iso_2: string; display_name?: string; name?: string }[];
}

export interface Price {
  calculated_amount: number | null;
  currency_code: string;
}

export interface Variant {
  id: string;
  title: string;
  sku?: string | null;
  options?: { option_id?: string; value: string }[];
  calculated_price?: Price | null;
  inventory_quantity?: number | null;
  manage_inventory?: boolean;
}

export interface Product {
  id: string;
  handle: string;
  title: string;
  description?: string | null;
  thumbnail?: string | null;
  images?: { id: string; url: string }[];
  options?: { id: string; title: string; values?: { value: string }[] }[];
  variants?: Variant[];
}

export interface LineItem {
  id: string;
  title: string;
  product_title?: string | null;
  variant_title?: string | null;
  product_handle?: string | null;
  thumbnail?: string | null;
  quantity: number;
  unit_price: number;
  total?: number;
}

export interface Cart {
  id: string;
  email?: string | null;
  currency_code: string;
  region_id?: string | null;
  items?: LineItem[];
  subtotal?: number;
  item_subtotal?: number;
  shipping_total?: number;
  tax_total?: number;
  total: number;
  shipping_methods?: { id: string; shipping_option_id: string; name?: string; amount: number }[];
  completed_at?: string | null;
}

export interface ShippingOption {
  id: string;
  name: string;
  amount?: number;
  calculated_price?: { calculated_amount: number | null } | null;
}

export interface PaymentProvider {
  id: string;
}

export interface Order {
  id: string;
  display_id: number;
  email: string;
  currency_code: string;
  total: number;
  subtotal?: number;
  shipping_total?: number;
  items?: LineItem[];
  shipping_address?: { first_name?: string; last_name?: string; address_1?: string; city?: string } | null;
}

/** Medusa v2 amounts are in major units (12.5 = $12.50); the currency decides the digits. */
export function formatMoney(amount: number | null | undefined, currency: string, locale = 'en-US'): string {
  if (amount === null || amount === undefined || Number.isNaN(amount)) return '—';
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency: currency.toUpperCase() }).format(
      amount,
    );
  } catch {
    return `${amount.toFixed(2)} ${currency.toUpperCase()}`;
  }
}

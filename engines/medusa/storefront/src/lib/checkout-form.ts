/** The checkout form's fields and their validation: pure, so every rule has a unit test. */
export interface AddressFields {
  first_name: string;
  last_name: string;
  address_1: string;
  city: string;
  postal_code: string;
  country_code: string;
}

export interface CheckoutFields extends AddressFields {
  email: string;
}

export type FieldErrors = Partial<Record<keyof CheckoutFields, string>>;

export const emptyCheckout: CheckoutFields = {
  email: '',
  first_name: '',
  last_name: '',
  address_1: '',
  city: '',
  postal_code: '',
  country_code: '',
};

// Deliberately simple: one @, something on both sides, a dot in the domain, no spaces.
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateCheckout(f: CheckoutFields, countries: readonly string[]): FieldErrors {
  const errors: FieldErrors = {};
  const email = f.email.trim();
  if (!email) errors.email = 'Enter your email address.';
  else if (!emailPattern.test(email)) errors.email = 'Enter a valid email address, like name@example.com.';
  const required: [keyof AddressFields, string][] = [
    ['first_name', 'Enter your first name.'],
    ['last_name', 'Enter your last name.'],
    ['address_1', 'Enter your street address.'],
    ['city', 'Enter your city.'],
    ['postal_code', 'Enter your postal code.'],
  ];
  for (const [field, message] of required) if (!f[field].trim()) errors[field] = message;
  if (!f.country_code) errors.country_code = 'Choose a country.';
  else if (!countries.includes(f.country_code)) errors.country_code = 'We do not ship to this country.';
  return errors;
}

/** The address as the Store API wants it: trimmed, lower-case country code. */
export function toAddress(f: CheckoutFields): AddressFields {
  return {
    first_name: f.first_name.trim(),
    last_name: f.last_name.trim(),
    address_1: f.address_1.trim(),
    city: f.city.trim(),
    postal_code: f.postal_code.trim(),
    country_code: f.country_code.toLowerCase(),
  };
}

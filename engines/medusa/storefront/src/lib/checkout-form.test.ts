import { describe, expect, it } from 'vitest';
import { toAddress, validateCheckout, type CheckoutFields } from './checkout-form.ts';

const good: CheckoutFields = {
  email: 'ana@example.com',
  first_name: 'Ana',
  last_name: 'Lima',
  address_1: '1 Main St',
  city: 'Springfield',
  postal_code: '12345',
  country_code: 'us',
};

describe('validateCheckout', () => {
  it('accepts a complete form', () => expect(validateCheckout(good, ['us', 'ca'])).toEqual({}));

  it.each([
    [{ email: '' }, 'email', 'Enter your email address.'],
    [{ email: 'not-an-email' }, 'email', 'Enter a valid email address, like name@example.com.'],
    [{ email: 'a@b' }, 'email', 'Enter a valid email address, like name@example.com.'],
    [{ email: 'a b@c.de' }, 'email', 'Enter a valid email address, like name@example.com.'],
    [{ first_name: '  ' }, 'first_name', 'Enter your first name.'],
    [{ last_name: '' }, 'last_name', 'Enter your last name.'],
    [{ address_1: '' }, 'address_1', 'Enter your street address.'],
    [{ city: '' }, 'city', 'Enter your city.'],
    [{ postal_code: '' }, 'postal_code', 'Enter your postal code.'],
    [{ country_code: '' }, 'country_code', 'Choose a country.'],
    [{ country_code: 'fr' }, 'country_code', 'We do not ship to this country.'],
  ])('%j', (change, field, message) => {
    expect(validateCheckout({ ...good, ...change }, ['us', 'ca'])).toEqual({ [field]: message });
  });
});

describe('toAddress', () => {
  it('trims and drops the email', () => {
    expect(toAddress({ ...good, first_name: ' Ana ', country_code: 'US' })).toEqual({
      first_name: 'Ana',
      last_name: 'Lima',
      address_1: '1 Main St',
      city: 'Springfield',
      postal_code: '12345',
      country_code: 'us',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { storeNameFrom, storeNameRefusal } from './naming.ts';

describe('storeNameFrom', () => {
  it.each([
    ['Bike Parts', 'bike-parts'],
    ['  Harbor & Co.  ', 'harbor-co'],
    ['Café Zürich', 'cafe-zurich'],
    ['123 Main Street', 'main-street'],
    ['---Dashes---', 'dashes'],
    ['A very long display name that goes well past thirty', 'a-very-long-display-name-that'],
    ['Admin', 'admin-store'],
    ['ab', undefined],
    ['🛒🛒🛒', undefined],
    ['東京ストア', undefined],
    ['--help', 'help'],
    ['$(rm -rf /)', 'rm-rf'],
    // Apostrophes join their word: a possessive is one word, not two.
    ['Nina’s Bikes', 'ninas-bikes'],
    ["Joe's Diner", 'joes-diner'],
    ["L'Atelier", 'latelier'],
  ])('%j -> %j', (display, expected) => {
    expect(storeNameFrom(display)).toBe(expected);
    if (expected) expect(storeNameRefusal(expected)).toBeUndefined();
  });
});

describe('storeNameRefusal', () => {
  it.each([
    ['bike-parts', false],
    ['api', true],
    ['Bike', true],
    ['-bike', true],
    ['bike-', true],
    ['1bike', true],
    ['bi', true],
    ['a'.repeat(31), true],
    ['bike_parts', true],
    ['bike.parts', true],
  ])('%j refused: %s', (name, refused) => {
    expect(storeNameRefusal(name) !== undefined).toBe(refused);
  });
});

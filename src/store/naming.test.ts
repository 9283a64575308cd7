import { describe, expect, it } from 'vitest';
import { displayNameRefusal, namespaceFor, releaseFor, storeNameProblem } from './naming.ts';
import { StoreSpec } from './schema.ts';

describe('storeNameProblem', () => {
  const lengthProblem = /must be 3 to 30 characters long/;
  const charsetProblem =
    /lower-case letters, digits and "-", start with a letter and end with a letter or digit/;
  const cases: { name: string; input: string; problem?: RegExp | string }[] = [
    { name: '3 characters', input: 'abc' },
    { name: '30 characters', input: 'a'.repeat(30) },
    { name: 'digits and inner dashes', input: 'shop-2-b' },
    // Services need DNS-1035 labels: a name starting with a digit could never provision.
    { name: 'starts with a digit', input: '9lives', problem: charsetProblem },
    { name: 'all digits', input: '123', problem: charsetProblem },
    { name: 'empty', input: '', problem: '(got 0)' },
    { name: '2 characters', input: 'ab', problem: '(got 2)' },
    { name: '31 characters', input: 'a'.repeat(31), problem: '(got 31)' },
    { name: 'uppercase', input: 'MyShop', problem: charsetProblem },
    { name: 'leading dash', input: '-shop', problem: charsetProblem },
    { name: 'trailing dash', input: 'shop-', problem: charsetProblem },
    { name: 'dot', input: 'my.shop', problem: charsetProblem },
    { name: 'underscore', input: 'my_shop', problem: charsetProblem },
    { name: 'space', input: 'my shop', problem: charsetProblem },
    { name: 'too long is reported before bad characters', input: 'A'.repeat(31), problem: lengthProblem },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const problem = storeNameProblem(tc.input);
      if (tc.problem === undefined) expect(problem).toBeUndefined();
      else if (typeof tc.problem === 'string') {
        expect(problem).toMatch(lengthProblem);
        expect(problem).toContain(tc.problem);
      } else expect(problem).toMatch(tc.problem);
    });
  }
});

describe('namespaceFor and releaseFor', () => {
  it('derive the namespace and release from the store name', () => {
    expect(namespaceFor('shop')).toBe('store-shop');
    expect(releaseFor('shop')).toBe('shop');
  });
});

describe('displayNameRefusal', () => {
  const pattern = new RegExp((StoreSpec.properties.displayName as unknown as { pattern: string }).pattern);
  const cases: { name: string; input: string; refusal?: string }[] = [
    { name: 'plain words', input: 'Bike Parts' },
    { name: 'inner spaces, quotes, dashes, emoji', input: `--O'Brien's  "Best" 🛒--` },
    { name: 'one character', input: 'x' },
    { name: 'only spaces', input: '   ', refusal: 'must not be blank (it holds only spaces)' },
    { name: 'only a no-break space', input: '\u00a0', refusal: 'must not be blank (it holds only spaces)' },
    {
      name: 'a line break',
      input: 'Harbor\nSupplies',
      refusal: 'must not hold control characters (line breaks, tabs, escapes)',
    },
    {
      name: 'a tab',
      input: 'A\tB',
      refusal: 'must not hold control characters (line breaks, tabs, escapes)',
    },
    {
      name: 'an escape',
      input: 'A\u001b[31mB',
      refusal: 'must not hold control characters (line breaks, tabs, escapes)',
    },
    {
      name: 'DEL',
      input: 'A\u007fB',
      refusal: 'must not hold control characters (line breaks, tabs, escapes)',
    },
    {
      name: 'a trailing line break',
      input: 'Shop\n',
      refusal: 'must not hold control characters (line breaks, tabs, escapes)',
    },
    { name: 'a leading space', input: ' Shop', refusal: 'must not start or end with a space' },
    { name: 'a trailing no-break space', input: 'Shop\u00a0', refusal: 'must not start or end with a space' },
  ];
  it.each(cases)('$name', ({ input, refusal }) => {
    const got = displayNameRefusal(input);
    if (refusal === undefined) expect(got).toBeUndefined();
    else expect(got).toBe(`The field "displayName" ${refusal}.`);
  });
  it.each(cases)("refuses exactly what the Store schema's pattern refuses: $name", ({ input }) => {
    expect(displayNameRefusal(input) === undefined).toBe(pattern.test(input));
  });
});

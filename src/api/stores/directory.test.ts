import { describe, expect, it } from 'vitest';
import { isNewer } from './directory.ts';

describe('isNewer (resourceVersion order)', () => {
  it.each([
    ['10', '9', true], // compared as integers, not as text
    ['9', '10', false],
    ['12', '12', false],
    ['123456789012345678901', '123456789012345678900', true], // beyond 2^53
    ['abc', 'abd', true], // not numbers: only told apart
    ['abc', 'abc', false],
    [undefined, '5', true],
    ['5', undefined, true],
  ])('%s after %s: %s', (rv, than, newer) => {
    expect(isNewer(rv, than)).toBe(newer);
  });
});

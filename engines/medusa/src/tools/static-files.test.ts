import { describe, expect, it } from 'vitest';
import { contentType, staticTarget } from './static-files.ts';

const root = '/srv/storefront';
const files = new Set([
  '/srv/storefront/index.html',
  '/srv/storefront/assets/app-1a2b.js',
  '/srv/storefront/images/products/tee.svg',
]);
const exists = (f: string) => files.has(f);

describe('staticTarget', () => {
  it.each([
    ['/assets/app-1a2b.js', { kind: 'file', file: '/srv/storefront/assets/app-1a2b.js', immutable: true }],
    [
      '/images/products/tee.svg?v=1',
      { kind: 'file', file: '/srv/storefront/images/products/tee.svg', immutable: false },
    ],
    ['/', { kind: 'app' }],
    ['/products/storeplane-tee', { kind: 'app' }],
    ['/checkout', { kind: 'app' }],
    ['/assets/missing.js', { kind: 'not-found' }],
    ['/../etc/passwd', { kind: 'not-found' }],
    ['/%2e%2e/%2e%2e/etc/passwd.txt', { kind: 'not-found' }],
    ['/%E0%A4%A', { kind: 'not-found' }],
    ['/a%00.js', { kind: 'not-found' }],
  ])('%s', (path, expected) => {
    expect(staticTarget(root, path, exists)).toEqual(expected);
  });

  it('never answers with a file outside root', () => {
    expect(staticTarget(root, '/..%2f..%2fetc/shadow.txt', () => true)).toEqual({ kind: 'not-found' });
  });
});

describe('contentType', () => {
  it.each([
    ['a.html', 'text/html; charset=utf-8'],
    ['a.JS', 'text/javascript; charset=utf-8'],
    ['a.svg', 'image/svg+xml'],
    ['a.bin', 'application/octet-stream'],
  ])('%s', (file, type) => expect(contentType(file)).toBe(type));
});

import { describe, expect, it } from 'vitest';
import { canonicalJson, configDigest } from './digest.ts';

describe('canonicalJson', () => {
  const cases: { name: string; a: unknown; b: unknown; equal: boolean }[] = [
    { name: 'key order does not matter', a: { a: 1, b: 2 }, b: { b: 2, a: 1 }, equal: true },
    {
      name: 'nested key order does not matter',
      a: { x: { p: [1, { q: 1, r: 2 }], s: 's' } },
      b: { x: { s: 's', p: [1, { r: 2, q: 1 }] } },
      equal: true,
    },
    { name: 'undefined fields are dropped', a: { a: 1, b: undefined }, b: { a: 1 }, equal: true },
    { name: 'array order matters', a: [1, 2], b: [2, 1], equal: false },
    { name: 'values matter', a: { a: 1 }, b: { a: 2 }, equal: false },
    { name: 'number and string differ', a: { a: 1 }, b: { a: '1' }, equal: false },
    { name: 'null is kept, unlike undefined', a: { a: null }, b: {}, equal: false },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(canonicalJson(tc.a) === canonicalJson(tc.b)).toBe(tc.equal);
    });
  }

  it('is valid JSON with sorted keys', () => {
    const s = canonicalJson({ b: [true, null, 'x'], a: { d: 1, c: 2 } });
    expect(s).toBe('{"a":{"c":2,"d":1},"b":[true,null,"x"]}');
    expect(JSON.parse(s)).toEqual({ a: { c: 2, d: 1 }, b: [true, null, 'x'] });
  });
});

describe('configDigest', () => {
  const chart = { name: 'medusa-store', version: '1.2.3', content: 'sha256:aaa' };
  const values = { plan: 'small', web: { replicas: 1, image: 'medusa:2' } };

  it('is stable, prefixed and independent of key order', () => {
    const d = configDigest(chart, values);
    expect(d).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(
      configDigest(
        { content: 'sha256:aaa', version: '1.2.3', name: 'medusa-store' },
        { web: { image: 'medusa:2', replicas: 1 }, plan: 'small' },
      ),
    ).toBe(d);
  });

  const changes: {
    name: string;
    chart: { name: string; version: string; content: string };
    values: unknown;
  }[] = [
    { name: 'a value changes', chart, values: { ...values, plan: 'medium' } },
    { name: 'a nested value changes', chart, values: { ...values, web: { replicas: 2, image: 'medusa:2' } } },
    { name: 'a value is added', chart, values: { ...values, extra: true } },
    { name: 'the chart version changes', chart: { ...chart, version: '1.2.4' }, values },
    { name: 'the chart name changes', chart: { ...chart, name: 'woocommerce-store' }, values },
    // A fixed chart (same version, other templates) must reach the stores that use it.
    { name: "the chart's content changes", chart: { ...chart, content: 'sha256:bbb' }, values },
  ];
  for (const tc of changes) {
    it(`changes when ${tc.name}`, () => {
      expect(configDigest(tc.chart, tc.values)).not.toBe(configDigest(chart, values));
    });
  }
});

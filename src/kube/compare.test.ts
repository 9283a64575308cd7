import { describe, expect, it } from 'vitest';
import { isSubset } from './compare.ts';

describe('isSubset', () => {
  const cases: { name: string; desired: unknown; live: unknown; want: boolean }[] = [
    { name: 'equal objects', desired: { a: 1, b: 'x' }, live: { a: 1, b: 'x' }, want: true },
    {
      name: 'extra live fields (server defaults) are fine',
      desired: { spec: { replicas: 1 } },
      live: { spec: { replicas: 1, revisionHistoryLimit: 10 }, status: {} },
      want: true,
    },
    {
      name: 'a differing value',
      desired: { spec: { replicas: 2 } },
      live: { spec: { replicas: 1 } },
      want: false,
    },
    { name: 'a field missing live', desired: { a: { b: 'x' } }, live: { a: {} }, want: false },
    { name: 'a nested object missing live', desired: { a: { b: 'x' } }, live: {}, want: false },
    { name: 'undefined desired matches anything', desired: undefined, live: { a: 1 }, want: true },
    { name: 'null desired matches anything', desired: { a: null }, live: { a: 5 }, want: true },
    { name: 'empty desired object matches a missing one', desired: { a: {} }, live: {}, want: true },
    { name: 'empty desired array matches a missing one', desired: { a: [] }, live: {}, want: true },
    { name: 'empty desired array matches any array', desired: [], live: [1, 2], want: true },
    {
      name: 'arrays compared by position',
      desired: [{ n: 1 }, { n: 2 }],
      live: [{ n: 1, x: 0 }, { n: 2 }],
      want: true,
    },
    { name: 'array order matters', desired: [1, 2], live: [2, 1], want: false },
    { name: 'array length matters', desired: [1], live: [1, 2], want: false },
    { name: 'array vs object', desired: [1], live: { 0: 1 }, want: false },
    { name: 'number matches its string (quantities)', desired: { cpu: 1 }, live: { cpu: '1' }, want: true },
    { name: 'string matches a number', desired: { port: '80' }, live: { port: 80 }, want: true },
    {
      name: 'differing quantity strings',
      desired: { memory: '1Gi' },
      live: { memory: '1024Mi' },
      want: false,
    },
    { name: 'booleans', desired: { automount: false }, live: { automount: false }, want: true },
    { name: 'boolean vs missing', desired: { automount: false }, live: {}, want: false },
    {
      name: 'boolean vs its string',
      desired: { automount: false },
      live: { automount: 'false' },
      want: false,
    },
    { name: 'scalar vs object', desired: { a: 'x' }, live: { a: { b: 'x' } }, want: false },
    {
      name: 'labels subset',
      desired: { metadata: { labels: { app: 'web' } } },
      live: { metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } } },
      want: true,
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(isSubset(tc.desired, tc.live)).toBe(tc.want);
    });
  }
});

import { describe, expect, it } from 'vitest';
import { containerEnv, expandReferences } from './env.ts';

describe('Kubernetes $(VAR) expansion (port of expand.go)', () => {
  const vars: Record<string, string> = { VAR_A: 'A', VAR_B: 'B', VAR_REF: '$(VAR_A)', VAR_EMPTY: '' };
  // Cases from Kubernetes's own expand_test.go.
  it.each([
    ['$(VAR_A)', 'A'],
    ['___$(VAR_B)___', '___B___'],
    ['$$(VAR_B)_$(VAR_A)', '$(VAR_B)_A'],
    ['f000-$$VAR_A', 'f000-$VAR_A'],
    ['foo\\$(VAR_A)bar', 'foo\\Abar'],
    ['$(VAR_A$(VAR_B))', '$(VAR_A$(VAR_B))'],
    ['$(VAR_REF)', '$(VAR_A)'],
    ['foo$(VAR_EMPTY)bar', 'foobar'],
    ['foo$(VAR_Awhoops!', 'foo$(VAR_Awhoops!'],
    ['$?_boo_$!', '$?_boo_$!'],
    ['$(VAR_DNE)', '$(VAR_DNE)'],
    ['$$$$$$(BIG_MONEY)', '$$$(BIG_MONEY)'],
    ['$$$$$$$(VAR_A)', '$$$A'],
    ['${VAR_A}', '${VAR_A}'],
    ['$(VAR_B)_______$(A', 'B_______$(A'],
    ['$(VAR_A)foobarzab$', 'Afoobarzab$'],
    ['--$($($($($--', '--$($($($($--'],
    ['$(foo$$var)', '$(foo$$var)'],
    ['prefix-$€-suffix', 'prefix-$€-suffix'],
    ['$🛒$$🛒', '$🛒$🛒'],
  ])('%j -> %j', (input, expected) => {
    expect(expandReferences(input, (name) => vars[name])).toBe(expected);
  });

  it('a container sees a value expanded over the variables declared before it', () => {
    const env = containerEnv(
      {
        name: 'c',
        image: 'x:1',
        env: [
          { name: 'EARLY', value: '$(PASSWORD)' },
          { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 's', key: 'pw' } } },
          { name: 'LATE', value: '$(PASSWORD) $$(PASSWORD)' },
          { name: 'TITLE', valueFrom: { configMapKeyRef: { name: 'cm', key: 't' } } },
        ],
      },
      [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { t: '$(PASSWORD)' } }],
    );
    const secret = '<{"secretKeyRef":{"name":"s","key":"pw"}}>';
    expect(env.get('EARLY')).toBe('$(PASSWORD)');
    expect(env.get('LATE')).toBe(`${secret} $(PASSWORD)`);
    expect(env.get('TITLE')).toBe('$(PASSWORD)');
  });
});

import { describe, expect, it } from 'vitest';
import { layerValues, parseEnvironmentValues } from './values-layers.ts';

describe('layerValues', () => {
  const cases: { name: string; base: object; top: object; want: object }[] = [
    { name: 'empty over empty', base: {}, top: {}, want: {} },
    { name: 'top adds keys', base: { a: 1 }, top: { b: 2 }, want: { a: 1, b: 2 } },
    { name: 'top scalar wins', base: { a: 1 }, top: { a: 2 }, want: { a: 2 } },
    {
      name: 'mappings merge deeply',
      base: { ingress: { className: 'traefik', annotations: { x: '1' } } },
      top: { ingress: { host: 'shop.example.com', annotations: { y: '2' } } },
      want: { ingress: { className: 'traefik', host: 'shop.example.com', annotations: { x: '1', y: '2' } } },
    },
    { name: 'lists are replaced, not merged', base: { l: [1, 2] }, top: { l: [3] }, want: { l: [3] } },
    { name: 'a scalar replaces a mapping', base: { a: { b: 1 } }, top: { a: 'x' }, want: { a: 'x' } },
    { name: 'a mapping replaces a scalar', base: { a: 'x' }, top: { a: { b: 1 } }, want: { a: { b: 1 } } },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const base = structuredClone(tc.base);
      expect(layerValues(base as never, tc.top as never)).toEqual(tc.want);
      expect(base).toEqual(tc.base);
    });
  }
});

describe('parseEnvironmentValues', () => {
  it('reads a mapping', () => {
    expect(parseEnvironmentValues('ingress:\n  className: traefik\n', 'prod.yaml')).toEqual({
      ingress: { className: 'traefik' },
    });
  });
  it('treats an empty file as no values', () => {
    expect(parseEnvironmentValues('', 'empty.yaml')).toEqual({});
    expect(parseEnvironmentValues('# only a comment\n', 'c.yaml')).toEqual({});
  });
  it('refuses a list or a scalar with the file name', () => {
    expect(() => parseEnvironmentValues('- a\n- b\n', 'list.yaml')).toThrow(
      'list.yaml must be a YAML mapping of chart values',
    );
    expect(() => parseEnvironmentValues('42', 'n.yaml')).toThrow('n.yaml must be a YAML mapping');
  });
  it('refuses broken YAML with the parser message', () => {
    expect(() => parseEnvironmentValues('a: [1, 2\n', 'bad.yaml')).toThrow(/^bad\.yaml is not valid YAML: /);
  });
});

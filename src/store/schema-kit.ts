import Type, { type TSchema, type TUnsafe } from 'typebox';

/**
 * Small schema builders that produce JSON Schema valid both for our API validation (TypeBox) and
 * as a *structural* Kubernetes openAPIV3Schema: every node has a `type`, enums are plain strings.
 */
export function stringEnum<const V extends readonly string[]>(
  values: V,
  opts: { description?: string; default?: V[number] } = {},
) {
  return Type.Unsafe<V[number]>({ type: 'string', enum: [...values], ...opts });
}

/** Kubernetes extension keywords (CEL rules, list semantics) carried on a schema node. */
export interface KubeExtensions {
  'x-kubernetes-validations'?: { rule: string; message: string; reason?: string }[];
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

export function withKube<T extends TSchema>(schema: T, ext: KubeExtensions): T {
  return { ...schema, ...ext };
}

export type { TUnsafe };

/**
 * Turns an API schema into a CRD openAPIV3Schema: drops `additionalProperties: false` (not allowed
 * next to `properties` in a structural schema; the API server's strict field validation and
 * pruning reject or drop unknown fields instead) and TypeBox's internal keys.
 */
export function toStructural(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toStructural);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'additionalProperties' && value === false) continue;
    if (key === '$id' || key === '$schema' || key.startsWith('~')) continue;
    out[key] = toStructural(value);
  }
  return out;
}

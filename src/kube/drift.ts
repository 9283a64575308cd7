import { isDeepStrictEqual } from 'node:util';
import type { ManagedFieldsEntry, RawObject } from './raw.ts';

/**
 * Drift, decided the way Flux does (fluxcd/pkg ssa: Diff, hasDrifted, cleanup of field managers):
 * the API server's answer to a server-side apply dry-run of the desired object is compared with
 * the live object, so defaults, normalisation (an env var with an empty value) and admission are
 * the API server's, never a hand-written comparison. Fields another writer *added* are invisible
 * to that comparison (the apply leaves what it does not own), so writers such as `kubectl edit`,
 * `kubectl patch` or a client-side `kubectl apply` are also drift: their managedFields entries
 * show what they touched, and the repair hands those fields to the owner before applying again,
 * which removes them.
 */

/** A field manager whose writes count as drift: by name prefix, any operation, no subresource. */
export interface ForeignManagerRule {
  prefix: string;
  /** Names that match the prefix but are not drift (kubectl rollout restart is an operation). */
  except?: string[];
}

export const defaultForeignManagers: ForeignManagerRule[] = [
  // kubectl edit, patch, label, annotate, set, scale, replace, client-side apply (kubectl-client-side-apply)
  // and server-side apply (kubectl). `kubectl rollout restart` only stamps a restart time.
  { prefix: 'kubectl', except: ['kubectl-rollout'] },
  // what a client-side apply leaves on objects it adopted
  { prefix: 'before-first-apply' },
];

export type DriftKind = 'missing' | 'changed' | 'foreign';

export interface ObjectDrift {
  kind: DriftKind;
  /** "NetworkPolicy default-deny" */
  object: string;
  /** In words, for Events: what differs and who wrote it. */
  detail: string;
  /** The managers whose fields must be handed over before the repair. */
  foreign: ManagedFieldsEntry[];
}

export function describeObject(obj: RawObject): string {
  return `${obj.kind ?? 'object'} ${obj.metadata?.name ?? '?'}`;
}

/** What the comparison ignores: identity, bookkeeping and status (Flux prepareObjectForDiff). */
function body(obj: RawObject): Record<string, unknown> {
  const { metadata: _m, status: _s, ...rest } = obj;
  return rest;
}

/** Paths (dotted) where `a` and `b` differ, at most `max`, shallowest first. */
export function differingPaths(a: unknown, b: unknown, max = 5, prefix = ''): string[] {
  if (isDeepStrictEqual(a, b)) return [];
  const isObj = (v: unknown): v is Record<string, unknown> =>
    Boolean(v) && typeof v === 'object' && !Array.isArray(v);
  if (!isObj(a) || !isObj(b)) return [prefix || '(root)'];
  const out: string[] = [];
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (out.length >= max) break;
    const here = prefix ? `${prefix}.${key}` : key;
    if (!(key in a)) out.push(`${here} (added)`);
    else if (!(key in b)) out.push(`${here} (removed)`);
    else out.push(...differingPaths(a[key], b[key], max - out.length, here));
  }
  return out;
}

/** True when the dry-run result differs from the live object in labels, annotations or body. */
export function hasDrifted(live: RawObject, dryRun: RawObject): boolean {
  return (
    !isDeepStrictEqual(dryRun.metadata?.labels ?? {}, live.metadata?.labels ?? {}) ||
    !isDeepStrictEqual(dryRun.metadata?.annotations ?? {}, live.metadata?.annotations ?? {}) ||
    !isDeepStrictEqual(body(dryRun), body(live))
  );
}

export function isForeign(entry: ManagedFieldsEntry, rules: ForeignManagerRule[]): boolean {
  if (entry.subresource || !entry.manager) return false;
  const name = entry.manager;
  return rules.some((r) => name.startsWith(r.prefix) && !(r.except ?? []).includes(name));
}

/** The managedFields entries of writers whose changes are drift. */
export function foreignWriters(live: RawObject, rules: ForeignManagerRule[]): ManagedFieldsEntry[] {
  return (live.metadata?.managedFields ?? []).filter((e) => isForeign(e, rules));
}

/** The drift of one object, from the live object and the API server's dry-run of the desired one. */
export function compareObject(
  desired: RawObject,
  live: RawObject | undefined,
  dryRun: RawObject | undefined,
  rules: ForeignManagerRule[],
): ObjectDrift | undefined {
  const object = describeObject(desired);
  if (!live) return { kind: 'missing', object, detail: `${object} was deleted`, foreign: [] };
  const foreign = foreignWriters(live, rules);
  if (dryRun && hasDrifted(live, dryRun)) {
    const paths = [
      ...differingPaths(live.metadata?.labels ?? {}, dryRun.metadata?.labels ?? {}, 3, 'metadata.labels'),
      ...differingPaths(
        live.metadata?.annotations ?? {},
        dryRun.metadata?.annotations ?? {},
        3,
        'metadata.annotations',
      ),
      ...differingPaths(body(live), body(dryRun)),
    ].slice(0, 5);
    return {
      kind: 'changed',
      object,
      detail: `${object} was changed (${paths.join(', ')})${writers(foreign)}`,
      foreign,
    };
  }
  if (foreign.length) {
    return { kind: 'foreign', object, detail: `${object} was changed${writers(foreign)}`, foreign };
  }
  return undefined;
}

function writers(foreign: ManagedFieldsEntry[]): string {
  const names = [...new Set(foreign.map((f) => f.manager))];
  return names.length ? ` by ${names.join(', ')}` : '';
}

/** Union of two FieldsV1 sets (both are tries of "f:"/"k:"/"v:" keys). */
export function mergeFieldSets(
  a: Record<string, unknown> | undefined,
  b: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(a ?? {}) };
  for (const [k, v] of Object.entries(b ?? {})) {
    const under = out[k];
    out[k] =
      under && typeof under === 'object' && v && typeof v === 'object'
        ? mergeFieldSets(under as Record<string, unknown>, v as Record<string, unknown>)
        : (v ?? under);
  }
  return out;
}

/**
 * The JSON patch that hands the fields of `foreign` writers to `owner` (an Apply entry), as Flux's
 * PatchReplaceFieldsManagers does: afterwards `owner` applying its desired object removes the
 * fields the foreign writers added. `test` on the resourceVersion makes a concurrent change fail.
 */
export function takeoverPatch(live: RawObject, foreign: ManagedFieldsEntry[], owner: string): unknown[] {
  const entries = live.metadata?.managedFields ?? [];
  const isOwner = (e: ManagedFieldsEntry) => e.manager === owner && e.operation === 'Apply' && !e.subresource;
  const current = entries.find(isOwner);
  let fields = current?.fieldsV1;
  for (const f of foreign) fields = mergeFieldSets(fields, f.fieldsV1);
  const merged: ManagedFieldsEntry = {
    manager: owner,
    operation: 'Apply',
    apiVersion: current?.apiVersion ?? live.apiVersion,
    time: current?.time ?? new Date().toISOString(),
    fieldsType: 'FieldsV1',
    fieldsV1: fields ?? {},
  };
  const kept = entries.filter((e) => !isOwner(e) && !foreign.includes(e));
  return [
    { op: 'test', path: '/metadata/resourceVersion', value: live.metadata?.resourceVersion },
    { op: 'replace', path: '/metadata/managedFields', value: [...kept, merged] },
  ];
}

/** The Apply-operation manager that owns most of an object made by a tool (Helm: "helm"). */
export function applyOwner(
  live: RawObject,
  exclude: string[],
  rules: ForeignManagerRule[],
): string | undefined {
  return (live.metadata?.managedFields ?? []).find(
    (e) =>
      e.operation === 'Apply' &&
      !e.subresource &&
      e.manager !== undefined &&
      !exclude.includes(e.manager) &&
      !isForeign(e, rules),
  )?.manager;
}

/**
 * Hands the fields of foreign writers on the live object to `owner`, re-reading it first and
 * trying again when it changed meanwhile (a controller writing status bumps its resourceVersion).
 */
export async function takeOver(
  raw: {
    get(o: RawObject): Promise<RawObject | undefined>;
    jsonPatch(o: RawObject, ops: unknown[], m: string): Promise<RawObject>;
  },
  object: RawObject,
  owner: string | ((live: RawObject) => string | undefined),
  rules: ForeignManagerRule[],
  manager: string,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const live = await raw.get(object);
    if (!live) return;
    const foreign = foreignWriters(live, rules);
    const to = typeof owner === 'string' ? owner : owner(live);
    if (!foreign.length || !to) return;
    try {
      await raw.jsonPatch(live, takeoverPatch(live, foreign, to), manager);
      return;
    } catch (err) {
      // 409 or 422 (the resourceVersion test failed): someone wrote in between; read again. A
      // rollout's status writes come in a burst, so wait a little longer each time.
      const code = (err as { code?: number }).code;
      if (attempt >= 5 || (code !== 409 && code !== 422)) throw err;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
}

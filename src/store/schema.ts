import Type, { type Static } from 'typebox';
import { ownerPattern } from './naming.ts';
import { stringEnum, withKube } from './schema-kit.ts';
import { conditionTypes, type storeApiVersion } from './keys.ts';

/**
 * The Store contract (DESIGN.md §3), written once. It is the source of the TypeScript types,
 * of the CRD's openAPIV3Schema (see crd.ts, checked in under deploy/crds) and of API validation.
 */

export const engines = ['woocommerce', 'medusa'] as const;
export type Engine = (typeof engines)[number];
export const plans = ['small', 'medium', 'large'] as const;
export type Plan = (typeof plans)[number];

export const StoreSpec = Type.Object(
  {
    engine: withKube(
      stringEnum(engines, { description: 'The e-commerce engine. Cannot be changed after creation.' }),
      {
        'x-kubernetes-validations': [
          { rule: 'self == oldSelf', message: 'engine is immutable: create a new store instead' },
        ],
      },
    ),
    displayName: Type.String({
      minLength: 1,
      maxLength: 80,
      // Any text people can read; control characters (newlines, tabs, ESC) have no place in a
      // name, and Medusa trims names, so spaces at either end would not survive in one engine.
      pattern: '^[^\\s\\x00-\\x1f\\x7f](?:[^\\x00-\\x1f\\x7f]*[^\\s\\x00-\\x1f\\x7f])?$',
      description: 'Name shown to people: any text without control characters or spaces at either end.',
    }),
    owner: Type.String({
      minLength: 1,
      maxLength: 128,
      pattern: ownerPattern,
      description:
        'User who owns the store: a platform user name, or an e-mail address that WordPress and Medusa accept.',
    }),
    plan: stringEnum(plans, {
      default: 'small',
      description: 'Size: maps to the namespace quota and the workload resources.',
    }),
    version: Type.Optional(
      Type.String({
        maxLength: 32,
        pattern: '^$|^[0-9]+\\.[0-9]+\\.[0-9]+([-+][0-9A-Za-z.-]+)?$',
        description: 'Engine chart version (semver); empty means the platform default.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type StoreSpec = Static<typeof StoreSpec>;

export const conditionStatuses = ['True', 'False', 'Unknown'] as const;

export const Condition = Type.Object(
  {
    type: stringEnum(conditionTypes),
    status: stringEnum(conditionStatuses),
    observedGeneration: Type.Optional(Type.Integer({ minimum: 0 })),
    lastTransitionTime: Type.String({ format: 'date-time' }),
    reason: Type.String({ maxLength: 128 }),
    message: Type.String({ maxLength: 4096 }),
  },
  { additionalProperties: false },
);
export type Condition = Static<typeof Condition>;

/**
 * For people; clients key off conditions. Pending: accepted, nothing done yet. Provisioning: an
 * attempt (create, update, retry, repair) is under way. Ready: serving. Degraded: was Ready, a
 * workload is not ready now, and the operator waits for it to recover. Failed: an attempt failed
 * (retrying, or Stalled until a person acts). Deleting: being removed.
 */
export const phases = ['Pending', 'Provisioning', 'Ready', 'Degraded', 'Failed', 'Deleting'] as const;
export type Phase = (typeof phases)[number];

export const HistoryEntry = Type.Object(
  {
    revision: Type.Integer({ minimum: 1 }),
    chartVersion: Type.String(),
    configDigest: Type.String(),
    status: Type.String(),
    action: stringEnum(['install', 'upgrade'] as const),
    time: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type HistoryEntry = Static<typeof HistoryEntry>;

export const ActivityEntry = Type.Object(
  {
    time: Type.String({ format: 'date-time' }),
    type: stringEnum(['Normal', 'Warning'] as const),
    reason: Type.String(),
    message: Type.String({ maxLength: 1024 }),
  },
  { additionalProperties: false },
);
export type ActivityEntry = Static<typeof ActivityEntry>;

export const Failure = Type.Object(
  {
    reason: Type.String(),
    message: Type.String({ maxLength: 2048 }),
    fix: Type.String({ maxLength: 1024 }),
    since: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type Failure = Static<typeof Failure>;

/** The attempt under way: its deadline is measured from its start, and it ends at Ready or Stalled. */
export const attemptKinds = ['provision', 'update', 'upgrade', 'retry', 'repair'] as const;
export type AttemptKind = (typeof attemptKinds)[number];
export const Attempt = Type.Object(
  {
    kind: stringEnum(attemptKinds),
    startedAt: Type.String({ format: 'date-time' }),
    generation: Type.Integer({ minimum: 0 }),
    reason: Type.String({ maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type Attempt = Static<typeof Attempt>;

/** A volume holding the store's data, as last seen: a claim recorded here that disappears is lost data. */
export const DataVolumeStatus = Type.Object(
  {
    what: Type.String({ maxLength: 64 }),
    claim: Type.String({ maxLength: 253 }),
    size: Type.String({ maxLength: 32 }),
  },
  { additionalProperties: false },
);
export type DataVolumeStatus = Static<typeof DataVolumeStatus>;

export const StoreStatus = Type.Object(
  {
    observedGeneration: Type.Optional(Type.Integer({ minimum: 0 })),
    phase: Type.Optional(stringEnum(phases)),
    conditions: Type.Optional(
      withKube(Type.Array(Condition, { maxItems: 16 }), {
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['type'],
      }),
    ),
    url: Type.Optional(Type.String()),
    adminUrl: Type.Optional(Type.String()),
    namespace: Type.Optional(Type.String()),
    history: Type.Optional(Type.Array(HistoryEntry, { maxItems: 5 })),
    failures: Type.Optional(
      Type.Integer({ minimum: 0, description: 'Failed tries of the current attempt.' }),
    ),
    failingSince: Type.Optional(
      Type.String({ format: 'date-time', description: 'First failed try of the current attempt.' }),
    ),
    lastFailure: Type.Optional(Failure),
    lastAttemptedConfigDigest: Type.Optional(Type.String()),
    lastHandledRequestedAt: Type.Optional(Type.String()),
    attempt: Type.Optional(Attempt),
    volumes: Type.Optional(Type.Array(DataVolumeStatus, { maxItems: 8 })),
    readyAt: Type.Optional(
      Type.String({ format: 'date-time', description: 'When the store first became Ready.' }),
    ),
    activity: Type.Optional(Type.Array(ActivityEntry, { maxItems: 20 })),
  },
  { additionalProperties: false },
);
export type StoreStatus = Static<typeof StoreStatus>;

export interface Store {
  apiVersion: typeof storeApiVersion;
  kind: 'Store';
  metadata: {
    name: string;
    uid?: string;
    generation?: number;
    resourceVersion?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    finalizers?: string[];
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: StoreSpec;
  status?: StoreStatus;
}

import Type, { type Static } from 'typebox';
import { stringEnum, withKube } from './schema-kit.ts';

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
    displayName: Type.String({ minLength: 1, maxLength: 80, description: 'Name shown to people.' }),
    owner: Type.String({
      minLength: 1,
      maxLength: 128,
      pattern: '^[A-Za-z0-9][A-Za-z0-9._@+-]*$',
      description: 'User who owns the store (a platform user name or e-mail).',
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
    type: Type.String({ maxLength: 64 }),
    status: stringEnum(conditionStatuses),
    observedGeneration: Type.Optional(Type.Integer({ minimum: 0 })),
    lastTransitionTime: Type.String({ format: 'date-time' }),
    reason: Type.String({ maxLength: 128 }),
    message: Type.String({ maxLength: 4096 }),
  },
  { additionalProperties: false },
);
export type Condition = Static<typeof Condition>;

export const phases = ['Pending', 'Provisioning', 'Ready', 'Failed', 'Deleting'] as const;
export type Phase = (typeof phases)[number];

export const HistoryEntry = Type.Object(
  {
    revision: Type.Integer({ minimum: 1 }),
    chartVersion: Type.String(),
    configDigest: Type.String(),
    status: Type.String(),
    action: stringEnum(['install', 'upgrade', 'recover'] as const),
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
      Type.Integer({ minimum: 0, description: 'Failed attempts for the current config digest.' }),
    ),
    lastFailure: Type.Optional(Failure),
    lastAttemptedConfigDigest: Type.Optional(Type.String()),
    lastHandledRequestedAt: Type.Optional(Type.String()),
    provisioningStartedAt: Type.Optional(Type.String({ format: 'date-time' })),
    readyAt: Type.Optional(Type.String({ format: 'date-time' })),
    activity: Type.Optional(Type.Array(ActivityEntry, { maxItems: 20 })),
  },
  { additionalProperties: false },
);
export type StoreStatus = Static<typeof StoreStatus>;

export const storeGroup = 'storeplane.dev';
export const storeVersion = 'v1alpha1';
export const storeApiVersion = `${storeGroup}/${storeVersion}`;
export const storePlural = 'stores';

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

/** Annotation that asks for a retry now (its value is any new string, usually a timestamp). */
export const requestedAtAnnotation = 'storeplane.dev/requested-at';
export const storeFinalizer = 'storeplane.dev/finalizer';

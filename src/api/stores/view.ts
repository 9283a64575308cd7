import Type, { type Static } from 'typebox';
import { getCondition, isTrue } from '../../store/conditions.ts';
import { annotations as annotationKeys, type ConditionType } from '../../store/keys.ts';
import { namespaceFor } from '../../store/naming.ts';
import { stringEnum } from '../../store/schema-kit.ts';
import {
  ActivityEntry,
  Attempt,
  Condition,
  engines,
  Failure,
  HistoryEntry,
  type Phase,
  phases,
  plans,
  type Store,
} from '../../store/schema.ts';

/**
 * What the API shows of a Store: a small summary for lists and the live stream, and a detail
 * with the provisioning pipeline, derived from the status the operator writes (never from the
 * event that carried it). Pure: no I/O, `now` only for the elapsed time of a running stage.
 */

/** The pipeline, in the order the operator works through it, each stage with its condition. */
export const pipelineStages = [
  { stage: 'namespace', condition: 'NamespaceReady' },
  { stage: 'guardrails', condition: 'GuardrailsReady' },
  { stage: 'credentials', condition: 'CredentialsReady' },
  { stage: 'release', condition: 'Released' },
  { stage: 'workloads', condition: 'WorkloadsReady' },
  { stage: 'setup', condition: 'SetupComplete' },
] as const satisfies readonly { stage: string; condition: ConditionType }[];
export type PipelineStageName = (typeof pipelineStages)[number]['stage'];
const stageNames = pipelineStages.map((s) => s.stage);
const stageConditions = pipelineStages.map((s) => s.condition);

export const stageStates = ['done', 'running', 'failed', 'waiting'] as const;
export type StageState = (typeof stageStates)[number];

/**
 * Failures that come from no stage condition: the data-volume checks run between the namespace
 * and the guardrails and write none, so their refusals are shown by `lastFailure` and `stalled`
 * only, never pinned on a stage they did not come from.
 */
const failuresOutsideThePipeline = new Set(['DataVolumeLost', 'VolumeShrinkRefused']);

export const PipelineStep = Type.Object(
  {
    stage: stringEnum(stageNames),
    condition: stringEnum(stageConditions),
    state: stringEnum(stageStates, {
      description:
        'done: finished for the current spec; running: the operator works on it now; failed: the current failure is here; waiting: not reached yet.',
    }),
    reason: Type.Optional(Type.String()),
    message: Type.Optional(Type.String()),
    since: Type.Optional(
      Type.String({ format: 'date-time', description: "The condition's last transition." }),
    ),
    seconds: Type.Optional(
      Type.Number({
        minimum: 0,
        description:
          'Done: time from the previous stage (or the creation) to this one. Running: time so far. Meaningful for a first provisioning; after updates it spans the time since the previous stage last changed.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type PipelineStep = Static<typeof PipelineStep>;

export const StoreSummary = Type.Object(
  {
    name: Type.String(),
    displayName: Type.String(),
    engine: stringEnum(engines),
    plan: stringEnum(plans),
    owner: Type.String(),
    version: Type.Optional(Type.String()),
    phase: stringEnum(phases),
    stage: Type.Optional(
      stringEnum(stageNames, {
        description: 'While Pending, Provisioning or an attempt is under way: the first stage not done.',
      }),
    ),
    message: Type.Optional(Type.String({ description: "The Ready condition's message." })),
    url: Type.Optional(Type.String()),
    adminUrl: Type.Optional(Type.String()),
    namespace: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    readyAt: Type.Optional(Type.String({ format: 'date-time' })),
    provisioningSeconds: Type.Optional(
      Type.Number({ minimum: 0, description: 'From creation to the first Ready, one decimal.' }),
    ),
    lastFailure: Type.Optional(Failure),
    stalled: Type.Boolean({ description: 'A person must act (fix, then retry) before anything happens.' }),
    generation: Type.Integer({ minimum: 0 }),
    observedGeneration: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type StoreSummary = Static<typeof StoreSummary>;

export const StoreDetail = Type.Object(
  {
    ...StoreSummary.properties,
    pipeline: Type.Array(PipelineStep),
    conditions: Type.Array(Condition),
    attempt: Type.Optional(Attempt),
    failures: Type.Optional(
      Type.Integer({ minimum: 0, description: 'Failed tries of the current attempt.' }),
    ),
    activity: Type.Array(ActivityEntry, { description: 'Newest first.' }),
    history: Type.Array(HistoryEntry, { description: 'Releases, newest first.' }),
    reconciling: Type.Optional(
      Type.Object({ reason: Type.String(), message: Type.String() }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);
export type StoreDetail = Static<typeof StoreDetail>;

const ms = (iso: string | undefined): number | undefined => {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
};
const oneDecimal = (seconds: number) => Math.round(seconds * 10) / 10;

/** The phase a person should see: Deleting wins; a store the operator has not written yet is Pending. */
export function storePhase(store: Store): Phase {
  if (store.metadata.deletionTimestamp) return 'Deleting';
  const status = store.status;
  if (status?.phase) return status.phase;
  // Stores whose status an older operator wrote before its first helm install carry conditions only.
  return isTrue(status?.conditions, 'Reconciling') ? 'Provisioning' : 'Pending';
}

/**
 * One step per stage. A stage is done when its condition is True for the current spec: a True
 * left from an earlier generation while the operator works on a newer one is not done yet (the
 * operator stamps every condition it sets with the generation it worked on). The first stage not
 * done is failed when the store is Failed or Stalled because of it, running while Reconciling is
 * True, else waiting; any stage whose False condition carries the current failure's reason is failed.
 */
export function storePipeline(store: Store, now: Date = new Date()): PipelineStep[] {
  const conditions = store.status?.conditions;
  const generation = store.metadata.generation;
  const deleting = Boolean(store.metadata.deletionTimestamp);
  const failure = store.status?.lastFailure;
  const failing =
    !deleting &&
    (isTrue(conditions, 'Stalled') || store.status?.phase === 'Failed') &&
    !(failure && failuresOutsideThePipeline.has(failure.reason));
  const working = !deleting && isTrue(conditions, 'Reconciling');
  const current = (c: Condition) =>
    deleting ||
    generation === undefined ||
    c.observedGeneration === undefined ||
    c.observedGeneration >= generation;

  const created = ms(store.metadata.creationTimestamp);
  // Transition times of the done stages so far, to measure each stage from the one before it.
  const doneAt: number[] = [];
  const from = (t: number | undefined) => {
    if (t === undefined) return undefined;
    // The latest earlier stage that finished before this one (SetupComplete, for one, is
    // stamped together with Released, before WorkloadsReady), else the creation.
    const earlier = doneAt.filter((d) => d <= t);
    return earlier.length ? Math.max(...earlier) : created;
  };

  let firstOpenSeen = false;
  return pipelineStages.map(({ stage, condition }): PipelineStep => {
    const raw = getCondition(conditions, condition);
    const c = raw && current(raw) ? raw : undefined;
    const step: PipelineStep = { stage, condition, state: 'waiting' };
    if (c) {
      step.reason = c.reason;
      step.message = c.message;
      step.since = c.lastTransitionTime;
    }
    const at = ms(c?.lastTransitionTime);
    if (c?.status === 'True') {
      step.state = 'done';
      const start = from(at);
      if (at !== undefined && start !== undefined) step.seconds = oneDecimal(Math.max(0, at - start) / 1000);
      if (at !== undefined) doneAt.push(at);
      return step;
    }
    const first = !firstOpenSeen;
    firstOpenSeen = true;
    if (!deleting && c?.status === 'False' && failure && failure.reason === c.reason) step.state = 'failed';
    else if (first && failing) step.state = 'failed';
    else if (first && working) {
      step.state = 'running';
      const start = doneAt.length ? Math.max(...doneAt) : created;
      if (start !== undefined) step.seconds = oneDecimal(Math.max(0, now.getTime() - start) / 1000);
    }
    return step;
  });
}

/** Whether a retry was requested (annotation) that the operator has not handled yet. */
export function retryPending(store: Store): boolean {
  const requested = store.metadata.annotations?.[annotationKeys.requestedAt];
  return Boolean(requested) && requested !== store.status?.lastHandledRequestedAt;
}

function summaryFrom(store: Store, pipeline: PipelineStep[]): StoreSummary {
  const { metadata, spec, status } = store;
  const phase = storePhase(store);
  const conditions = status?.conditions;
  const summary: StoreSummary = {
    name: metadata.name,
    displayName: spec.displayName,
    engine: spec.engine,
    plan: spec.plan,
    owner: spec.owner,
    phase,
    namespace: namespaceFor(metadata.name),
    createdAt: metadata.creationTimestamp ?? '',
    // A retry asked for and not yet taken up: the operator is about to act, nobody needs to.
    stalled: isTrue(conditions, 'Stalled') && !retryPending(store),
    generation: metadata.generation ?? 0,
  };
  if (spec.version) summary.version = spec.version;
  // Also while an attempt is under way behind an older phase: the operator writes the phase only
  // at the end of a pass, so during a helm upgrade it still says Ready (or Failed, on a retry).
  const attemptRunning =
    Boolean(status?.attempt) && isTrue(conditions, 'Reconciling') && phase !== 'Deleting';
  if (phase === 'Pending' || phase === 'Provisioning' || attemptRunning) {
    const open = pipeline.find((s) => s.state !== 'done');
    if (open) summary.stage = open.stage;
  }
  const ready = getCondition(conditions, 'Ready');
  if (ready?.message) summary.message = ready.message;
  if (status?.url) summary.url = status.url;
  if (status?.adminUrl) summary.adminUrl = status.adminUrl;
  if (status?.readyAt) {
    summary.readyAt = status.readyAt;
    const created = ms(metadata.creationTimestamp);
    const readyAt = ms(status.readyAt);
    if (created !== undefined && readyAt !== undefined && readyAt >= created)
      summary.provisioningSeconds = oneDecimal((readyAt - created) / 1000);
  }
  if (status?.lastFailure) summary.lastFailure = { ...status.lastFailure };
  if (status?.observedGeneration !== undefined) summary.observedGeneration = status.observedGeneration;
  return summary;
}

/** The small view: for lists of hundreds and for every event of the live stream. */
export function storeSummary(store: Store, now: Date = new Date()): StoreSummary {
  return summaryFrom(store, storePipeline(store, now));
}

const summaries = new WeakMap<Store, StoreSummary>();

/**
 * storeSummary, computed once per Store object: a summary does not depend on the time, and the
 * directory replaces a Store object whenever the store changes. Callers must not mutate it.
 */
export function cachedSummary(store: Store): StoreSummary {
  let s = summaries.get(store);
  if (!s) summaries.set(store, (s = storeSummary(store)));
  return s;
}

/** The whole view of one store: the summary plus its pipeline, conditions, activity and releases. */
export function storeDetail(store: Store, now: Date = new Date()): StoreDetail {
  const pipeline = storePipeline(store, now);
  const status = store.status;
  const detail: StoreDetail = {
    ...summaryFrom(store, pipeline),
    pipeline,
    conditions: [...(status?.conditions ?? [])],
    activity: [...(status?.activity ?? [])].reverse(),
    history: [...(status?.history ?? [])],
  };
  if (status?.attempt) detail.attempt = { ...status.attempt };
  if (status?.failures !== undefined) detail.failures = status.failures;
  const reconciling = getCondition(status?.conditions, 'Reconciling');
  if (reconciling?.status === 'True')
    detail.reconciling = { reason: reconciling.reason, message: reconciling.message };
  return detail;
}

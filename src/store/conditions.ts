import type { ActivityEntry, Condition, Phase } from './schema.ts';

export const conditionTypes = [
  'Ready',
  'Reconciling',
  'Stalled',
  'NamespaceReady',
  'GuardrailsReady',
  'CredentialsReady',
  'Released',
  'WorkloadsReady',
  'SetupComplete',
  'Drifted',
] as const;
export type ConditionType = (typeof conditionTypes)[number];

export interface ConditionInput {
  type: ConditionType;
  status: Condition['status'];
  reason: string;
  message: string;
}

/**
 * Sets one condition, keeping lastTransitionTime when the status did not change (API
 * conventions), and keeps the list in a stable order so clients do not flicker.
 */
export function setCondition(
  list: Condition[] | undefined,
  c: ConditionInput,
  generation: number,
  now: Date,
): Condition[] {
  const existing = list?.find((x) => x.type === c.type);
  const next: Condition = {
    type: c.type,
    status: c.status,
    reason: c.reason,
    message: c.message.slice(0, 4096),
    observedGeneration: generation,
    lastTransitionTime:
      existing && existing.status === c.status ? existing.lastTransitionTime : now.toISOString(),
  };
  const rest = (list ?? []).filter((x) => x.type !== c.type);
  return sortConditions([...rest, next]);
}

export function removeCondition(list: Condition[] | undefined, type: ConditionType): Condition[] {
  return (list ?? []).filter((x) => x.type !== type);
}

export function getCondition(list: Condition[] | undefined, type: ConditionType): Condition | undefined {
  return list?.find((x) => x.type === type);
}

export function isTrue(list: Condition[] | undefined, type: ConditionType): boolean {
  return getCondition(list, type)?.status === 'True';
}

function sortConditions(list: Condition[]): Condition[] {
  const rank = (t: string) => {
    const i = (conditionTypes as readonly string[]).indexOf(t);
    return i === -1 ? conditionTypes.length : i;
  };
  return [...list].sort((a, b) => rank(a.type) - rank(b.type) || a.type.localeCompare(b.type));
}

/** The phase shown to people, derived from conditions (clients should key off conditions). */
export function phaseOf(conditions: Condition[] | undefined, deleting: boolean): Phase {
  if (deleting) return 'Deleting';
  if (isTrue(conditions, 'Ready')) return 'Ready';
  const ready = getCondition(conditions, 'Ready');
  if (isTrue(conditions, 'Stalled') || (ready?.status === 'False' && ready.reason !== 'Progressing'))
    return 'Failed';
  if (!conditions?.length) return 'Pending';
  return 'Provisioning';
}

/** Appends to the activity ring (newest last), keeping at most `max` entries. */
export function addActivity(
  ring: ActivityEntry[] | undefined,
  entry: ActivityEntry,
  max = 20,
): ActivityEntry[] {
  return [...(ring ?? []), entry].slice(-max);
}

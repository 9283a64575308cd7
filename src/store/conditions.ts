import { type ConditionType, conditionTypes } from './keys.ts';
import type { ActivityEntry, Condition } from './schema.ts';

export { conditionTypes, type ConditionType };

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

/** Appends to the activity ring (newest last), keeping at most `max` entries. */
export function addActivity(
  ring: ActivityEntry[] | undefined,
  entry: ActivityEntry,
  max = 20,
): ActivityEntry[] {
  return [...(ring ?? []), entry].slice(-max);
}

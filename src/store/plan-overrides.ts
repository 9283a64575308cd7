import yaml from 'js-yaml';
import { defaultPlans, type PlanLimits } from './plans.ts';
import { type Plan, plans } from './schema.ts';

const quantity = /^[0-9]+(\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;

/**
 * Plan limits with an operator's overrides (YAML: `<plan>: {quota: {...}, containerMax: {...}}`)
 * merged over the defaults. Unknown plans or keys and malformed quantities are errors.
 */
export function mergePlanOverrides(text: string): Record<Plan, PlanLimits> {
  const doc = (yaml.load(text) ?? {}) as Record<string, unknown>;
  const result = structuredClone(defaultPlans);
  for (const [plan, override] of Object.entries(doc)) {
    if (!(plans as readonly string[]).includes(plan))
      throw new Error(`plans: unknown plan "${plan}" (plans are ${plans.join(', ')})`);
    merge(result[plan as Plan] as unknown as Record<string, unknown>, override, plan);
  }
  return result;
}

function merge(target: Record<string, unknown>, override: unknown, path: string): void {
  if (!override || typeof override !== 'object' || Array.isArray(override))
    throw new Error(`plans: ${path} must be a mapping`);
  for (const [key, value] of Object.entries(override)) {
    const here = `${path}.${key}`;
    if (!(key in target)) throw new Error(`plans: unknown key ${here}`);
    if (typeof target[key] === 'object') merge(target[key] as Record<string, unknown>, value, here);
    else if (typeof value !== 'string' && typeof value !== 'number')
      throw new Error(`plans: ${here} must be a quantity such as "500m" or "2Gi"`);
    else if (!quantity.test(String(value))) throw new Error(`plans: ${here} is not a quantity: "${value}"`);
    else target[key] = String(value);
  }
}

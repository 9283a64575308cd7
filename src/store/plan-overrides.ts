import yaml from 'js-yaml';
import { defaultPlans, type PlanLimits } from './plans.ts';
import { type Plan, plans } from './schema.ts';

const quantity = /^[0-9]+(\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;

/**
 * Resources a ResourceQuota can bound besides the ones every plan sets (kubernetes.io
 * "Resource Quotas"): a quota may add them (say, scratch disk or Jobs), nothing else.
 */
const extraQuotaKey =
  /^(requests\.ephemeral-storage|limits\.ephemeral-storage|ephemeral-storage|configmaps|secrets|replicationcontrollers|resourcequotas|count\/[a-z0-9]([a-z0-9.-]*[a-z0-9])?|[a-z0-9]([a-z0-9.-]*[a-z0-9])?\.storageclass\.storage\.k8s\.io\/(requests\.storage|persistentvolumeclaims))$/;

/**
 * Plan limits with an operator's overrides (YAML: `<plan>: {quota: {...}, containerMax: {...}}`)
 * merged over the defaults. Unknown plans or keys and malformed quantities are errors; a quota
 * may also add a resource it can bound that the defaults leave out (`extraQuotaKey`).
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
    const addable = /^[^.]+\.quota$/.test(path) && extraQuotaKey.test(key);
    if (!(key in target) && !addable) throw new Error(`plans: unknown key ${here}`);
    if (typeof target[key] === 'object') merge(target[key] as Record<string, unknown>, value, here);
    else if (typeof value !== 'string' && typeof value !== 'number')
      throw new Error(`plans: ${here} must be a quantity such as "500m" or "2Gi"`);
    else if (!quantity.test(String(value))) throw new Error(`plans: ${here} is not a quantity: "${value}"`);
    else target[key] = String(value);
  }
}

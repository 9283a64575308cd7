import type { Store } from '../../store/schema.ts';
import type { ApiLimits } from '../config.ts';
import { ApiError } from '../http/errors.ts';

export interface StoreCounts {
  /** Stores the user owns, deleting ones included (they hold resources until gone). */
  owned: number;
  /** The user's stores not yet Ready or Failed. */
  provisioning: number;
  /** Every store on the platform. */
  total: number;
}

const busy = (s: Store) =>
  !s.metadata.deletionTimestamp &&
  (!s.status?.phase || s.status.phase === 'Pending' || s.status.phase === 'Provisioning');

export function countStores(stores: Store[], owner: string): StoreCounts {
  let owned = 0;
  let provisioning = 0;
  for (const s of stores) {
    if (s.spec.owner !== owner) continue;
    owned++;
    if (busy(s)) provisioning++;
  }
  return { owned, provisioning, total: stores.length };
}

/**
 * Whether one more store may be created, and if not, a refusal that names the limit, the numbers
 * and what to do. Pure: the caller counts under a lock so that concurrent creates are exact.
 */
export function quotaRefusal(
  counts: StoreCounts,
  limits: ApiLimits,
  userLimit: number | null,
): ApiError | undefined {
  const limit = userLimit ?? limits.storeLimit;
  if (counts.owned >= limit) {
    return new ApiError(
      403,
      'store_limit_reached',
      `You have ${counts.owned} of your ${limit} stores. Delete one, or ask an admin to raise your limit.`,
      { limit: 'stores per user', max: limit, current: counts.owned },
    );
  }
  if (counts.total >= limits.globalStoreCap) {
    return new ApiError(
      503,
      'platform_full',
      `The platform holds its maximum of ${limits.globalStoreCap} stores. Try again when stores have been deleted, or ask an admin.`,
      {
        limit: 'stores on the platform',
        max: limits.globalStoreCap,
        current: counts.total,
        retryAfterSeconds: 300,
      },
      { 'retry-after': '300' },
    );
  }
  if (counts.provisioning >= limits.provisioningPerUser) {
    return new ApiError(
      429,
      'too_many_provisioning',
      `${counts.provisioning} of your stores are still provisioning (at most ${limits.provisioningPerUser} at once). Try again when one is Ready.`,
      {
        limit: 'stores provisioning at once',
        max: limits.provisioningPerUser,
        current: counts.provisioning,
        retryAfterSeconds: 30,
      },
      { 'retry-after': '30' },
    );
  }
  return undefined;
}

/**
 * Which publishable API key the storefront uses. The seed and GET /storeplane/config decide with
 * the same functions, so the key the seed made sure of is the key the storefront is given.
 * Pure: unit-tested without a database (storefront-key.test.ts).
 */

/** Title of the keys the seed creates; an owner's own keys have other titles. */
export const storefrontKeyTitle = 'Storeplane storefront';

/** An api_key row as `query.graph` returns it with `publishableKeyFields`. */
export interface PublishableKey {
  id: string;
  title: string;
  token: string;
  revoked_at?: Date | string | null;
  created_at?: Date | string | null;
  sales_channels?: ({ id?: string } | null)[] | null;
}

export const publishableKeyFields = ['id', 'title', 'token', 'revoked_at', 'created_at', 'sales_channels.id'];

const channelIds = (key: PublishableKey) =>
  (key.sales_channels ?? []).flatMap((sc) => (sc?.id ? [sc.id] : []));
const time = (t: Date | string | null | undefined) => (t ? new Date(t).getTime() : 0);

/**
 * The key a storefront can sell with: not revoked (a revocation scheduled for later counts too:
 * the key stops working then), and linked to the store's sales channel and no other, because the
 * Store API refuses a cart without a sales channel id for a key with several channels, and the
 * storefront sends none. The oldest such key wins, so every replica and every run agree.
 */
export function storefrontKey<K extends PublishableKey>(keys: K[], salesChannelId: string): K | undefined {
  return keys
    .filter((k) => !k.revoked_at)
    .filter((k) => {
      const ids = channelIds(k);
      return ids.length === 1 && ids[0] === salesChannelId;
    })
    .sort((a, b) => time(a.created_at) - time(b.created_at) || a.id.localeCompare(b.id))[0];
}

export type StorefrontKeyPlan<K> =
  | { action: 'keep'; key: K }
  /** A key of the seed's own that a run stopped before linking it: link it rather than add one. */
  | { action: 'link'; key: K }
  | { action: 'create' };

/**
 * What the seed does so the storefront has a key. Keys the owner made, revoked or put on other
 * channels are never changed: the seed adds a key of its own instead.
 */
export function planStorefrontKey<K extends PublishableKey>(
  keys: K[],
  salesChannelId: string,
): StorefrontKeyPlan<K> {
  const usable = storefrontKey(keys, salesChannelId);
  if (usable) return { action: 'keep', key: usable };
  const unlinked = keys.find(
    (k) => k.title === storefrontKeyTitle && !k.revoked_at && channelIds(k).length === 0,
  );
  return unlinked ? { action: 'link', key: unlinked } : { action: 'create' };
}

import { describe, expect, it } from 'vitest';
import {
  planStorefrontKey,
  storefrontKey,
  storefrontKeyTitle,
  type PublishableKey,
} from './storefront-key.ts';

const channel = 'sc_default';
const key = (id: string, over: Partial<PublishableKey> = {}): PublishableKey => ({
  id,
  title: 'Default Publishable API Key',
  token: `pk_${id}`,
  revoked_at: null,
  created_at: `2026-11-0${id.slice(-1)}T10:00:00.000Z`,
  sales_channels: [{ id: channel }],
  ...over,
});

describe('storefrontKey', () => {
  it.each<[string, PublishableKey[], string | undefined]>([
    ['the one key on the channel', [key('k1')], 'k1'],
    ['the oldest of several usable keys', [key('k3'), key('k1'), key('k2')], 'k1'],
    [
      'the oldest by time, not by the text of the date',
      [key('k1', { created_at: new Date('2026-11-03') }), key('k2', { created_at: new Date('2026-11-10') })],
      'k1',
    ],
    ['not a revoked key', [key('k1', { revoked_at: '2026-11-20T00:00:00Z' }), key('k2')], 'k2'],
    [
      'not a key whose revocation is scheduled',
      [key('k1', { revoked_at: new Date(Date.now() + 3.6e6) })],
      undefined,
    ],
    [
      'not a key that is also on another channel',
      [key('k1', { sales_channels: [{ id: channel }, { id: 'sc_b2b' }] }), key('k2')],
      'k2',
    ],
    ['not a key on another channel only', [key('k1', { sales_channels: [{ id: 'sc_b2b' }] })], undefined],
    [
      'not a key on no channel',
      [key('k1', { sales_channels: [] }), key('k2', { sales_channels: null })],
      undefined,
    ],
    ['none among no keys', [], undefined],
  ])('%s', (_case, keys, expected) => {
    expect(storefrontKey(keys, channel)?.id).toBe(expected);
  });
});

describe('planStorefrontKey', () => {
  it('keeps a usable key', () => {
    expect(planStorefrontKey([key('k1')], channel)).toEqual({ action: 'keep', key: key('k1') });
  });

  it("links a key of the seed's own that has no channel yet (an interrupted run)", () => {
    const own = key('k2', { title: storefrontKeyTitle, sales_channels: [] });
    expect(planStorefrontKey([key('k1', { revoked_at: '2026-11-20T00:00:00Z' }), own], channel)).toEqual({
      action: 'link',
      key: own,
    });
  });

  it.each<[string, PublishableKey[]]>([
    ['the only key revoked', [key('k1', { revoked_at: '2026-11-20T00:00:00Z' })]],
    ["the owner's key without a channel", [key('k1', { title: 'Mobile app', sales_channels: [] })]],
    [
      "the seed's own key, revoked",
      [key('k1', { title: storefrontKeyTitle, revoked_at: '2026-11-20', sales_channels: [] })],
    ],
    [
      "the seed's own key, put on a second channel",
      [key('k1', { title: storefrontKeyTitle, sales_channels: [{ id: channel }, { id: 'sc_b2b' }] })],
    ],
    ['no key at all', []],
  ])('creates a new key when %s', (_case, keys) => {
    expect(planStorefrontKey(keys, channel)).toEqual({ action: 'create' });
  });
});

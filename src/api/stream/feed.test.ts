import { describe, expect, it } from 'vitest';
import type { Store } from '../../store/schema.ts';
import { ChangeFeed, type StoreChangeSource, type StoreEvent, visibleChange } from './feed.ts';

const store = (name: string, rv = '1'): Store => ({
  apiVersion: 'storeplane.dev/v1alpha1',
  kind: 'Store',
  metadata: { name, resourceVersion: rv },
  spec: { engine: 'medusa', displayName: name, owner: 'alice', plan: 'small' },
});

function feedWith(n: number, capacity = 5, epoch = 'e1'): ChangeFeed {
  const feed = new ChangeFeed({ capacity, epoch });
  for (let i = 1; i <= n; i++) feed.publish('upsert', store(`s${i}`, String(i)));
  return feed;
}
const ids = (events: StoreEvent[] | undefined) => events?.map((e) => e.id);

describe('ChangeFeed ids', () => {
  it('numbers events <epoch>-<seq> from 1; the current id before any event is <epoch>-0', () => {
    const feed = new ChangeFeed({ epoch: 'abc' });
    expect(feed.currentId()).toBe('abc-0');
    expect(feed.publish('upsert', store('one')).id).toBe('abc-1');
    expect(feed.publish('delete', store('one')).id).toBe('abc-2');
    expect(feed.currentId()).toBe('abc-2');
  });

  it('gives each process start its own random epoch', () => {
    const a = new ChangeFeed();
    const b = new ChangeFeed();
    expect(a.epoch).toMatch(/^[0-9a-f]{16}$/);
    expect(a.epoch).not.toBe(b.epoch);
    expect(a.capacity).toBe(2000);
  });

  it('refuses an epoch that would make ids ambiguous', () => {
    expect(() => new ChangeFeed({ epoch: 'a-b' })).toThrow(/epoch/);
  });
});

describe('ChangeFeed.since', () => {
  const cases: { name: string; published: number; lastEventId: string; expected: string[] | undefined }[] = [
    { name: 'nothing missed', published: 3, lastEventId: 'e1-3', expected: [] },
    {
      name: 'the missed events, oldest first',
      published: 3,
      lastEventId: 'e1-1',
      expected: ['e1-2', 'e1-3'],
    },
    {
      name: 'from before the first event',
      published: 3,
      lastEventId: 'e1-0',
      expected: ['e1-1', 'e1-2', 'e1-3'],
    },
    {
      name: 'the oldest kept event is still resumable',
      published: 8,
      lastEventId: 'e1-3',
      expected: ['e1-4', 'e1-5', 'e1-6', 'e1-7', 'e1-8'],
    },
    { name: 'older than the ring', published: 8, lastEventId: 'e1-2', expected: undefined },
    {
      name: 'from before the first event, after the ring wrapped',
      published: 8,
      lastEventId: 'e1-0',
      expected: undefined,
    },
    { name: 'from another process (another epoch)', published: 3, lastEventId: 'e0-2', expected: undefined },
    { name: 'from the future of this epoch', published: 3, lastEventId: 'e1-4', expected: undefined },
    { name: 'an empty id', published: 3, lastEventId: '', expected: undefined },
    { name: 'no sequence', published: 3, lastEventId: 'e1-', expected: undefined },
    { name: 'no epoch', published: 3, lastEventId: '-1', expected: undefined },
    { name: 'a sequence that is not a number', published: 3, lastEventId: 'e1-1x', expected: undefined },
    { name: 'a negative sequence', published: 3, lastEventId: 'e1--1', expected: undefined },
    { name: 'a sequence with a leading zero', published: 3, lastEventId: 'e1-01', expected: undefined },
    { name: 'a huge sequence', published: 3, lastEventId: `e1-${'9'.repeat(40)}`, expected: undefined },
  ];
  it.each(cases)('$name', ({ published, lastEventId, expected }) => {
    expect(ids(feedWith(published).since(lastEventId))).toEqual(expected);
  });

  it('keeps exactly `capacity` events as the ring wraps many times', () => {
    const feed = feedWith(2003, 2000);
    expect(ids(feed.since('e1-2'))).toBeUndefined();
    const kept = feed.since('e1-3');
    expect(kept).toHaveLength(2000);
    expect(kept?.[0]?.id).toBe('e1-4');
    expect(kept?.[1999]?.id).toBe('e1-2003');
    expect(kept?.map((e) => e.store.metadata.name).slice(-2)).toEqual(['s2002', 's2003']);
  });
});

describe('ChangeFeed subscribers', () => {
  it('hears every event in order, until it unsubscribes', () => {
    const feed = new ChangeFeed({ epoch: 'e' });
    const heard: string[] = [];
    const off = feed.subscribe((e) => heard.push(`${e.id} ${e.type} ${e.store.metadata.name}`));
    expect(feed.subscriberCount()).toBe(1);
    feed.publish('upsert', store('a'));
    feed.publish('delete', store('a'));
    off();
    off();
    feed.publish('upsert', store('b'));
    expect(heard).toEqual(['e-1 upsert a', 'e-2 delete a']);
    expect(feed.subscriberCount()).toBe(0);
  });

  it('a subscriber that throws does not keep the others from hearing; the error comes back', () => {
    const feed = new ChangeFeed({ epoch: 'e' });
    const heard: string[] = [];
    feed.subscribe(() => {
      throw new Error('boom');
    });
    feed.subscribe((e) => heard.push(e.id));
    expect(() => feed.publish('upsert', store('a'))).toThrow('boom');
    expect(heard).toEqual(['e-1']);
    expect(feed.since('e-0')).toHaveLength(1);
  });

  it('a subscriber may unsubscribe while being told', () => {
    const feed = new ChangeFeed({ epoch: 'e' });
    const heard: string[] = [];
    const off = feed.subscribe(() => off());
    feed.subscribe((e) => heard.push(e.id));
    feed.publish('upsert', store('a'));
    feed.publish('upsert', store('a', '2'));
    expect(heard).toEqual(['e-1', 'e-2']);
    expect(feed.subscriberCount()).toBe(1);
  });
});

describe('ChangeFeed fed by a source', () => {
  it('numbers the changes the source tells, keeping the store before each change', () => {
    let tell: Parameters<StoreChangeSource['onChange']>[0] = () => {};
    let detached = false;
    const source: StoreChangeSource = {
      onChange(fn) {
        tell = fn;
        return () => {
          detached = true;
        };
      },
    };
    const feed = new ChangeFeed({ source, epoch: 'e' });
    const v1 = store('a', '1');
    const v2 = store('a', '2');
    tell('upsert', v1);
    tell('upsert', v2, v1);
    tell('delete', v2, v2);
    const events = feed.since('e-0');
    expect(
      events?.map((e) => [
        e.id,
        e.type,
        e.store.metadata.resourceVersion,
        e.previous?.metadata.resourceVersion,
      ]),
    ).toEqual([
      ['e-1', 'upsert', '1', undefined],
      ['e-2', 'upsert', '2', '1'],
      ['e-3', 'delete', '2', '2'],
    ]);
    expect(events?.[0]).not.toHaveProperty('previous');
    feed.close();
    expect(detached).toBe(true);
  });
});

describe('visibleChange', () => {
  const mine = { ...store('a', '1'), spec: { ...store('a').spec, owner: 'alice' } };
  const theirs = { ...store('a', '2'), spec: { ...store('a').spec, owner: 'bob' } };
  const alice = (s: Store) => s.spec.owner === 'alice';
  const cases: {
    name: string;
    event: Pick<StoreEvent, 'type' | 'store' | 'previous'>;
    expected: string | undefined;
  }[] = [
    { name: 'a new store of mine', event: { type: 'upsert', store: mine }, expected: 'upsert 1' },
    {
      name: 'a change to my store',
      event: { type: 'upsert', store: mine, previous: mine },
      expected: 'upsert 1',
    },
    {
      name: 'my store deleted',
      event: { type: 'delete', store: mine, previous: mine },
      expected: 'delete 1',
    },
    { name: 'someone else’s store', event: { type: 'upsert', store: theirs }, expected: undefined },
    {
      name: 'someone else’s store deleted',
      event: { type: 'delete', store: theirs, previous: theirs },
      expected: undefined,
    },
    // Told as a delete of what I could see (rv 1), never with the new owner's state (rv 2).
    {
      name: 'my store given to someone else',
      event: { type: 'upsert', store: theirs, previous: mine },
      expected: 'delete 1',
    },
    {
      name: 'a store given to me',
      event: { type: 'upsert', store: mine, previous: theirs },
      expected: 'upsert 1',
    },
  ];
  it.each(cases)('$name', ({ event, expected }) => {
    const c = visibleChange(event, alice);
    expect(c && `${c.type} ${c.store.metadata.resourceVersion}`).toBe(expected);
  });
});

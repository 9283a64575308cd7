import { describe, expect, it } from 'vitest';
import {
  addActivity,
  conditionTypes,
  getCondition,
  isTrue,
  removeCondition,
  setCondition,
} from './conditions.ts';
import type { ConditionType } from './keys.ts';
import type { ActivityEntry, Condition } from './schema.ts';

const t0 = new Date('2025-06-01T12:00:00Z');
const t1 = new Date('2025-06-01T12:05:00Z');

const cond = (
  type: ConditionType,
  status: Condition['status'],
  reason = 'R',
  lastTransitionTime = t0.toISOString(),
): Condition => ({
  type,
  status,
  reason,
  message: '',
  observedGeneration: 1,
  lastTransitionTime,
});

describe('setCondition', () => {
  it('adds a new condition stamped now', () => {
    const list = setCondition(
      undefined,
      { type: 'Ready', status: 'False', reason: 'Progressing', message: 'installing' },
      3,
      t0,
    );
    expect(list).toEqual([
      {
        type: 'Ready',
        status: 'False',
        reason: 'Progressing',
        message: 'installing',
        observedGeneration: 3,
        lastTransitionTime: t0.toISOString(),
      },
    ]);
  });

  it('keeps lastTransitionTime when the status is unchanged, updating the rest', () => {
    const list = setCondition(
      [cond('Ready', 'False', 'Progressing')],
      { type: 'Ready', status: 'False', reason: 'QuotaExceeded', message: 'over quota' },
      2,
      t1,
    );
    expect(list).toEqual([
      {
        type: 'Ready',
        status: 'False',
        reason: 'QuotaExceeded',
        message: 'over quota',
        observedGeneration: 2,
        lastTransitionTime: t0.toISOString(),
      },
    ]);
  });

  it('moves lastTransitionTime when the status changes', () => {
    const list = setCondition(
      [cond('Ready', 'False')],
      { type: 'Ready', status: 'True', reason: 'Ready', message: '' },
      2,
      t1,
    );
    expect(list[0]?.lastTransitionTime).toBe(t1.toISOString());
    expect(list[0]?.status).toBe('True');
  });

  it('keeps one entry per type, in the declared order, with unknown types last by name', () => {
    // Types from an older or newer operator may be in a stored status: they sort last by name.
    let list: Condition[] = [cond('Zeta' as ConditionType, 'True'), cond('Alpha' as ConditionType, 'True')];
    for (const type of ['Drifted', 'Released', 'Ready', 'Reconciling', 'Released'] as const) {
      list = setCondition(list, { type, status: 'True', reason: 'R', message: '' }, 1, t0);
    }
    expect(list.map((c) => c.type)).toEqual(['Ready', 'Reconciling', 'Released', 'Drifted', 'Alpha', 'Zeta']);
    // Set in reverse, every declared type still comes out in the order of conditionTypes.
    const all = [...conditionTypes]
      .reverse()
      .reduce<Condition[]>(
        (l, type) => setCondition(l, { type, status: 'Unknown', reason: 'R', message: '' }, 1, t0),
        [],
      );
    expect(all.map((c) => c.type)).toEqual([...conditionTypes]);
  });

  it('does not modify the list it was given', () => {
    const list = [cond('Ready', 'False')];
    setCondition(list, { type: 'Ready', status: 'True', reason: 'Ready', message: '' }, 2, t1);
    expect(list).toEqual([cond('Ready', 'False')]);
  });

  it('caps the message at 4096 characters', () => {
    const list = setCondition(
      [],
      { type: 'Ready', status: 'False', reason: 'R', message: 'x'.repeat(5000) },
      1,
      t0,
    );
    expect(list[0]?.message).toHaveLength(4096);
  });
});

describe('getCondition, isTrue, removeCondition', () => {
  const list = [cond('Ready', 'True'), cond('Stalled', 'False')];
  it('reads conditions', () => {
    expect(getCondition(list, 'Stalled')?.status).toBe('False');
    expect(getCondition(list, 'Drifted')).toBeUndefined();
    expect(isTrue(list, 'Ready')).toBe(true);
    expect(isTrue(list, 'Stalled')).toBe(false);
    expect(isTrue(undefined, 'Ready')).toBe(false);
  });
  it('removes one type', () => {
    expect(removeCondition(list, 'Ready').map((c) => c.type)).toEqual(['Stalled']);
    expect(removeCondition(undefined, 'Ready')).toEqual([]);
  });
});

describe('addActivity', () => {
  const entry = (i: number): ActivityEntry => ({
    time: new Date(t0.getTime() + i * 1000).toISOString(),
    type: 'Normal',
    reason: `Step${i}`,
    message: `step ${i}`,
  });
  const ring = (n: number) => Array.from({ length: n }, (_, i) => entry(i));

  const cases: { name: string; before: ActivityEntry[] | undefined; max?: number; wantReasons: string[] }[] =
    [
      { name: 'first entry', before: undefined, wantReasons: ['Step100'] },
      { name: 'appends newest last', before: ring(2), wantReasons: ['Step0', 'Step1', 'Step100'] },
      {
        name: 'at 19 entries nothing is dropped',
        before: ring(19),
        wantReasons: [...ring(19).map((e) => e.reason), 'Step100'],
      },
      {
        name: 'at 20 entries the oldest is dropped',
        before: ring(20),
        wantReasons: [
          ...ring(20)
            .slice(1)
            .map((e) => e.reason),
          'Step100',
        ],
      },
      { name: 'custom max', before: ring(5), max: 3, wantReasons: ['Step3', 'Step4', 'Step100'] },
    ];
  for (const tc of cases) {
    it(tc.name, () => {
      const out = addActivity(tc.before, entry(100), tc.max);
      expect(out.map((e) => e.reason)).toEqual(tc.wantReasons);
      expect(out.length).toBeLessThanOrEqual(tc.max ?? 20);
    });
  }

  it('does not modify the ring it was given', () => {
    const before = ring(20);
    addActivity(before, entry(100));
    expect(before).toHaveLength(20);
    expect(before[0]?.reason).toBe('Step0');
  });
});

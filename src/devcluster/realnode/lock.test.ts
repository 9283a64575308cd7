import { describe, expect, it } from 'vitest';
import { lockDecision } from './lock.ts';

describe('lockDecision: who may run the one real node of this machine', () => {
  const me = '/tmp/a/cluster';
  const other = '/tmp/b/cluster';
  it.each([
    ['no lock', { holder: undefined, recordsNode: false, alive: 0 }, 'take'],
    ['our own lock (restart of the same cluster)', { holder: me, recordsNode: true, alive: 3 }, 'take'],
    ['holder went down cleanly but left the file', { holder: other, recordsNode: false, alive: 0 }, 'take'],
    [
      'holder records a node whose processes all died',
      { holder: other, recordsNode: true, alive: 0 },
      'reclaim',
    ],
    ['holder runs a live node', { holder: other, recordsNode: true, alive: 1 }, 'refuse'],
  ] as const)('%s → %s', (_, facts, action) => {
    const d = lockDecision(me, facts);
    expect(d.action).toBe(action);
    if (d.action === 'refuse') expect(d.message).toContain(`--dir ${other}`);
    if (d.action === 'reclaim') expect(d.holder).toBe(other);
  });
});

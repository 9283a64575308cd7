import { describe, expect, it } from 'vitest';
import { DriftMemory } from './drift-memory.ts';

const obj = (rv: string, cpu = '1') => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name: 'q', namespace: 'store-x', resourceVersion: rv },
  spec: { hard: { 'requests.cpu': cpu } },
});

describe('DriftMemory', () => {
  it('knows an object nobody wrote since its last clean check, for the same desire', () => {
    const m = new DriftMemory();
    m.clean('uid', obj(''), obj('5'));
    expect(m.unchanged('uid', obj(''), obj('5'))).toBe(true);
    // Written since (a new resourceVersion), or wanted differently (a plan change): look again.
    expect(m.unchanged('uid', obj(''), obj('6'))).toBe(false);
    expect(m.unchanged('uid', obj('', '2'), obj('5'))).toBe(false);
    expect(m.unchanged('other', obj(''), obj('5'))).toBe(false);
  });

  it('forgets an object and a whole store', () => {
    const m = new DriftMemory();
    m.clean('uid', obj(''), obj('5'));
    m.forgetObject('uid', obj(''));
    expect(m.unchanged('uid', obj(''), obj('5'))).toBe(false);
    m.clean('uid', obj(''), obj('5'));
    m.forget('uid');
    expect(m.size()).toBe(0);
  });
});

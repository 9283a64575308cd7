import { describe, expect, it } from 'vitest';
import { allowed, type Endpoint, type NetworkPolicy, selects } from './netpol.ts';

const a: Endpoint = { name: 'a', namespace: 'n1', labels: { role: 'a' } };
const b: Endpoint = { name: 'b', namespace: 'n1', labels: { role: 'b' } };
const x: Endpoint = { name: 'x', namespace: 'n2', labels: { role: 'a' } };
const denyAll: NetworkPolicy = {
  metadata: { name: 'deny', namespace: 'n1' },
  spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
};

describe('NetworkPolicy evaluator', () => {
  it('label selectors: matchLabels and every matchExpressions operator', () => {
    expect(selects({ matchLabels: { role: 'a' } }, { role: 'a', x: '1' })).toBe(true);
    expect(selects({ matchLabels: { role: 'a' } }, { role: 'b' })).toBe(false);
    expect(
      selects({ matchExpressions: [{ key: 'role', operator: 'In', values: ['a', 'b'] }] }, { role: 'b' }),
    ).toBe(true);
    expect(
      selects({ matchExpressions: [{ key: 'role', operator: 'NotIn', values: ['a'] }] }, { role: 'a' }),
    ).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'role', operator: 'Exists' }] }, {})).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'role', operator: 'DoesNotExist' }] }, {})).toBe(true);
  });

  it('no policy allows everything; a default deny denies both directions', () => {
    expect(allowed([], a, b, 80)).toBe(true);
    expect(allowed([denyAll], a, b, 80)).toBe(false);
  });

  it('needs both the egress of the source and the ingress of the target, on the port', () => {
    const egress: NetworkPolicy = {
      metadata: { namespace: 'n1' },
      spec: {
        podSelector: { matchLabels: { role: 'a' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ podSelector: { matchLabels: { role: 'b' } } }], ports: [{ port: 80 }] }],
      },
    };
    const ingress: NetworkPolicy = {
      metadata: { namespace: 'n1' },
      spec: {
        podSelector: { matchLabels: { role: 'b' } },
        policyTypes: ['Ingress'],
        ingress: [{ _from: [{ podSelector: { matchLabels: { role: 'a' } } }] }],
      },
    };
    expect(allowed([denyAll, egress], a, b, 80)).toBe(false);
    expect(allowed([denyAll, egress, ingress], a, b, 80)).toBe(true);
    expect(allowed([denyAll, egress, ingress], a, b, 81)).toBe(false);
    expect(allowed([denyAll, egress, ingress], b, a, 80)).toBe(false);
  });

  it('a pod selector alone means the policy namespace; a namespace selector reaches across', () => {
    const fromSameLabels: NetworkPolicy = {
      metadata: { namespace: 'n1' },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { role: 'a' } } }] }],
      },
    };
    expect(allowed([fromSameLabels], x, b, 80)).toBe(false);
    const fromN2: NetworkPolicy = {
      metadata: { namespace: 'n1' },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [
          { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'n2' } } }] },
        ],
      },
    };
    expect(allowed([fromN2], x, b, 80)).toBe(true);
    expect(allowed([fromN2], a, b, 80)).toBe(false);
  });
});

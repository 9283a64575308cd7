import { describe, expect, it } from 'vitest';
import { renderKubeconfig } from './kubeconfig.ts';
import { defaultNodeShape, fakeNodes } from './nodes.ts';
import { freePorts } from './ports.ts';

describe('fakeNodes', () => {
  it('makes the requested number of untainted KWOK nodes with the given capacity', () => {
    const nodes = fakeNodes({ ...defaultNodeShape, count: 4, cpu: '2' });
    expect(nodes.map((n) => n.metadata?.name)).toEqual([
      'kwok-node-0',
      'kwok-node-1',
      'kwok-node-2',
      'kwok-node-3',
    ]);
    for (const n of nodes) {
      expect(n.spec?.taints).toBeUndefined();
      expect(n.metadata?.annotations?.['kwok.x-k8s.io/node']).toBe('fake');
      expect(n.status?.allocatable).toEqual(n.status?.capacity);
      expect(n.status?.allocatable?.cpu).toBe('2');
    }
  });
});

describe('renderKubeconfig', () => {
  it('points one context at the server with the CA and token', () => {
    const kc = JSON.parse(
      renderKubeconfig({ server: 'https://127.0.0.1:9', caFile: '/ca.crt', token: 't0k' }),
    );
    expect(kc['current-context']).toBe('storeplane-dev');
    expect(kc.clusters[0].cluster).toEqual({
      server: 'https://127.0.0.1:9',
      'certificate-authority': '/ca.crt',
    });
    expect(kc.users[0].user).toEqual({ token: 't0k' });
  });
});

describe('freePorts', () => {
  it('returns distinct, non-privileged ports', async () => {
    const ports = await freePorts(['a', 'b', 'c', 'd', 'e'] as const);
    const values = Object.values(ports);
    expect(new Set(values).size).toBe(5);
    for (const p of values) expect(p).toBeGreaterThan(1024);
  });
});

import type { V1Node } from '@kubernetes/client-node';

export interface NodeShape {
  count: number;
  cpu: string;
  memory: string;
  pods: number;
}

/** Three mid-size workers: enough room for a handful of stores, small enough that quotas matter. */
export const defaultNodeShape: NodeShape = { count: 3, cpu: '8', memory: '32Gi', pods: 110 };

/** Fake nodes for KWOK. No `kwok.x-k8s.io/node` taint: every pod must be able to land on them. */
export function fakeNodes(shape: NodeShape): V1Node[] {
  return Array.from({ length: shape.count }, (_, i) => {
    const name = `kwok-node-${i}`;
    const resources = {
      cpu: shape.cpu,
      memory: shape.memory,
      pods: String(shape.pods),
      'ephemeral-storage': '100Gi',
    };
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
        labels: {
          'kubernetes.io/hostname': name,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'node.kubernetes.io/instance-type': 'kwok',
          'topology.kubernetes.io/zone': `zone-${i % 3}`,
          type: 'kwok',
        },
      },
      status: { allocatable: resources, capacity: resources },
    };
  });
}

import { describe, expect, it } from 'vitest';
import { guardrailManifests } from '../../operator/reconcile/manifests.ts';
import { defaultPlans } from '../../store/plans.ts';
import { podCidr, serviceClusterIpRange } from '../components.ts';
import { corednsObjects, localPathObjects } from './addons.ts';
import {
  clusterDnsIp,
  containerdConfig,
  kubeletConfig,
  kubeProxyConfig,
  nodePodCidr,
  realNodeTaint,
} from './configs.ts';

const images = { coredns: 'localhost/storeplane/coredns:dev', busybox: 'localhost/storeplane/busybox:dev' };
// Manifests are plain objects here; the test reads them as loosely as kubectl would.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = { kind: string; metadata: { name: string; namespace?: string }; spec?: any; data?: any };
const find = (objs: unknown[], kind: string) => (objs as Obj[]).find((o) => o.kind === kind);

describe('cluster DNS on the real node', () => {
  const objs = corednsObjects(images);
  const deployment = find(objs, 'Deployment');
  const podLabels = deployment?.spec.template.metadata.labels;

  it("is exactly what the stores' allow-dns NetworkPolicy lets pods reach", () => {
    const plan = defaultPlans.small;
    const store = {
      apiVersion: 'storeplane.dev/v1alpha1',
      kind: 'Store',
      metadata: { name: 'shop', uid: 'u', generation: 1 },
      spec: { engine: 'medusa', plan: 'small', owner: 'alice', displayName: 'Shop' },
    } as const;
    const allowDns = (guardrailManifests(store, { plan, ingressNamespaces: [] }) as Obj[]).find(
      (o) => o.metadata.name === 'allow-dns',
    );
    const peer = allowDns?.spec.egress[0].to[0];
    expect(peer.namespaceSelector.matchLabels).toEqual({
      'kubernetes.io/metadata.name': deployment?.metadata.namespace,
    });
    expect(podLabels).toMatchObject(peer.podSelector.matchLabels);
    // The policy names port 53: the pod must listen on 53 itself (a Service port mapping to another
    // port would be refused after DNAT).
    const ports = deployment?.spec.template.spec.containers[0].ports.map(
      (p: { containerPort: number }) => p.containerPort,
    );
    expect(new Set(ports)).toEqual(
      new Set(allowDns?.spec.egress[0].ports.map((p: { port: number }) => p.port)),
    );
  });

  it('binds port 53 without root or capabilities, on the real node only', () => {
    const spec = deployment?.spec.template.spec;
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532 });
    expect(spec.securityContext.sysctls).toEqual([
      { name: 'net.ipv4.ip_unprivileged_port_start', value: '53' },
    ]);
    expect(spec.containers[0].securityContext.capabilities).toEqual({ drop: ['ALL'] });
    expect(spec.tolerations).toEqual([
      expect.objectContaining({ key: realNodeTaint.key, effect: 'NoSchedule' }),
    ]);
  });

  it('answers on the kubelet clusterDNS address, inside the Service range', () => {
    expect(find(objs, 'Service')?.spec.clusterIP).toBe(clusterDnsIp);
    expect(clusterDnsIp.startsWith(serviceClusterIpRange.split('.').slice(0, 2).join('.'))).toBe(true);
  });
});

describe('local-path volumes', () => {
  const objs = localPathObjects(images, '/data/node/volumes');
  it('makes volumes where the pod lands, deletes them with their claim, under the node directory', () => {
    const sc = find(objs, 'StorageClass') as unknown as { volumeBindingMode: string; reclaimPolicy: string };
    expect(sc).toMatchObject({ volumeBindingMode: 'WaitForFirstConsumer', reclaimPolicy: 'Delete' });
    const config = JSON.parse(find(objs, 'ConfigMap')?.data['config.json']);
    expect(config.nodePathMap[0].paths).toEqual(['/data/node/volumes']);
    expect(JSON.parse(find(objs, 'ConfigMap')?.data['helperPod.yaml']).spec.containers[0]).toMatchObject({
      image: images.busybox,
      imagePullPolicy: 'Never',
    });
  });
});

describe('node configuration', () => {
  const layout = {
    dir: '/c/node',
    binDir: '/b',
    kubeconfig: '/c/node/k',
    caFile: '/c/pki/ca.crt',
    hostIp: '192.0.2.2',
  };
  it('clamps oom_score_adj (no CAP_SYS_RESOURCE) and never pulls the sandbox image', () => {
    const c = containerdConfig(layout);
    expect(c).toContain('restrict_oom_score_adj = true');
    expect(c).toContain('sandbox_image = "localhost/storeplane/pause:dev"');
    const proxy = kubeProxyConfig(layout, { metrics: 41001, healthz: 41002 });
    expect(proxy).toContain('oomScoreAdj: 0');
    // kube-proxy refuses port 0 ("must be a valid port"): real loopback ports.
    expect(proxy).toContain('metricsBindAddress: 127.0.0.1:41001');
    expect(proxy).toContain('healthzBindAddress: 127.0.0.1:41002');
  });

  it('gives pods a subnet outside the fake nodes', () => {
    expect(nodePodCidr.startsWith(podCidr.split('.').slice(0, 2).join('.'))).toBe(false);
  });

  it('registers tainted, lets only CA clients call the kubelet, and never collects the imported images', () => {
    const k = kubeletConfig(layout);
    expect(k).toContain('anonymous: {enabled: false}');
    expect(k).toContain('clientCAFile: "/c/pki/ca.crt"');
    expect(k).toContain('imageGCHighThresholdPercent: 100');
    expect(k).toMatch(
      /registerWithTaints:\n {2}- \{key: storeplane.dev\/real-node, value: "true", effect: NoSchedule\}/,
    );
  });
});

import { join } from 'node:path';
import { imageRefs } from '../images/refs.ts';

/**
 * The configuration files of the real node, as text. Pure: what to write is decided here, the
 * processes are started elsewhere (node.ts). Values and the reasons for them come from
 * `shared/reference/real-node.md`, checked again on this machine.
 */

/** Pods of the real node get addresses here, outside KWOK's 10.244.0.0/16. */
export const nodePodCidr = '10.245.0.0/24';
export const bridgeName = 'spcni0';
export const bridgeGateway = '10.245.0.1';
/** The cluster DNS Service (a CoreDNS pod on the real node, as on any cluster). */
export const clusterDnsIp = '10.96.0.10';
export const nodeName = 'storeplane-real-node';
export const realNodeLabel = 'storeplane.dev/real-node';
/** Workloads that should run for real tolerate this taint; nothing else lands on the node. */
export const realNodeTaint = { key: realNodeLabel, value: 'true', effect: 'NoSchedule' } as const;
export const pauseImage = imageRefs.pause;

export interface NodeLayout {
  /** <cluster dir>/node */
  dir: string;
  /** Directory of the node binaries (kubelet, kube-proxy, coredns, kube-router, local-path-provisioner). */
  binDir: string;
  kubeconfig: string;
  caFile: string;
  hostIp: string;
}

export const paths = (l: NodeLayout) => ({
  containerdRoot: join(l.dir, 'containerd', 'root'),
  containerdState: join(l.dir, 'containerd', 'state'),
  containerdSocket: join(l.dir, 'containerd', 'containerd.sock'),
  containerdConfig: join(l.dir, 'containerd', 'config.toml'),
  cniConfDir: join(l.dir, 'cni', 'net.d'),
  cniIpamDir: join(l.dir, 'cni', 'ipam'),
  kubeletRoot: join(l.dir, 'kubelet', 'root'),
  kubeletConfig: join(l.dir, 'kubelet', 'config.yaml'),
  kubeletCertDir: join(l.dir, 'kubelet', 'pki'),
  kubeProxyConfig: join(l.dir, 'kube-proxy', 'config.yaml'),
  volumes: join(l.dir, 'volumes'),
});

/** containerd 1.6 (Debian bookworm): CRI on, overlayfs, runc, cgroupfs. */
export function containerdConfig(l: NodeLayout): string {
  const p = paths(l);
  return `version = 2
root = ${JSON.stringify(p.containerdRoot)}
state = ${JSON.stringify(p.containerdState)}
[grpc]
  address = ${JSON.stringify(p.containerdSocket)}
[ttrpc]
  address = ${JSON.stringify(`${p.containerdSocket}.ttrpc`)}
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = ${JSON.stringify(pauseImage)}
  enable_selinux = false
  # This machine lacks CAP_SYS_RESOURCE: the sandbox's oom_score_adj of -998 makes runc fail with
  # "can't get final child's PID from pipe: EOF". Clamp every value to containerd's own.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = ${JSON.stringify(p.cniConfDir)}
`;
}

/** A bridge on a subnet of its own, masquerading to the outside, hairpin for Services. */
export function cniConflist(l: NodeLayout): string {
  return `${JSON.stringify(
    {
      cniVersion: '1.0.0',
      name: 'storeplane',
      plugins: [
        {
          type: 'bridge',
          bridge: bridgeName,
          isGateway: true,
          ipMasq: true,
          hairpinMode: true,
          ipam: {
            type: 'host-local',
            ranges: [[{ subnet: nodePodCidr, gateway: bridgeGateway }]],
            routes: [{ dst: '0.0.0.0/0' }],
            dataDir: paths(l).cniIpamDir,
          },
        },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    },
    null,
    2,
  )}\n`;
}

export function kubeletConfig(l: NodeLayout): string {
  const p = paths(l);
  return `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# No systemd here: the cgroupfs driver.
cgroupDriver: cgroupfs
cgroupsPerQOS: true
failSwapOn: false
containerRuntimeEndpoint: unix://${p.containerdSocket}
address: ${l.hostIp}
port: 10250
readOnlyPort: 0
# Only the API server (its client certificate is signed by the cluster CA) may call the kubelet.
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
  x509: {clientCAFile: ${JSON.stringify(l.caFile)}}
authorization: {mode: AlwaysAllow}
podCIDR: ${nodePodCidr}
resolvConf: /etc/resolv.conf
clusterDNS: [${clusterDnsIp}]
clusterDomain: cluster.local
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%"}
# The images are imported by hand, never pulled: never collect them.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
registerNode: true
registerWithTaints:
  - {key: ${realNodeTaint.key}, value: "${realNodeTaint.value}", effect: ${realNodeTaint.effect}}
`;
}

export function kubeletArgs(l: NodeLayout): string[] {
  const p = paths(l);
  return [
    `--config=${p.kubeletConfig}`,
    `--kubeconfig=${l.kubeconfig}`,
    `--root-dir=${p.kubeletRoot}`,
    `--cert-dir=${p.kubeletCertDir}`,
    `--hostname-override=${nodeName}`,
    `--node-ip=${l.hostIp}`,
    `--node-labels=${realNodeLabel}=true`,
    '--v=1',
  ];
}

/** kube-proxy's own endpoints take a real port (0 is refused), on loopback only. */
export function kubeProxyConfig(l: NodeLayout, ports: { metrics: number; healthz: number }): string {
  return `apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: ${JSON.stringify(l.kubeconfig)}}
hostnameOverride: ${nodeName}
mode: iptables
clusterCIDR: ${nodePodCidr}
# No CAP_SYS_RESOURCE: a negative oom_score_adj cannot be set.
oomScoreAdj: 0
conntrack: {maxPerCore: 0}
metricsBindAddress: 127.0.0.1:${ports.metrics}
healthzBindAddress: 127.0.0.1:${ports.healthz}
`;
}

export function kubeRouterArgs(l: NodeLayout): string[] {
  // Only its firewall: NetworkPolicy enforcement with iptables and ipset.
  return [
    `--kubeconfig=${l.kubeconfig}`,
    `--hostname-override=${nodeName}`,
    '--run-firewall=true',
    '--run-router=false',
    '--run-service-proxy=false',
    '--run-loadbalancer=false',
    '--enable-cni=false',
    '--metrics-port=0',
    '--health-port=0',
  ];
}

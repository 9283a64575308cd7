import { join } from 'node:path';
import type { PkiFiles } from './pki.ts';

/** The processes of the local control plane, in start order. */
export const componentNames = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kwok',
] as const;
export type ComponentName = (typeof componentNames)[number];

export type Ports = Record<
  'etcdClient' | 'etcdPeer' | 'apiserver' | 'controllerManager' | 'scheduler',
  number
>;

export interface Layout {
  dataDir: string;
  binDir: string;
  ports: Ports;
  pki: PkiFiles;
  kubeconfig: string;
  /** Set when a real node joins: the API server must then be reachable from pods and call kubelets. */
  realNode?: { hostIp: string };
}

export const serviceClusterIpRange = '10.96.0.0/16';
export const podCidr = '10.244.0.0/16';

export interface ComponentCommand {
  name: ComponentName;
  binary: string;
  args: string[];
  log: string;
}

/** The command line of each component. Pure: decisions here, processes elsewhere. */
export function componentCommands(l: Layout): ComponentCommand[] {
  const bin = (name: string) => join(l.binDir, name);
  const log = (name: string) => join(l.dataDir, 'logs', `${name}.log`);
  const etcdClient = `http://127.0.0.1:${l.ports.etcdClient}`;
  const etcdPeer = `http://127.0.0.1:${l.ports.etcdPeer}`;
  const delegatedAuth = [
    `--authentication-kubeconfig=${l.kubeconfig}`,
    `--authorization-kubeconfig=${l.kubeconfig}`,
  ];
  return [
    {
      name: 'etcd',
      binary: bin('etcd'),
      log: log('etcd'),
      args: [
        '--name=storeplane',
        `--data-dir=${join(l.dataDir, 'etcd')}`,
        `--listen-client-urls=${etcdClient}`,
        `--advertise-client-urls=${etcdClient}`,
        `--listen-peer-urls=${etcdPeer}`,
        `--initial-advertise-peer-urls=${etcdPeer}`,
        `--initial-cluster=storeplane=${etcdPeer}`,
        // A disposable cluster: durability is not worth the fsync cost on a shared disk.
        '--unsafe-no-fsync=true',
        '--auto-compaction-mode=periodic',
        '--auto-compaction-retention=5m',
        '--log-level=warn',
      ],
    },
    {
      name: 'kube-apiserver',
      binary: bin('kube-apiserver'),
      log: log('kube-apiserver'),
      args: [
        `--etcd-servers=${etcdClient}`,
        `--secure-port=${l.ports.apiserver}`,
        ...(l.realNode
          ? [
              // Pods reach the API server through the `kubernetes` Service, whose endpoint is the
              // advertised host address; it calls the kubelet by the node's InternalIP (the node
              // name does not resolve) with a client certificate of the cluster CA.
              '--bind-address=0.0.0.0',
              `--advertise-address=${l.realNode.hostIp}`,
              '--kubelet-preferred-address-types=InternalIP,Hostname',
              `--kubelet-client-certificate=${l.pki.kubeletClientCert}`,
              `--kubelet-client-key=${l.pki.kubeletClientKey}`,
            ]
          : [
              '--bind-address=127.0.0.1',
              '--advertise-address=127.0.0.1',
              // 127.0.0.1 is not a valid endpoint for the `kubernetes` Service; nothing in-cluster dials it.
              '--endpoint-reconciler-type=none',
            ]),
        `--tls-cert-file=${l.pki.servingCert}`,
        `--tls-private-key-file=${l.pki.servingKey}`,
        `--cert-dir=${join(l.dataDir, 'apiserver-certs')}`,
        `--client-ca-file=${l.pki.caCert}`,
        `--token-auth-file=${l.pki.tokenFile}`,
        // A real kubelet authenticates as system:node:<name>: the Node authorizer and the
        // NodeRestriction admission plugin confine it to its own node and pods, as on any cluster.
        ...(l.realNode
          ? ['--authorization-mode=Node,RBAC', '--enable-admission-plugins=NodeRestriction']
          : ['--authorization-mode=RBAC']),
        // The default admission plugins stay on: NamespaceLifecycle, LimitRanger, ServiceAccount,
        // ResourceQuota, DefaultStorageClass, PodSecurity, ... exactly as a real cluster has them.
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${l.pki.serviceAccountPub}`,
        `--service-account-signing-key-file=${l.pki.serviceAccountKey}`,
        `--service-cluster-ip-range=${serviceClusterIpRange}`,
        '--allow-privileged=true',
        '--profiling=false',
        '--v=1',
      ],
    },
    {
      name: 'kube-controller-manager',
      binary: bin('kube-controller-manager'),
      log: log('kube-controller-manager'),
      args: [
        `--kubeconfig=${l.kubeconfig}`,
        ...delegatedAuth,
        '--bind-address=127.0.0.1',
        `--secure-port=${l.ports.controllerManager}`,
        // One instance: waiting for a stale lease after a restart would only slow `up`.
        '--leader-elect=false',
        '--controllers=*',
        `--service-account-private-key-file=${l.pki.serviceAccountKey}`,
        `--root-ca-file=${l.pki.caCert}`,
        '--use-service-account-credentials=false',
        '--v=1',
      ],
    },
    {
      name: 'kube-scheduler',
      binary: bin('kube-scheduler'),
      log: log('kube-scheduler'),
      args: [
        `--config=${join(l.dataDir, 'scheduler.yaml')}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${l.ports.scheduler}`,
        ...delegatedAuth,
        '--v=1',
      ],
    },
    {
      name: 'kwok',
      binary: bin('kwok'),
      log: log('kwok'),
      args: [
        `--kubeconfig=${l.kubeconfig}`,
        `--config=${join(l.binDir, 'kwok-stages.yaml')}`,
        // Only the fake nodes (they carry this annotation): a real node has a real kubelet.
        '--manage-all-nodes=false',
        '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
        `--cidr=${podCidr}`,
        '--node-ip=10.255.0.1',
        // Lease heartbeats keep the fake nodes Ready (the node-lifecycle grace period is 50 s).
        '--node-lease-duration-seconds=40',
      ],
    },
  ];
}

export function schedulerConfig(kubeconfig: string): string {
  return [
    'apiVersion: kubescheduler.config.k8s.io/v1',
    'kind: KubeSchedulerConfiguration',
    'clientConnection:',
    `  kubeconfig: ${JSON.stringify(kubeconfig)}`,
    'leaderElection:',
    '  leaderElect: false',
    '',
  ].join('\n');
}

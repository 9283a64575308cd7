import type { KubernetesObject } from '@kubernetes/client-node';
import { clusterDnsIp, nodeName, realNodeLabel, realNodeTaint } from './configs.ts';
import { ingressClassName, ingressController } from './ingress/routes.ts';

/**
 * The cluster add-ons a real node brings, as objects (pure): cluster DNS (CoreDNS as a pod in
 * kube-system labelled k8s-app=kube-dns, behind the kube-dns Service, as kubeadm, kind and k3s
 * run it: the stores' NetworkPolicies allow DNS to exactly those pods) and a StorageClass for
 * real volumes (Rancher's local-path-provisioner, as kind and k3s ship).
 */
export interface AddonImages {
  coredns: string;
  busybox: string;
}

/** Lands on the real node only (it is tainted, so nothing else does). */
export const onRealNode = {
  nodeSelector: { [realNodeLabel]: 'true' },
  tolerations: [
    { key: realNodeTaint.key, operator: 'Equal', value: realNodeTaint.value, effect: realNodeTaint.effect },
  ],
};

export const localPathClass = 'local-path';
const localPathNamespace = 'local-path-storage';

export const corefile = `.:53 {
    errors
    health :8080
    ready :8181
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
        ttl 30
    }
    forward . /etc/resolv.conf
    cache 30
    loop
}
`;

export function corednsObjects(images: AddonImages): KubernetesObject[] {
  const ns = 'kube-system';
  const labels = { 'k8s-app': 'kube-dns' };
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'coredns', namespace: ns } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'system:coredns' },
      rules: [
        {
          apiGroups: [''],
          resources: ['endpoints', 'services', 'pods', 'namespaces'],
          verbs: ['list', 'watch'],
        },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
      ],
    } as KubernetesObject,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'system:coredns' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:coredns' },
      subjects: [{ kind: 'ServiceAccount', name: 'coredns', namespace: ns }],
    } as KubernetesObject,
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'coredns', namespace: ns },
      data: { Corefile: corefile },
    } as KubernetesObject,
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'coredns', namespace: ns, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            ...onRealNode,
            serviceAccountName: 'coredns',
            priorityClassName: 'system-cluster-critical',
            // The host's resolver for names outside the cluster.
            dnsPolicy: 'Default',
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 65532,
              runAsGroup: 65532,
              seccompProfile: { type: 'RuntimeDefault' },
              // Port 53 without any capability: a namespaced, safe sysctl.
              sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '53' }],
            },
            containers: [
              {
                name: 'coredns',
                image: images.coredns,
                imagePullPolicy: 'Never',
                args: ['-conf', '/etc/coredns/Corefile'],
                ports: [
                  { name: 'dns', containerPort: 53, protocol: 'UDP' },
                  { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                ],
                readinessProbe: { httpGet: { path: '/ready', port: 8181 }, periodSeconds: 2 },
                livenessProbe: {
                  httpGet: { path: '/health', port: 8080 },
                  periodSeconds: 10,
                  failureThreshold: 5,
                },
                resources: { requests: { cpu: '50m', memory: '32Mi' }, limits: { memory: '128Mi' } },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
                volumeMounts: [{ name: 'config', mountPath: '/etc/coredns', readOnly: true }],
              },
            ],
            volumes: [{ name: 'config', configMap: { name: 'coredns' } }],
          },
        },
      },
    } as KubernetesObject,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kube-dns', namespace: ns, labels: { ...labels, 'kubernetes.io/name': 'CoreDNS' } },
      spec: {
        clusterIP: clusterDnsIp,
        selector: labels,
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        ],
      },
    } as KubernetesObject,
  ];
}

/**
 * local-path-provisioner's objects: it runs on the host (like the kubelet) and makes each volume
 * a directory under `volumesDir` with a short-lived helper pod on the real node.
 */
export function localPathObjects(images: AddonImages, volumesDir: string): KubernetesObject[] {
  const helperPod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'helper-pod' },
    spec: {
      ...onRealNode,
      priorityClassName: 'system-node-critical',
      containers: [{ name: 'helper-pod', image: images.busybox, imagePullPolicy: 'Never' }],
    },
  };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: localPathNamespace } },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'local-path-provisioner', namespace: localPathNamespace },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'local-path-config', namespace: localPathNamespace },
      data: {
        'config.json': JSON.stringify({ nodePathMap: [{ node: nodeName, paths: [volumesDir] }] }),
        setup: '#!/bin/sh\nset -eu\nmkdir -m 0777 -p "$VOL_DIR"\n',
        teardown: '#!/bin/sh\nset -eu\nrm -rf "$VOL_DIR"\n',
        'helperPod.yaml': JSON.stringify(helperPod),
      },
    } as KubernetesObject,
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: localPathClass },
      provisioner: 'rancher.io/local-path',
      reclaimPolicy: 'Delete',
      // The volume is made on the node the pod is scheduled to.
      volumeBindingMode: 'WaitForFirstConsumer',
    } as KubernetesObject,
  ];
}

export const localPathArgs = (kubeconfig: string, configFile: string, helperPodFile: string) => [
  '--debug',
  'start',
  `--kubeconfig=${kubeconfig}`,
  `--namespace=${localPathNamespace}`,
  '--service-account-name=local-path-provisioner',
  '--configmap-name=local-path-config',
  `--config=${configFile}`,
  `--helper-pod-file=${helperPodFile}`,
  '--provisioner-name=rancher.io/local-path',
];

/** The user the dev Ingress controller authenticates as (a client certificate of the cluster CA). */
export const ingressUser = 'storeplane:dev-ingress';

/**
 * The dev Ingress controller (ingress/server.ts, on the host like the kubelet): the default
 * IngressClass, and read access to what it routes by, nothing more.
 */
export function ingressObjects(): KubernetesObject[] {
  return [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: {
        name: ingressClassName,
        annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' },
      },
      spec: { controller: ingressController },
    } as KubernetesObject,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: ingressUser },
      rules: [
        { apiGroups: [''], resources: ['services'], verbs: ['list', 'watch'] },
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['list', 'watch'] },
      ],
    } as KubernetesObject,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: ingressUser },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: ingressUser },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: ingressUser }],
    } as KubernetesObject,
  ];
}

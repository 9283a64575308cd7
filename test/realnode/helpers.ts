import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inject } from 'vitest';
import { onRealNode } from '../../src/devcluster/realnode/addons.ts';
import { imageRefs } from '../../src/devcluster/images/refs.ts';
import { clusterHandle, waitFor } from '../operator/harness.ts';

/** The suite's cluster with a real node, or the reason the machine cannot run one. */
export function realNode() {
  const info = inject('realNode');
  return { info, skip: info.skip, cluster: info.skip ? undefined : clusterHandle(info) };
}
export type RealCluster = NonNullable<ReturnType<typeof realNode>['cluster']>;

export const busybox = imageRefs.busybox;
export { onRealNode };

/** A pod of the given containers on the real node; busybox ignores SIGTERM, so no grace period. */
export function podManifest(
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
  labels: Record<string, string> = {},
): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: name, ...labels } },
    spec: {
      ...onRealNode,
      terminationGracePeriodSeconds: 0,
      automountServiceAccountToken: false,
      volumes: [{ name: 'tmp', emptyDir: {} }],
      ...spec,
    },
  });
}

/** busybox httpd answering `body` on :8080, with a readiness probe (needs podManifest's `tmp` volume). */
export function webContainer(body: string, securityContext?: Record<string, unknown>) {
  return {
    name: 'web',
    image: busybox,
    imagePullPolicy: 'Never',
    command: [
      'sh',
      '-c',
      `mkdir -p /tmp/www && echo "${body}" > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www`,
    ],
    ports: [{ containerPort: 8080, name: 'http' }],
    readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
    // The root file system may be read-only: the page lives in the pod's emptyDir.
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
    resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
    ...(securityContext ? { securityContext } : {}),
  };
}

export const sleeper = {
  name: 'client',
  image: busybox,
  imagePullPolicy: 'Never',
  command: ['sleep', '3600'],
  resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
};

export async function podReady(c: RealCluster, namespace: string, name: string, timeoutMs = 60_000) {
  return waitFor(
    `pod ${namespace}/${name} Ready`,
    () => c.core.readNamespacedPod({ name, namespace }),
    (p) => !!p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True'),
    timeoutMs,
  );
}

/** `kubectl exec` in a pod; never throws, so a refused connection is a result to assert on. */
export function exec(c: RealCluster, namespace: string, pod: string, command: string[]) {
  return c.kubectl(['exec', '-n', namespace, pod, '--', ...command]);
}

/** busybox wget with a hard time limit (its own -T segfaults on this kind of machine). */
export const fetchFrom = (url: string, seconds = 5) => ['timeout', String(seconds), 'wget', '-qO-', url];

/** A listener of the test's own on the host's address, for egress checks; never any other address. */
export async function hostListener(
  hostIp: string,
): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((_req, res) => {
    hits += 1;
    res.end('host listener\n');
  });
  await new Promise<void>((r) => server.listen(0, hostIp, r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${hostIp}:${port}/`,
    hits: () => hits,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** The security context our charts give every container (restricted PSA, and then some). */
export const hardened = {
  runAsNonRoot: true,
  runAsUser: 65532,
  runAsGroup: 65532,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeName, realNodeLabel } from '../../src/devcluster/realnode/configs.ts';
import { eventually } from '../cluster/testing.ts';
import {
  exec,
  fetchFrom,
  hardened,
  hostListener,
  podManifest,
  podReady,
  realNode,
  sleeper,
  webContainer,
} from './helpers.ts';

const { info, skip, cluster } = realNode();
const ns = 'realnode-basics';

/** The hardened security context of the engine charts (PSA restricted). */

describe.skipIf(skip)(`a real node (${skip ?? 'containers run'})`, () => {
  const c = cluster!;
  const apply = async (json: string) => {
    const r = await c.kubectl(['apply', '-f', '-'], json);
    expect(r.stderr).toBe('');
  };

  beforeAll(async () => {
    await c.kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=true']);
    // Pod Security "restricted" enforced: the hardened pod must pass it, as in a store namespace.
    await apply(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
      }),
    );
  });
  afterAll(async () => {
    await c.kubectl(['delete', 'namespace', ns, '--wait=false']);
  });

  it('is a Ready node with a kubelet and containerd of its own, tainted so nothing lands there by chance', async () => {
    const node = await c.core.readNode({ name: nodeName });
    expect(node.status?.conditions?.find((x) => x.type === 'Ready')?.status).toBe('True');
    expect(node.status?.nodeInfo?.kubeletVersion).toBe('v1.34.10');
    expect(node.status?.nodeInfo?.containerRuntimeVersion).toMatch(/^containerd:\/\//);
    expect(node.metadata?.labels?.[realNodeLabel]).toBe('true');
    expect(node.spec?.taints).toEqual([{ key: realNodeLabel, value: 'true', effect: 'NoSchedule' }]);
    expect(node.status?.addresses).toContainEqual({ type: 'InternalIP', address: info.hostIp });
  });

  it('runs a plain pod (no security context): root in its container, a writable root filesystem', async () => {
    const plain = 'realnode-plain';
    await c.kubectl(['create', 'namespace', plain]);
    try {
      await apply(podManifest(plain, 'plain', { containers: [sleeper] }));
      const pod = await podReady(c, plain, 'plain');
      expect(pod.spec?.nodeName).toBe(nodeName);
      expect(pod.status?.containerStatuses?.[0]?.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
      expect((await exec(c, plain, 'plain', ['id', '-u'])).stdout.trim()).toBe('0');
      expect((await exec(c, plain, 'plain', ['touch', '/etc/x'])).code).toBe(0);
    } finally {
      await c.kubectl(['delete', 'namespace', plain, '--wait=false']);
    }
  });

  it('runs a hardened pod for real: its process has uid 65532, no capabilities, no new privileges, seccomp, a read-only root', async () => {
    await apply(
      podManifest(ns, 'hardened', {
        securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [webContainer('hello from a hardened pod', hardened)],
      }),
    );
    const pod = await podReady(c, ns, 'hardened');
    expect(pod.spec?.nodeName).toBe(nodeName);
    const status = await exec(c, ns, 'hardened', ['cat', '/proc/self/status']);
    expect(status.code).toBe(0);
    const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(status.stdout)?.[1]?.trim();
    expect(field('Uid')?.split(/\s+/)).toEqual(['65532', '65532', '65532', '65532']);
    expect(field('CapEff')).toBe('0000000000000000');
    expect(field('CapBnd')).toBe('0000000000000000');
    expect(field('NoNewPrivs')).toBe('1');
    expect(field('Seccomp')).toBe('2');
    const write = await exec(c, ns, 'hardened', ['touch', '/etc/x']);
    expect(write.code).not.toBe(0);
    expect(write.stderr).toMatch(/Read-only file system/);
    // Served from the pod's own address, reached from the host.
    const res = await fetch(`http://${pod.status?.podIP}:8080/`);
    expect(await res.text()).toBe('hello from a hardened pod\n');
  });

  it('a Service answers on its ClusterIP from the host and by name from another pod (cluster DNS)', async () => {
    await apply(podManifest(ns, 'web', { containers: [webContainer('hello from web', hardened)] }));
    await apply(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', namespace: ns },
        spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
      }),
    );
    await apply(podManifest(ns, 'client', { containers: [{ ...sleeper, securityContext: hardened }] }));
    await podReady(c, ns, 'web');
    await podReady(c, ns, 'client');
    const svc = await c.core.readNamespacedService({ name: 'web', namespace: ns });
    // kube-proxy programs a new endpoint within about a second of the pod being Ready.
    const byIp = await eventually(
      'the ClusterIP to answer',
      () => fetch(`http://${svc.spec?.clusterIP}/`),
      10_000,
    );
    expect(await byIp.text()).toBe('hello from web\n');
    // CoreDNS learns a new Service from its watch, so the first lookup may come a moment early
    // (seen once in five runs on a busy machine); each name must answer within 10 s.
    for (const name of ['web', `web.${ns}`, `web.${ns}.svc.cluster.local`]) {
      const out = await eventually(
        `${name} to answer from the client pod`,
        async () => {
          const r = await exec(c, ns, 'client', fetchFrom(`http://${name}/`));
          return r.stdout === 'hello from web\n' ? r.stdout : undefined;
        },
        10_000,
      ).catch(
        async () => (await exec(c, ns, 'client', fetchFrom(`http://${name}/`))).stdout + ' (after 10 s)',
      );
      expect({ name, out }).toEqual({ name, out: 'hello from web\n' });
    }
    const lookup = await exec(c, ns, 'client', ['nslookup', `web.${ns}.svc.cluster.local`]);
    expect(lookup.stdout).toContain(svc.spec?.clusterIP);
  });

  it('a NetworkPolicy allows and denies as written, on the pod IP and the ClusterIP', async () => {
    await apply(
      podManifest(
        ns,
        'allowed',
        { containers: [{ ...sleeper, securityContext: hardened }] },
        { access: 'yes' },
      ),
    );
    await apply(podManifest(ns, 'denied', { containers: [{ ...sleeper, securityContext: hardened }] }));
    await podReady(c, ns, 'allowed');
    await podReady(c, ns, 'denied');
    const web = await podReady(c, ns, 'web');
    const targets = [`http://${web.status?.podIP}:8080/`, 'http://web/'];
    // Before any policy both clients get the page.
    for (const pod of ['allowed', 'denied'])
      for (const url of targets)
        expect((await exec(c, ns, pod, fetchFrom(url))).stdout).toBe('hello from web\n');

    await apply(
      JSON.stringify({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'web-from-access-yes', namespace: ns },
        spec: {
          podSelector: { matchLabels: { app: 'web' } },
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ podSelector: { matchLabels: { access: 'yes' } } }], ports: [{ port: 8080 }] }],
        },
      }),
    );
    // kube-router programs the firewall within a few seconds of the policy.
    await expectEventually(
      async () => (await exec(c, ns, 'denied', fetchFrom(targets[0] as string, 3))).code !== 0,
    );
    for (const url of targets) {
      expect((await exec(c, ns, 'allowed', fetchFrom(url))).stdout).toBe('hello from web\n');
      const refused = await exec(c, ns, 'denied', fetchFrom(url, 3));
      expect(refused.code).not.toBe(0);
      expect(refused.stdout).toBe('');
    }

    // Deleting the policy restores access.
    await c.kubectl(['delete', 'networkpolicy', '-n', ns, 'web-from-access-yes']);
    await expectEventually(
      async () => (await exec(c, ns, 'denied', fetchFrom(targets[0] as string, 3))).code === 0,
    );
  });

  it('an egress default-deny keeps a pod from reaching a listener on the host, and nothing else is stopped', async () => {
    const listener = await hostListener(info.hostIp);
    try {
      expect((await exec(c, ns, 'denied', fetchFrom(listener.url))).stdout).toBe('host listener\n');
      await apply(
        JSON.stringify({
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: 'denied-no-egress', namespace: ns },
          spec: { podSelector: { matchLabels: { app: 'denied' } }, policyTypes: ['Egress'] },
        }),
      );
      await expectEventually(
        async () => (await exec(c, ns, 'denied', fetchFrom(listener.url, 3))).code !== 0,
      );
      const before = listener.hits();
      const r = await exec(c, ns, 'denied', fetchFrom(listener.url, 3));
      expect(r.code).not.toBe(0);
      expect(listener.hits()).toBe(before);
      // The pod without the policy still gets through.
      expect((await exec(c, ns, 'allowed', fetchFrom(listener.url))).stdout).toBe('host listener\n');
    } finally {
      await listener.close();
    }
  });
});

async function expectEventually(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`not true after ${timeoutMs / 1000}s`);
}

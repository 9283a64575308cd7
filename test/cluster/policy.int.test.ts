import { readFileSync } from 'node:fs';
import { AuthenticationV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, eventually, statusOf, testCluster, uniqueName } from './testing.ts';

const c = testCluster();

/** A client that authenticates with a bearer token, as a ServiceAccount in a pod would. */
function clientWithToken(token: string): KubeConfig {
  const admin = c.kc.getCurrentCluster();
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: 'c',
        server: c.server,
        caData: Buffer.from(readFileSync(admin?.caFile ?? '')).toString('base64'),
      },
    ],
    users: [{ name: 'u', token }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

function bodyMessage(err: unknown): string {
  const body = (err as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      return (JSON.parse(body) as { message?: string }).message ?? body;
    } catch {
      return body;
    }
  }
  return String((body as { message?: string } | undefined)?.message ?? err);
}

async function rejection(call: Promise<unknown>): Promise<{ status?: number; message: string }> {
  try {
    await call;
  } catch (err) {
    return { status: statusOf(err), message: bodyMessage(err) };
  }
  throw new Error('expected the API server to reject the request');
}

describe('admission: quotas and limit ranges are enforced by the API server', () => {
  let ns: string;
  beforeAll(async () => {
    ns = await createNamespace(c.kc, uniqueName('quota'));
    await c.core.createNamespacedResourceQuota({
      namespace: ns,
      body: {
        metadata: { name: 'plan' },
        spec: {
          hard: {
            'requests.cpu': '500m',
            'limits.cpu': '1',
            'requests.memory': '512Mi',
            'limits.memory': '1Gi',
            pods: '4',
          },
        },
      },
    });
    await c.core.createNamespacedLimitRange({
      namespace: ns,
      body: {
        metadata: { name: 'defaults' },
        spec: {
          limits: [
            {
              type: 'Container',
              _default: { cpu: '200m', memory: '128Mi' },
              defaultRequest: { cpu: '50m', memory: '64Mi' },
            },
          ],
        },
      },
    });
    // Admission refuses pods until the quota controller has computed the quota's status.
    await eventually('quota status', async () => {
      const q = await c.core.readNamespacedResourceQuota({ name: 'plan', namespace: ns });
      return q.status?.hard ? q : undefined;
    });
  });
  afterAll(async () => {
    await c.core.deleteNamespace({ name: ns }).catch(() => {});
  });

  it('LimitRanger fills in requests and limits for a container that has none', async () => {
    const pod = await c.core.createNamespacedPod({
      namespace: ns,
      body: {
        metadata: { name: 'defaulted' },
        spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.10' }] },
      },
    });
    expect(pod.spec?.containers[0]?.resources?.requests).toEqual({ cpu: '50m', memory: '64Mi' });
    expect(pod.spec?.containers[0]?.resources?.limits).toEqual({ cpu: '200m', memory: '128Mi' });
  });

  it('ResourceQuota rejects a pod that would exceed the quota, with the real API error', async () => {
    const { status, message } = await rejection(
      c.core.createNamespacedPod({
        namespace: ns,
        body: {
          metadata: { name: 'greedy' },
          spec: {
            containers: [
              {
                name: 'main',
                image: 'registry.k8s.io/pause:3.10',
                resources: { requests: { cpu: '2', memory: '64Mi' }, limits: { cpu: '2', memory: '64Mi' } },
              },
            ],
          },
        },
      }),
    );
    expect(status).toBe(403);
    expect(message).toMatch(
      /pods "greedy" is forbidden: exceeded quota: plan, requested: .*limits\.cpu=2.*requests\.cpu=2/,
    );
  });

  it('the quota controller reports usage', async () => {
    const quota = await eventually('quota usage of one pod', async () => {
      const q = await c.core.readNamespacedResourceQuota({ name: 'plan', namespace: ns });
      return q.status?.used?.pods === '1' ? q : undefined;
    });
    expect(quota.status?.used?.['requests.cpu']).toBe('50m');
  });
});

describe('authentication and RBAC are real', () => {
  let ns: string;
  let token: string;
  beforeAll(async () => {
    ns = await createNamespace(c.kc, uniqueName('rbac'));
    await c.core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'nobody' } } });
    const request = await c.core.createNamespacedServiceAccountToken({
      name: 'nobody',
      namespace: ns,
      body: { spec: { audiences: [], expirationSeconds: 600 } },
    });
    token = request.status?.token ?? '';
  });
  afterAll(async () => {
    await c.core.deleteNamespace({ name: ns }).catch(() => {});
  });

  it('a ServiceAccount token authenticates as that ServiceAccount', async () => {
    const review = await clientWithToken(token)
      .makeApiClient(AuthenticationV1Api)
      .createSelfSubjectReview({ body: {} });
    expect(review.status?.userInfo?.username).toBe(`system:serviceaccount:${ns}:nobody`);
  });

  it('an unknown token is rejected with 401', async () => {
    const { status } = await rejection(
      clientWithToken('not-a-real-token').makeApiClient(CoreV1Api).listNamespacedPod({ namespace: ns }),
    );
    expect(status).toBe(401);
  });

  it('RBAC denies an unprivileged ServiceAccount, then allows exactly what a Role grants', async () => {
    const api = clientWithToken(token).makeApiClient(CoreV1Api);
    const denied = await rejection(api.listNamespacedSecret({ namespace: ns }));
    expect(denied.status).toBe(403);
    expect(denied.message).toContain(
      `User "system:serviceaccount:${ns}:nobody" cannot list resource "secrets"`,
    );

    await c.rbac.createNamespacedRole({
      namespace: ns,
      body: {
        metadata: { name: 'pod-reader' },
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }],
      },
    });
    await c.rbac.createNamespacedRoleBinding({
      namespace: ns,
      body: {
        metadata: { name: 'nobody-reads-pods' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'nobody', namespace: ns }],
      },
    });
    const pods = await eventually('the RoleBinding to take effect', async () =>
      api.listNamespacedPod({ namespace: ns }),
    );
    expect(pods.items).toEqual([]);
    expect((await rejection(api.listNamespacedSecret({ namespace: ns }))).status).toBe(403);
    expect((await rejection(api.listNamespacedPod({ namespace: 'default' }))).status).toBe(403);
  });
});

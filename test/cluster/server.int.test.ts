import { VersionApi } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { testCluster } from './testing.ts';

const c = testCluster();

describe('the API server', () => {
  it('reports its real version, not v0.0.0', async () => {
    const version = await c.kc.makeApiClient(VersionApi).getCode();
    expect(version.gitVersion).toBe('v1.34.10');
    expect(version.major).toBe('1');
    expect(version.minor).toBe('34');
  });

  it('kubectl and helm see the same version', async () => {
    const kubectl = await c.kubectl('version', '-o', 'json');
    expect(kubectl.code).toBe(0);
    expect(JSON.parse(kubectl.stdout).serverVersion.gitVersion).toBe('v1.34.10');
    const helm = await c.helm('version', '--template', '{{.Version}}');
    expect(helm.stdout).toMatch(/^v4\.\d+\.\d+/);
    // helm reads the cluster's version into .Capabilities.KubeVersion.
    const tpl = await c.helm(
      'template',
      'x',
      'test/cluster/fixtures/smoke-chart',
      '--validate',
      '--show-only',
      'templates/service.yaml',
    );
    expect(tpl.code).toBe(0);
  });

  it('serves the API groups the platform relies on', async () => {
    const apis = await c.kubectl('api-versions');
    for (const group of [
      'apps/v1',
      'batch/v1',
      'coordination.k8s.io/v1',
      'networking.k8s.io/v1',
      'rbac.authorization.k8s.io/v1',
      'apiextensions.k8s.io/v1',
      'policy/v1',
    ]) {
      expect(apis.stdout.split('\n')).toContain(group);
    }
  });

  it('has three Ready KWOK nodes and a default StorageClass', async () => {
    const nodes = (await c.core.listNode()).items;
    expect(nodes.length).toBeGreaterThanOrEqual(3);
    for (const node of nodes) {
      expect(node.status?.conditions?.find((x) => x.type === 'Ready')?.status).toBe('True');
      expect(node.spec?.taints ?? []).toEqual([]);
      expect(node.status?.allocatable?.cpu).toBe('8');
    }
    const classes = await c.kubectl('get', 'storageclass', '-o', 'json');
    const items = JSON.parse(classes.stdout).items as {
      metadata: { annotations?: Record<string, string> };
    }[];
    expect(
      items.filter((s) => s.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true'),
    ).toHaveLength(1);
  });
});

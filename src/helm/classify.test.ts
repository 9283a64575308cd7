import { describe, expect, it } from 'vitest';
import { type HelmErrorKind, classifyHelmError, withoutClientGoLog } from './classify.ts';

describe('classifyHelmError', () => {
  const cases: { name: string; stderr: string; kind: HelmErrorKind; message: string }[] = [
    {
      name: 'upgrade while another operation holds the release lock',
      stderr: 'Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress\n',
      kind: 'pending',
      message: 'UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress',
    },
    {
      name: 'history or status of a release that does not exist',
      stderr: 'Error: release: not found\n',
      kind: 'release-not-found',
      message: 'release: not found',
    },
    {
      name: 'install that ran out of time',
      stderr: 'Error: INSTALLATION FAILED: context deadline exceeded\n',
      kind: 'timeout',
      message: 'INSTALLATION FAILED: context deadline exceeded',
    },
    {
      name: 'upgrade --wait that timed out waiting for the condition',
      stderr: 'Error: UPGRADE FAILED: timed out waiting for the condition\n',
      kind: 'timeout',
      message: 'UPGRADE FAILED: timed out waiting for the condition',
    },
    {
      name: 'PVC over the namespace storage quota (forbidden, but quota wins)',
      stderr:
        'Error: INSTALLATION FAILED: 1 error occurred:\n' +
        '\t* persistentvolumeclaims "data-db-0" is forbidden: exceeded quota: store-quota, requested: requests.storage=20Gi, used: requests.storage=0, limited: requests.storage=10Gi\n',
      kind: 'quota',
      message:
        'INSTALLATION FAILED: 1 error occurred: persistentvolumeclaims "data-db-0" is forbidden: exceeded quota: store-quota, requested: requests.storage=20Gi, used: requests.storage=0, limited: requests.storage=10Gi',
    },
    {
      // "Forbidden" here is an immutable field, not a missing permission: the fix is not RBAC.
      name: 'a change to a StatefulSet claim template',
      stderr:
        'Error: UPGRADE FAILED: failed to create typed patch object (store-x/shop-db; apps/v1, Kind=StatefulSet): ' +
        'StatefulSet.apps "shop-db" is invalid: spec: Forbidden: updates to statefulset spec for fields other than ' +
        "'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden\n",
      kind: 'immutable',
      message:
        'UPGRADE FAILED: failed to create typed patch object (store-x/shop-db; apps/v1, Kind=StatefulSet): ' +
        'StatefulSet.apps "shop-db" is invalid: spec: Forbidden: updates to statefulset spec for fields other than ' +
        "'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    },
    {
      name: 'a field that is immutable',
      stderr:
        'Error: UPGRADE FAILED: cannot patch "shop-setup" with kind Job: Job.batch "shop-setup" is invalid: spec.selector: Invalid value: {}: field is immutable\n',
      kind: 'immutable',
      message:
        'UPGRADE FAILED: cannot patch "shop-setup" with kind Job: Job.batch "shop-setup" is invalid: spec.selector: Invalid value: {}: field is immutable',
    },
    {
      name: 'RBAC denial',
      stderr:
        'Error: UPGRADE FAILED: query: failed to query with labels: secrets is forbidden: User "system:serviceaccount:storeplane-system:storeplane" cannot list resource "secrets" in API group "" in the namespace "store-shop"\n',
      kind: 'forbidden',
      message:
        'UPGRADE FAILED: query: failed to query with labels: secrets is forbidden: User "system:serviceaccount:storeplane-system:storeplane" cannot list resource "secrets" in API group "" in the namespace "store-shop"',
    },
    {
      name: 'chart directory that does not exist',
      stderr: 'Error: path "/opt/charts/medusa-store" not found\n',
      kind: 'chart-not-found',
      message: 'path "/opt/charts/medusa-store" not found',
    },
    {
      name: 'values that fail the chart schema',
      stderr:
        "Error: INSTALLATION FAILED: values don't meet the specifications of the schema(s) in the following chart(s):\n" +
        'store-standin:\n- replicas: Invalid type. Expected: integer, given: string\n',
      kind: 'invalid-values',
      // The whole reason: the part naming the value is what a person needs.
      message:
        "INSTALLATION FAILED: values don't meet the specifications of the schema(s) in the following chart(s): store-standin: replicas: Invalid type. Expected: integer, given: string",
    },
    {
      // Helm 4 runs with --disable-openapi-validation: the API server's strict field validation refuses it.
      name: 'a field Kubernetes does not have, refused by the API server',
      stderr:
        'Error: INSTALLATION FAILED: failed to create typed patch object (store-shop/shop-web; apps/v1, Kind=Deployment): .spec.replicaCount: field not declared in schema\n',
      kind: 'invalid-values',
      message:
        'INSTALLATION FAILED: failed to create typed patch object (store-shop/shop-web; apps/v1, Kind=Deployment): .spec.replicaCount: field not declared in schema',
    },
    {
      name: 'a resource owned by someone else',
      stderr:
        'Error: INSTALLATION FAILED: rendered manifests contain a resource that already exists. Unable to continue with install: Service "web" in namespace "store-shop" exists\n',
      kind: 'conflict',
      message:
        'INSTALLATION FAILED: rendered manifests contain a resource that already exists. Unable to continue with install: Service "web" in namespace "store-shop" exists',
    },
    {
      name: 'server-side apply field conflict',
      stderr:
        'Error: UPGRADE FAILED: Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas\n',
      kind: 'conflict',
      message:
        'UPGRADE FAILED: Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
    },
    {
      name: 'API server down',
      stderr:
        'Error: Kubernetes cluster unreachable: Get "https://127.0.0.1:6443/version": dial tcp 127.0.0.1:6443: connect: connection refused\n',
      kind: 'unreachable',
      message:
        'Kubernetes cluster unreachable: Get "https://127.0.0.1:6443/version": dial tcp 127.0.0.1:6443: connect: connection refused',
    },
    {
      name: 'upgrade of a release whose only revision failed',
      stderr: 'Error: UPGRADE FAILED: "shop" has no deployed releases\n',
      kind: 'no-deployed-release',
      message: 'UPGRADE FAILED: "shop" has no deployed releases',
    },
    {
      name: 'something helm says that no rule knows',
      stderr: 'Error: UPGRADE FAILED: the flux capacitor is misaligned\n',
      kind: 'unknown',
      message: 'UPGRADE FAILED: the flux capacitor is misaligned',
    },
    {
      name: 'warnings before the error line are skipped',
      stderr:
        'WARNING: Kubernetes configuration file is group-readable. This is insecure. Location: /root/.kube/config\n' +
        'walk.go:74: found symbolic link in path: /charts/x resolves to /y\n' +
        'Error: INSTALLATION FAILED: context deadline exceeded\n',
      kind: 'timeout',
      message: 'INSTALLATION FAILED: context deadline exceeded',
    },
    {
      name: 'no Error: line: the last meaningful line is the message',
      stderr: 'WARNING: something harmless\nsomething went wrong\n  \n',
      kind: 'unknown',
      message: 'something went wrong',
    },
    {
      // Helm 4's status watcher logs through client-go's klog; a watch it cancels itself is not the reason.
      name: 'client-go log lines around the reason are not part of it, nor its kind',
      stderr:
        'I1129 22:58:13.981638   15915 reflector.go:578] "Warning: watch ended with error" type="batch/v1, Kind=Job" err="an error on the server (\\"unable to decode an event from the watch stream: context canceled\\") has prevented the request from succeeding"\n' +
        "Error: UPGRADE FAILED: values don't meet the specifications of the schema(s) in the following chart(s):\n" +
        'E1129 22:58:14.000001   15915 reflector.go:200] "connection refused" reflector="x"\n',
      kind: 'invalid-values',
      message:
        "UPGRADE FAILED: values don't meet the specifications of the schema(s) in the following chart(s):",
    },
    {
      name: 'only client-go log lines: helm said nothing of its own',
      stderr: 'I1129 22:58:13.981638   15915 reflector.go:578] "Warning: watch ended with error"\n',
      kind: 'unknown',
      message: 'helm failed without output',
    },
    {
      name: 'empty stderr',
      stderr: '',
      kind: 'unknown',
      message: 'helm failed without output',
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const e = classifyHelmError(tc.stderr);
      expect(e.kind).toBe(tc.kind);
      expect(e.message).toBe(tc.message);
      expect(e.message).not.toMatch(/^Error:/);
    });
  }

  it('caps the message at 1500 characters', () => {
    const e = classifyHelmError(`Error: ${'x'.repeat(5000)}`);
    expect(e.message).toHaveLength(1500);
  });
});

describe('withoutClientGoLog', () => {
  const stderr =
    'W1129 01:02:03.456789       7 warnings.go:70] spec.x is deprecated\n' +
    'WARNING: Kubernetes configuration file is group-readable\n' +
    'I1129 22:58:13.981638   15915 reflector.go:578] "watch ended"\n';
  it("drops klog lines of every severity and keeps helm's own", () => {
    const { text, clientGo } = withoutClientGoLog(stderr);
    expect(text).toBe('WARNING: Kubernetes configuration file is group-readable\n');
    expect(clientGo).toHaveLength(2);
  });
  it('can keep warnings and errors, dropping only informational lines', () => {
    const { text, clientGo } = withoutClientGoLog(stderr, 'I');
    expect(text).toBe(
      'W1129 01:02:03.456789       7 warnings.go:70] spec.x is deprecated\n' +
        'WARNING: Kubernetes configuration file is group-readable\n',
    );
    expect(clientGo).toEqual(['I1129 22:58:13.981638   15915 reflector.go:578] "watch ended"']);
  });
});

describe('helm name-in-use message', () => {
  it('is a conflict', () => {
    expect(
      classifyHelmError('Error: INSTALLATION FAILED: cannot re-use a name that is still in use').kind,
    ).toBe('conflict');
  });
});

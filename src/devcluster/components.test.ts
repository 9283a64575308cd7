import { describe, expect, it } from 'vitest';
import { componentCommands, componentNames, schedulerConfig } from './components.ts';
import { pkiFiles } from './pki.ts';

const layout = {
  dataDir: '/d',
  binDir: '/b',
  kubeconfig: '/d/kubeconfig',
  pki: pkiFiles('/d/pki'),
  ports: { etcdClient: 1001, etcdPeer: 1002, apiserver: 1003, controllerManager: 1004, scheduler: 1005 },
};
const commands = componentCommands(layout);
const argsOf = (name: string) => commands.find((c) => c.name === name)?.args ?? [];

describe('componentCommands', () => {
  it('starts every component in dependency order from the bin dir, logging into the data dir', () => {
    expect(commands.map((c) => c.name)).toEqual([...componentNames]);
    for (const c of commands) {
      expect(c.binary).toBe(`/b/${c.name}`);
      expect(c.log).toBe(`/d/logs/${c.name}.log`);
    }
  });

  it('binds everything to loopback on the chosen ports', () => {
    const all = commands.flatMap((c) => c.args).join(' ');
    expect(all).not.toMatch(/0\.0\.0\.0/);
    expect(argsOf('etcd')).toContain('--listen-client-urls=http://127.0.0.1:1001');
    expect(argsOf('kube-apiserver')).toEqual(
      expect.arrayContaining([
        '--bind-address=127.0.0.1',
        '--secure-port=1003',
        '--etcd-servers=http://127.0.0.1:1001',
      ]),
    );
    expect(argsOf('kube-controller-manager')).toContain('--secure-port=1004');
    expect(argsOf('kube-scheduler')).toContain('--secure-port=1005');
  });

  it('gives the API server real authentication and RBAC, and keeps default admission', () => {
    const api = argsOf('kube-apiserver');
    expect(api).toEqual(
      expect.arrayContaining([
        '--authorization-mode=RBAC',
        '--token-auth-file=/d/pki/tokens.csv',
        '--client-ca-file=/d/pki/ca.crt',
        '--service-account-signing-key-file=/d/pki/sa.key',
      ]),
    );
    expect(
      api.some((a) => a.startsWith('--disable-admission-plugins') || a.startsWith('--admission-control')),
    ).toBe(false);
  });

  it('runs all default controllers and KWOK with the bundled stages', () => {
    expect(argsOf('kube-controller-manager')).toEqual(
      expect.arrayContaining(['--controllers=*', '--leader-elect=false']),
    );
    expect(argsOf('kwok')).toEqual(
      expect.arrayContaining([
        '--config=/b/kwok-stages.yaml',
        '--manage-all-nodes=false',
        '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      ]),
    );
  });

  it('with a real node: the API server on every address, advertising the host, calling kubelets by IP', () => {
    const api = componentCommands({ ...layout, realNode: { hostIp: '192.0.2.2' } }).find(
      (c) => c.name === 'kube-apiserver',
    )?.args;
    expect(api).toEqual(
      expect.arrayContaining([
        '--bind-address=0.0.0.0',
        '--advertise-address=192.0.2.2',
        '--kubelet-preferred-address-types=InternalIP,Hostname',
        '--kubelet-client-certificate=/d/pki/kubelet-client.crt',
        '--kubelet-client-key=/d/pki/kubelet-client.key',
      ]),
    );
    // The endpoint reconciler must run: it gives the `kubernetes` Service its endpoint.
    expect(api?.some((a) => a.startsWith('--endpoint-reconciler-type'))).toBe(false);
  });

  it('writes a scheduler config without leader election', () => {
    expect(schedulerConfig('/d/kubeconfig')).toContain('kubeconfig: "/d/kubeconfig"');
    expect(schedulerConfig('/d/kubeconfig')).toContain('leaderElect: false');
  });
});

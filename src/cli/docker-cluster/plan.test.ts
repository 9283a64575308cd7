import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import {
  afterUp,
  configDir,
  type DockerClusterOptions,
  formatCommand,
  missingToolsMessage,
  parseDockerClusterArgs,
  planDown,
  planUp,
  type PlatformImages,
  requiredTools,
} from './plan.ts';

const images: PlatformImages = {
  version: '1.2.3',
  platform: 'ghcr.io/storeplane/platform:1.2.3',
  medusa: 'ghcr.io/storeplane/medusa-store:2.21.2-1',
  woocommerce: 'ghcr.io/storeplane/woocommerce-store:7.1.0-wc10.7.0-1',
};
const refs = [images.platform, images.medusa, images.woocommerce];

describe('parseDockerClusterArgs', () => {
  const defaults = { name: 'storeplane', dryRun: false, skipBuild: false };
  const good: [string, string[], DockerClusterOptions][] = [
    ['kind up with defaults', ['kind', 'up'], { kind: 'kind', action: 'up', ...defaults }],
    ['k3d down', ['k3d', 'down'], { kind: 'k3d', action: 'down', ...defaults }],
    [
      'every flag',
      ['kind', 'up', '--name', 'shop-2', '--dry-run', '--skip-build'],
      { kind: 'kind', action: 'up', name: 'shop-2', dryRun: true, skipBuild: true },
    ],
    [
      'flags before the positionals, --name=',
      ['--dry-run', '--name=a', 'k3d', 'up'],
      { kind: 'k3d', action: 'up', ...defaults, name: 'a', dryRun: true },
    ],
    [
      'a name of 32 characters',
      ['kind', 'down', '--name', 'a'.repeat(32)],
      { kind: 'kind', action: 'down', ...defaults, name: 'a'.repeat(32) },
    ],
  ];
  it.each(good)('%s', (_name, argv, want) => {
    expect(parseDockerClusterArgs(argv)).toEqual({ ok: true, options: want });
  });

  const bad: [string, string[], RegExp][] = [
    ['no kind', [], /which cluster\?/],
    ['an unknown kind', ['minikube', 'up'], /unknown cluster kind "minikube": kind or k3d/],
    ['no action', ['kind'], /storeplane dev kind needs up or down/],
    ['an unknown action', ['k3d', 'start'], /unknown action "start" for storeplane dev k3d: up or down/],
    ['an extra argument', ['kind', 'up', 'now'], /unexpected argument "now"/],
    ['an unknown flag', ['kind', 'up', '--force'], /Unknown option '--force'/],
    ['--name without a value', ['kind', 'up', '--name'], /--name/],
    ['--skip-build with down', ['kind', 'down', '--skip-build'], /--skip-build goes with up/],
  ];
  it.each(bad)('refuses %s', (_name, argv, message) => {
    const r = parseDockerClusterArgs(argv);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });

  it.each([
    ['upper case', 'Shop'],
    ['an underscore', 'my_shop'],
    ['a leading dash', '-shop'],
    ['a trailing dash', 'shop-'],
    ['a dot', 'shop.dev'],
    ['an empty name', ''],
    ['33 characters', 'a'.repeat(33)],
  ])('refuses a --name with %s', (_what, name) => {
    const r = parseDockerClusterArgs(['k3d', 'up', `--name=${name}`]);
    expect(r).toEqual({
      ok: false,
      message: expect.stringMatching(/^--name takes a DNS label of at most 32 characters/) as string,
    });
  });
});

describe('planUp', () => {
  const ingress = (kind: 'kind' | 'k3d', context: string) => [
    'helm',
    'upgrade',
    '--install',
    'ingress-nginx',
    'ingress-nginx',
    '--repo',
    'https://kubernetes.github.io/ingress-nginx',
    '--version',
    '4.14.1',
    '--namespace',
    'ingress-nginx',
    '--create-namespace',
    '--kube-context',
    context,
    '-f',
    `src/cli/docker-cluster/ingress-nginx-${kind}.yaml`,
    '--wait',
    '--timeout',
    '5m',
  ];
  const platform = (context: string) => [
    'helm',
    'upgrade',
    '--install',
    'storeplane',
    'charts/storeplane',
    '--namespace',
    'storeplane-system',
    '--create-namespace',
    '--kube-context',
    context,
    '-f',
    'charts/storeplane/values-local.yaml',
    '--set-string',
    'image.tag=1.2.3',
    '--wait',
    '--timeout',
    '10m',
  ];
  const kindCreate = [
    'kind',
    'create',
    'cluster',
    '--name',
    'storeplane',
    '--config',
    `${configDir}/kind-config.yaml`,
  ];
  const k3dCreate = (name: string) => [
    'k3d',
    'cluster',
    'create',
    name,
    '--port',
    '80:80@loadbalancer',
    '--port',
    '443:443@loadbalancer',
    '--k3s-arg',
    '--disable=traefik@server:0',
  ];
  const cases: {
    name: string;
    options: Parameters<typeof planUp>[0];
    exists?: boolean;
    want: string[][];
  }[] = [
    {
      name: 'kind: create, ingress-nginx, build, load, platform chart',
      options: { kind: 'kind', name: 'storeplane', skipBuild: false },
      want: [
        kindCreate,
        ingress('kind', 'kind-storeplane'),
        ['scripts/build-images.sh'],
        ['kind', 'load', 'docker-image', '--name', 'storeplane', ...refs],
        platform('kind-storeplane'),
      ],
    },
    {
      name: 'k3d with another name and no build',
      options: { kind: 'k3d', name: 'shop', skipBuild: true },
      want: [
        k3dCreate('shop'),
        ingress('k3d', 'k3d-shop'),
        ['k3d', 'image', 'import', '--cluster', 'shop', ...refs],
        platform('k3d-shop'),
      ],
    },
    {
      name: 'an existing kind cluster is not created again',
      options: { kind: 'kind', name: 'storeplane', skipBuild: false },
      exists: true,
      want: [
        ingress('kind', 'kind-storeplane'),
        ['scripts/build-images.sh'],
        ['kind', 'load', 'docker-image', '--name', 'storeplane', ...refs],
        platform('kind-storeplane'),
      ],
    },
  ];
  it.each(cases)('$name', ({ options, exists, want }) => {
    const steps = planUp(options, images, exists);
    expect(steps.map((s) => s.argv)).toEqual(want);
    for (const s of steps) expect(s.what).not.toBe('');
  });

  it('says on a failed create that ports 80 and 443 must be free', () => {
    const [create] = planUp({ kind: 'k3d', name: 'x', skipBuild: false }, images);
    expect(create?.hint).toMatch(/ports 80 and 443/);
    expect(create?.hint).toMatch(/storeplane dev k3d down --name x/);
  });
});

describe('planDown', () => {
  it.each([
    ['kind', ['kind', 'delete', 'cluster', '--name', 'a1']],
    ['k3d', ['k3d', 'cluster', 'delete', 'a1']],
  ] as const)('%s', (kind, want) => {
    expect(planDown({ kind, name: 'a1' }).map((s) => s.argv)).toEqual([want]);
  });
});

describe('tools', () => {
  it.each([
    ['kind', 'up', ['docker', 'kind', 'helm', 'kubectl']],
    ['k3d', 'up', ['docker', 'k3d', 'helm', 'kubectl']],
    ['kind', 'down', ['docker', 'kind']],
    ['k3d', 'down', ['docker', 'k3d']],
  ] as const)('%s %s needs %j', (kind, action, want) => {
    expect(requiredTools(kind, action)).toEqual(want);
  });

  it('names each missing tool with where to get it', () => {
    expect(missingToolsMessage([])).toBeUndefined();
    expect(missingToolsMessage(['k3d'])).toBe(
      'missing on PATH: k3d. Install it and run again:\n  k3d  https://k3d.io/#installation',
    );
    expect(missingToolsMessage(['kind', 'kubectl'])).toBe(
      [
        'missing on PATH: kind, kubectl. Install them and run again:',
        '  kind  https://kind.sigs.k8s.io/docs/user/quick-start/#installation',
        '  kubectl  https://kubernetes.io/docs/tasks/tools/',
      ].join('\n'),
    );
  });
});

describe('formatCommand', () => {
  it.each([
    [['kind', 'load', 'docker-image', 'ghcr.io/a/b:1.0'], 'kind load docker-image ghcr.io/a/b:1.0'],
    [['--k3s-arg', '--disable=traefik@server:0'], '--k3s-arg --disable=traefik@server:0'],
    [['-o', 'jsonpath={.data.password}'], "-o 'jsonpath={.data.password}'"],
    [['echo', 'a b', "it's", ''], "echo 'a b' 'it'\\''s' ''"],
    [['echo', '$HOME', 'a;b'], "echo '$HOME' 'a;b'"],
  ])('%j', (argv, want) => {
    expect(formatCommand(argv)).toBe(want);
  });
});

describe('afterUp', () => {
  it('gives the dashboard URL and the command that reads the admin password', () => {
    const lines = afterUp({ kind: 'kind', name: 'storeplane' });
    expect(lines).toContain('  Dashboard     http://storeplane.127.0.0.1.nip.io/  (user admin)');
    expect(lines).toContain(
      "  Password      kubectl --context kind-storeplane -n storeplane-system get secret storeplane-initial-admin -o 'jsonpath={.data.password}' | base64 -d",
    );
    expect(lines).toContain('  Remove it     ./bin/storeplane dev kind down');
    expect(afterUp({ kind: 'k3d', name: 'b' })).toContain(
      '  Remove it     ./bin/storeplane dev k3d down --name b',
    );
  });
});

describe('the cluster and ingress configuration files', () => {
  const root = resolve(import.meta.dirname, '..', '..', '..');
  const load = (file: string) => yaml.load(readFileSync(join(root, configDir, file), 'utf8')) as never;

  it('kind: one node with the ingress label and the host ports 80 and 443', () => {
    const config = load('kind-config.yaml') as {
      kind: string;
      apiVersion: string;
      nodes: { role: string; labels: Record<string, string>; extraPortMappings: object[] }[];
    };
    expect(config.kind).toBe('Cluster');
    expect(config.apiVersion).toBe('kind.x-k8s.io/v1alpha4');
    expect(config.nodes).toHaveLength(1);
    expect(config.nodes[0]?.role).toBe('control-plane');
    expect(config.nodes[0]?.labels).toEqual({ 'ingress-ready': 'true' });
    expect(config.nodes[0]?.extraPortMappings).toEqual([
      { containerPort: 80, hostPort: 80, protocol: 'TCP' },
      { containerPort: 443, hostPort: 443, protocol: 'TCP' },
    ]);
  });

  it('ingress-nginx on kind: host ports on the labelled node, the default IngressClass', () => {
    const { controller: c } = load('ingress-nginx-kind.yaml') as { controller: Record<string, never> };
    expect(c.hostPort).toEqual({ enabled: true });
    // A string: a nodeSelector's values are strings, and YAML's bare true is a boolean.
    expect(c.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', 'ingress-ready': 'true' });
    expect(c.service).toEqual({ type: 'NodePort' });
    expect(c.ingressClassResource).toEqual({ default: true });
  });

  it('ingress-nginx on k3d: a LoadBalancer for k3s ServiceLB, the default IngressClass', () => {
    const { controller: c } = load('ingress-nginx-k3d.yaml') as { controller: Record<string, never> };
    expect(c.service).toEqual({ type: 'LoadBalancer' });
    expect(c.ingressClassResource).toEqual({ default: true });
    expect(c.hostPort).toBeUndefined();
  });
});

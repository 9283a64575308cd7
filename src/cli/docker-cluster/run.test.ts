/**
 * `dev kind|k3d up|down` as it runs, scripts/build-images.sh, and the image names both derive from
 * the checkout. docker, kind, k3d, helm and kubectl cannot run on a machine without Docker: stand-ins
 * on a private PATH record the argv they get, so these tests see the exact commands run, in order,
 * from the repository root, and where a run stops.
 */
import { execFile, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { imagesOfCheckout, platformRepository } from './images.ts';
import { devDockerCluster, findOnPath, isDockerClusterCommand } from './run.ts';

const repoRoot = resolve(import.meta.dirname, '..', '..', '..');

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `storeplane-${prefix}-`));
  made.push(dir);
  return dir;
}

/** A bin directory with links to the real programs scripts need, so PATH can be only this directory. */
function binDir(tools = ['bash', 'awk', 'sed', 'head', 'dirname', 'cat']): string {
  const dir = tempDir('bin');
  for (const tool of tools) {
    const real = findOnPath(tool, process.env.PATH ?? '');
    if (!real) throw new Error(`the test needs ${tool} on PATH`);
    symlinkSync(real, join(dir, tool));
  }
  return dir;
}

/** A stand-in program: appends "<name> <args>" and its working directory to `log`, then runs `body`. */
function stub(dir: string, name: string, log: string, body = ''): void {
  const file = join(dir, name);
  writeFileSync(file, `#!${join(dir, 'bash')}\necho "${name} $* (in $PWD)" >>'${log}'\n${body}\n`);
  chmodSync(file, 0o755);
}

function readLog(log: string): string[] {
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
}

/**
 * What `up` and scripts/build-images.sh read from a checkout, copied from this one; the platform
 * chart's Chart.yaml and values-local.yaml are stand-ins (only checked to exist). `files` adds
 * or replaces files.
 */
function fakeCheckout(files: Record<string, string> = {}): string {
  const root = tempDir('checkout');
  const put = (rel: string, text?: string) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    if (text === undefined) copyFileSync(join(repoRoot, rel), join(root, rel));
    else writeFileSync(join(root, rel), text);
  };
  for (const rel of [
    'scripts/build-images.sh',
    'package.json',
    'charts/medusa-store/values.yaml',
    'charts/woocommerce-store/values.yaml',
    'src/cli/docker-cluster/kind-config.yaml',
    'src/cli/docker-cluster/ingress-nginx-kind.yaml',
    'src/cli/docker-cluster/ingress-nginx-k3d.yaml',
  ])
    put(rel);
  put('charts/storeplane/Chart.yaml', 'apiVersion: v2\nname: storeplane\nversion: 0.0.0\n');
  put('charts/storeplane/values-local.yaml', '{}\n');
  for (const [rel, text] of Object.entries(files)) put(rel, text);
  chmodSync(join(root, 'scripts/build-images.sh'), 0o755);
  return root;
}

/** Runs the command in this process with the given checkout and PATH; returns its exit code and output. */
async function run(argv: string[], root: string, path: string) {
  let stdout = '';
  let stderr = '';
  const code = await devDockerCluster(argv, {
    root,
    path,
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    childStdio: 'ignore',
  });
  return { code, stdout, stderr };
}

const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string })
  .version;
const chartImage = (engine: string) => {
  const { image } = yaml.load(
    readFileSync(join(repoRoot, 'charts', `${engine}-store`, 'values.yaml'), 'utf8'),
  ) as { image: { repository: string; tag: string } };
  return `${image.repository}:${image.tag}`;
};
const images = [`ghcr.io/storeplane/platform:${version}`, chartImage('medusa'), chartImage('woocommerce')];

describe('the images of the checkout', () => {
  it('are the platform at package.json version and the engines as their charts name them', () => {
    expect(imagesOfCheckout(repoRoot)).toEqual({
      ok: true,
      images: { version, platform: images[0], medusa: images[1], woocommerce: images[2] },
    });
  });

  it('are what scripts/build-images.sh tags', () => {
    const r = spawnSync('bash', [join(repoRoot, 'scripts/build-images.sh'), '--dry-run'], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    const tagged = [...r.stdout.matchAll(/ -t (\S+)/g)].map((m) => m[1]);
    expect(tagged).toEqual(images);
  });

  it("match the platform chart's image repository", () => {
    const values = join(repoRoot, 'charts/storeplane/values.yaml');
    const { image } = yaml.load(readFileSync(values, 'utf8')) as { image: { repository: string } };
    expect(image.repository).toBe(platformRepository);
  });

  it.each([
    ['a package.json without a version', { 'package.json': '{}' }, /package.json has no usable version/],
    [
      'an engine chart without an image tag',
      { 'charts/medusa-store/values.yaml': 'image:\n  repository: ghcr.io/x/y\n' },
      /charts\/medusa-store\/values.yaml: no usable image.tag \(got undefined\)/,
    ],
    [
      'a repository with upper case',
      { 'charts/woocommerce-store/values.yaml': 'image:\n  repository: GHCR.io/X\n  tag: "1"\n' },
      /no usable image.repository/,
    ],
  ])('are refused from %s', (_what, files, message) => {
    const r = imagesOfCheckout(fakeCheckout(files));
    expect(r).toEqual({ ok: false, message: expect.stringMatching(message) as string });
  });
});

describe('scripts/build-images.sh', () => {
  const script = (root: string, args: string[], path: string) =>
    spawnSync(join(path, 'bash'), [join(root, 'scripts/build-images.sh'), ...args], {
      encoding: 'utf8',
      env: { PATH: path },
    });

  it('reads tags quoted, commented, after nested image blocks, and prints each command with --dry-run', () => {
    const root = fakeCheckout({
      'package.json':
        '{\n  "name": "x",\n  "version": "2.0.0-rc.1",\n  "dependencies": {"version": "9"}\n}\n',
      'charts/medusa-store/values.yaml': [
        'database:',
        '  image:',
        '    repository: docker.io/library/postgres',
        '    tag: "15"',
        '# the engine',
        'image:',
        "  repository: 'registry.example.com/shop/medusa-store' # ours",
        '  tag: "2.21.2-7"',
        '  pullPolicy: IfNotPresent',
        'tag: not-this-one',
      ].join('\n'),
    });
    const r = script(root, ['--dry-run', '--registry', 'localhost:5000/dev/', '--push'], binDir());
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'docker build --build-arg VERSION=2.0.0-rc.1 -f Dockerfile -t ghcr.io/storeplane/platform:2.0.0-rc.1 -t localhost:5000/dev/platform:2.0.0-rc.1 .',
      'docker push localhost:5000/dev/platform:2.0.0-rc.1',
      'docker build -t registry.example.com/shop/medusa-store:2.21.2-7 -t localhost:5000/dev/medusa-store:2.21.2-7 engines/medusa',
      'docker push localhost:5000/dev/medusa-store:2.21.2-7',
      `docker build -t ${images[2]} -t localhost:5000/dev/${images[2]!.split('/').pop()} engines/woocommerce`,
      `docker push localhost:5000/dev/${images[2]!.split('/').pop()}`,
      '',
    ]);
  });

  it('builds only what --only names, with docker, from the checkout root', () => {
    const root = fakeCheckout();
    const bin = binDir();
    const log = join(tempDir('log'), 'calls');
    stub(bin, 'docker', log);
    // From another directory: the script finds the checkout from its own path.
    const r = spawnSync(join(bin, 'bash'), ['build-images.sh', '--only', 'woocommerce', '--only=platform'], {
      cwd: join(root, 'scripts'),
      encoding: 'utf8',
      env: { PATH: bin },
    });
    expect(r.status).toBe(0);
    expect(readLog(log)).toEqual([
      `docker build --build-arg VERSION=${version} -f Dockerfile -t ${images[0]} . (in ${root})`,
      `docker build -t ${images[2]} engines/woocommerce (in ${root})`,
    ]);
    expect(r.stderr).toContain(`Built: ${images[0]} ${images[2]}`);
  });

  it.each([
    [['--only', 'nginx'], 2, /--only takes one of: platform medusa woocommerce \(got "nginx"\)/],
    [['--registry'], 2, /--registry needs a value/],
    [['--registry', 'Bad Registry'], 2, /--registry takes a registry host/],
    [['--bogus'], 2, /unknown argument: --bogus/],
    [[], 1, /docker is not on PATH/],
  ])('refuses %j with exit %i', (args, status, message) => {
    const r = script(fakeCheckout(), args, binDir());
    expect(r.stderr).toMatch(message);
    expect(r.status).toBe(status);
  });

  it('stops at the first failed build', () => {
    const bin = binDir();
    const log = join(tempDir('log'), 'calls');
    stub(bin, 'docker', log, 'exit 3');
    const r = script(fakeCheckout(), ['--push'], bin);
    expect(r.status).toBe(3);
    expect(readLog(log)).toHaveLength(1);
  });
});

describe('isDockerClusterCommand', () => {
  it.each([
    [['dev', 'kind', 'up'], true],
    [['dev', 'k3d'], true],
    [['dev', 'minikube', 'up'], true],
    [['dev', 'cluster', 'up'], false],
    [['dev', 'images', 'build'], false],
    [['dev', 'real-node', 'preflight'], false],
    [['start'], false],
    [['dev'], false],
  ])('%j: %s', (argv, want) => {
    expect(isDockerClusterCommand(argv)).toBe(want);
  });
});

describe('storeplane dev kind|k3d', () => {
  const kindUp = [
    'kind create cluster --name storeplane --config src/cli/docker-cluster/kind-config.yaml',
    'helm upgrade --install ingress-nginx ingress-nginx --repo https://kubernetes.github.io/ingress-nginx --version 4.14.1 --namespace ingress-nginx --create-namespace --kube-context kind-storeplane -f src/cli/docker-cluster/ingress-nginx-kind.yaml --wait --timeout 5m',
    'scripts/build-images.sh',
    `kind load docker-image --name storeplane ${images.join(' ')}`,
    `helm upgrade --install storeplane charts/storeplane --namespace storeplane-system --create-namespace --kube-context kind-storeplane -f charts/storeplane/values-local.yaml --set-string image.tag=${version} --wait --timeout 10m`,
  ];
  const k3dUp = [
    'k3d cluster create dev-1 --port 80:80@loadbalancer --port 443:443@loadbalancer --k3s-arg --disable=traefik@server:0',
    'helm upgrade --install ingress-nginx ingress-nginx --repo https://kubernetes.github.io/ingress-nginx --version 4.14.1 --namespace ingress-nginx --create-namespace --kube-context k3d-dev-1 -f src/cli/docker-cluster/ingress-nginx-k3d.yaml --wait --timeout 5m',
    `k3d image import --cluster dev-1 ${images.join(' ')}`,
    `helm upgrade --install storeplane charts/storeplane --namespace storeplane-system --create-namespace --kube-context k3d-dev-1 -f charts/storeplane/values-local.yaml --set-string image.tag=${version} --wait --timeout 10m`,
  ];

  describe('--dry-run prints each command and runs nothing, with no tool on PATH', () => {
    it.each([
      [['kind', 'up', '--dry-run'], kindUp],
      [['k3d', 'up', '--dry-run', '--name', 'dev-1', '--skip-build'], k3dUp],
      [['kind', 'down', '--dry-run'], ['kind delete cluster --name storeplane']],
      [['k3d', 'down', '--name', 'dev-1', '--dry-run'], ['k3d cluster delete dev-1']],
    ])('%j', async (argv, want) => {
      const r = await run(argv, repoRoot, tempDir('empty-path'));
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(want.map((l) => `${l}\n`).join(''));
    });
  });

  it('answers argument errors with exit 2', async () => {
    for (const [argv, message] of [
      [['minikube', 'up'], 'storeplane: unknown cluster kind "minikube": kind or k3d'],
      [['kind', 'up', '--name', 'My.Cluster'], 'storeplane: --name takes a DNS label'],
    ] as const) {
      const r = await run([...argv], repoRoot, '');
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stdout).toBe('');
    }
  });

  it('names the missing tools and runs nothing', async () => {
    const bin = tempDir('bin');
    const log = join(bin, 'calls');
    stub(bin, 'docker', log);
    stub(bin, 'helm', log);
    const r = await run(['kind', 'up'], fakeCheckout(), bin);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      [
        'storeplane dev kind up: missing on PATH: kind, kubectl. Install them and run again:',
        '  kind  https://kind.sigs.k8s.io/docs/user/quick-start/#installation',
        '  kubectl  https://kubernetes.io/docs/tasks/tools/',
        '',
      ].join('\n'),
    );
    expect(readLog(log)).toEqual([]);
  });

  it('says which checkout file is missing before running anything', async () => {
    const bin = binDir();
    const log = join(tempDir('log'), 'calls');
    for (const tool of ['docker', 'k3d', 'helm', 'kubectl']) stub(bin, tool, log);
    const root = fakeCheckout();
    rmSync(join(root, 'charts/storeplane/values-local.yaml'));
    const r = await run(['k3d', 'up'], root, bin);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('missing from this checkout: charts/storeplane/values-local.yaml');
    expect(readLog(log)).toEqual([]);
  });

  describe('for real (stand-in tools)', () => {
    function tools(kind: 'kind' | 'k3d', clusters: string, failing?: string) {
      const bin = binDir();
      const log = join(tempDir('log'), 'calls');
      const list =
        kind === 'kind'
          ? `[ "$1 $2" = "get clusters" ] && printf '${clusters}'`
          : `[ "$2" = list ] && echo '${clusters}'`;
      stub(bin, kind, log, `${list}\nexit 0`);
      for (const tool of ['docker', 'helm', 'kubectl']) stub(bin, tool, log);
      if (failing) stub(bin, failing, log, 'case "$*" in *ingress-nginx*) exit 4;; esac');
      return { bin, log };
    }

    it('kind up: every step in order, from the checkout root, then where to sign in', async () => {
      const root = fakeCheckout();
      const { bin, log } = tools('kind', 'other\\n');
      const r = await run(['kind', 'up'], root, bin);
      expect(r.code).toBe(0);
      const calls = readLog(log).map((l) => l.replace(` (in ${root})`, ''));
      expect(calls).toEqual([
        'kind get clusters',
        kindUp[0],
        kindUp[1],
        // scripts/build-images.sh, run for real: it calls docker.
        `docker build --build-arg VERSION=${version} -f Dockerfile -t ${images[0]} .`,
        `docker build -t ${images[1]} engines/medusa`,
        `docker build -t ${images[2]} engines/woocommerce`,
        kindUp[3],
        kindUp[4],
      ]);
      expect(readLog(log).every((l) => l.endsWith(` (in ${root})`))).toBe(true);
      expect(r.stderr).toContain('==> [1/5] Creating the kind cluster "storeplane"');
      expect(r.stderr).toContain('  Dashboard     http://storeplane.127.0.0.1.nip.io/  (user admin)');
      expect(r.stderr).toContain(
        "kubectl --context kind-storeplane -n storeplane-system get secret storeplane-initial-admin -o 'jsonpath={.data.password}' | base64 -d",
      );
      expect(r.stdout).toBe('');
    });

    it('k3d up on an existing cluster skips creating it', async () => {
      const { bin, log } = tools('k3d', '[{"name":"dev-1"}]');
      const r = await run(['k3d', 'up', '--name', 'dev-1', '--skip-build'], fakeCheckout(), bin);
      expect(r.code).toBe(0);
      expect(readLog(log).map((l) => l.replace(/ \(in .*\)$/, ''))).toEqual([
        'k3d cluster list -o json',
        ...k3dUp.slice(1),
      ]);
      expect(r.stderr).toContain('The k3d cluster "dev-1" exists; using it');
    });

    it('stops at the failed step and says what failed', async () => {
      const { bin, log } = tools('kind', '', 'helm');
      const r = await run(['kind', 'up', '--skip-build'], fakeCheckout(), bin);
      expect(r.code).toBe(1);
      expect(readLog(log).map((l) => l.split(' ')[0])).toEqual(['kind', 'kind', 'helm']);
      expect(r.stderr).toContain(
        'storeplane dev kind up: step 2 failed (Installing ingress-nginx 4.14.1): helm exited with 4.',
      );
      expect(r.stderr).toContain('https://kubernetes.github.io/ingress-nginx: this machine must reach it.');
    });

    it('down deletes an existing cluster and leaves a missing one alone', async () => {
      const present = tools('kind', 'storeplane\\n');
      expect((await run(['kind', 'down'], fakeCheckout(), present.bin)).code).toBe(0);
      expect(readLog(present.log).map((l) => l.replace(/ \(in .*\)$/, ''))).toEqual([
        'kind get clusters',
        'kind delete cluster --name storeplane',
      ]);

      const absent = tools('k3d', '[]');
      const r = await run(['k3d', 'down'], fakeCheckout(), absent.bin);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('There is no k3d cluster named "storeplane"; nothing to delete.');
      expect(readLog(absent.log).map((l) => l.replace(/ \(in .*\)$/, ''))).toEqual([
        'k3d cluster list -o json',
      ]);
    });

    it('fails early when the cluster list cannot be read (Docker not running)', async () => {
      const bin = binDir();
      const log = join(tempDir('log'), 'calls');
      stub(bin, 'kind', log, 'echo "Cannot connect to the Docker daemon" >&2; exit 1');
      stub(bin, 'docker', log);
      const r = await run(['kind', 'down'], fakeCheckout(), bin);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('`kind get clusters` failed: Cannot connect to the Docker daemon');
      expect(r.stderr).toContain('Is Docker running?');
    });
  });
});

describe('the storeplane CLI', () => {
  const cli = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'src/cli/main.ts', ...args],
        { cwd: repoRoot },
        (err, stdout, stderr) => done({ code: err ? (err.code as number) : 0, stdout, stderr }),
      );
    });

  it('runs dev kind up --dry-run', async () => {
    const r = await cli(['dev', 'kind', 'up', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toEqual(kindUpLines());
  }, 60_000);

  it('refuses an unknown cluster kind with exit 2', async () => {
    const r = await cli(['dev', 'minikube', 'up']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown cluster kind "minikube": kind or k3d');
  }, 60_000);

  it('lists the command and its flags in its help', async () => {
    expect((await cli(['dev', '--help'])).stdout).toMatch(
      /kind \[options\] <action>[\s\S]*k3d \[options\] <action>/,
    );
    const r = await cli(['dev', 'kind', '--help']);
    expect(r.stdout).toContain('Usage: storeplane dev kind [options] <action>');
    for (const flag of ['--name <name>', '--dry-run', '--skip-build']) expect(r.stdout).toContain(flag);
  }, 60_000);

  function kindUpLines(): string[] {
    return [
      'kind create cluster --name storeplane --config src/cli/docker-cluster/kind-config.yaml',
      expect.stringMatching(/^helm upgrade --install ingress-nginx /) as unknown as string,
      'scripts/build-images.sh',
      `kind load docker-image --name storeplane ${images.join(' ')}`,
      expect.stringMatching(/^helm upgrade --install storeplane charts\/storeplane /) as unknown as string,
    ];
  }
});

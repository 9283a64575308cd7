/**
 * `storeplane dev kind|k3d up|down`: a real Kubernetes cluster in Docker (kind or k3d) with
 * ingress-nginx and the platform chart, for a person with Docker. This module decides what to run
 * (pure functions over the options and the repository's versions); run.ts runs it.
 *
 * Every command is an argument array, run from the repository root, so the paths in it (charts,
 * values files, scripts) are relative to the root and a --dry-run line can be pasted into a shell
 * there.
 */
import { parseArgs } from 'node:util';

export const clusterKinds = ['kind', 'k3d'] as const;
export type ClusterKind = (typeof clusterKinds)[number];
export const clusterActions = ['up', 'down'] as const;
export type ClusterAction = (typeof clusterActions)[number];

export interface DockerClusterOptions {
  kind: ClusterKind;
  action: ClusterAction;
  /** The cluster's name: kind's --name, k3d's cluster name. */
  name: string;
  /** Print the commands, run nothing. */
  dryRun: boolean;
  /** Use the images Docker already has (built earlier by scripts/build-images.sh). */
  skipBuild: boolean;
}

/** The images `up` loads into the cluster, as repository:tag (what scripts/build-images.sh tags). */
export interface PlatformImages {
  /** package.json's version: the platform image's tag, passed to the chart as image.tag. */
  version: string;
  platform: string;
  medusa: string;
  woocommerce: string;
}

export interface Step {
  /** What the step does, in words, shown before it runs. */
  what: string;
  argv: string[];
  /** Said when the step fails: the usual cause and what to do. */
  hint?: string;
}

export type Parsed = { ok: true; options: DockerClusterOptions } | { ok: false; message: string };

export const defaultClusterName = 'storeplane';
/**
 * k3d refuses cluster names over 32 characters; kind makes them container and host names
 * (`<name>-control-plane`). One rule for both: a DNS label of at most 32 characters.
 */
export const maxClusterNameLength = 32;
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Where the kind config and the ingress-nginx values live, relative to the repository root. */
export const configDir = 'src/cli/docker-cluster';

export const ingressNginx = {
  repo: 'https://kubernetes.github.io/ingress-nginx',
  chart: 'ingress-nginx',
  /** Pinned: a new chart version is a deliberate change (controller v1.14.1). */
  version: '4.14.1',
  release: 'ingress-nginx',
  namespace: 'ingress-nginx',
} as const;

export const platformRelease = {
  name: 'storeplane',
  namespace: 'storeplane-system',
  chart: 'charts/storeplane',
  values: 'charts/storeplane/values-local.yaml',
  /** The platform chart's Secret with the first admin's password (key `password`). */
  adminSecret: 'storeplane-initial-admin',
  dashboardUrl: 'http://storeplane.127.0.0.1.nip.io/',
} as const;

export const usageLine = 'storeplane dev kind|k3d up|down [--name N] [--dry-run] [--skip-build]';

/** Parses what follows `storeplane dev`: `<kind> <up|down> [flags]`. */
export function parseDockerClusterArgs(argv: string[]): Parsed {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        name: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        'skip-build': { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    return { ok: false, message: `${(err as Error).message}\nusage: ${usageLine}` };
  }
  const { values, positionals } = parsed;
  const [kind, action, ...rest] = positionals;
  if (!clusterKinds.includes(kind as ClusterKind))
    return {
      ok: false,
      message:
        kind === undefined
          ? `which cluster? usage: ${usageLine}`
          : `unknown cluster kind "${kind}": kind or k3d (for the local simulated cluster: storeplane dev cluster up)`,
    };
  if (!clusterActions.includes(action as ClusterAction))
    return {
      ok: false,
      message:
        action === undefined
          ? `storeplane dev ${kind} needs up or down`
          : `unknown action "${action}" for storeplane dev ${kind}: up or down`,
    };
  if (rest.length) return { ok: false, message: `unexpected argument "${rest[0]}"; usage: ${usageLine}` };
  const name = values.name ?? defaultClusterName;
  if (!(dnsLabel.test(name) && name.length <= maxClusterNameLength))
    return {
      ok: false,
      message:
        `--name takes a DNS label of at most ${maxClusterNameLength} characters: lower-case letters, ` +
        `digits and '-', starting and ending with a letter or digit (got "${name}")`,
    };
  if (action === 'down' && values['skip-build'])
    return { ok: false, message: '--skip-build goes with up (down builds nothing)' };
  return {
    ok: true,
    options: {
      kind: kind as ClusterKind,
      action: action as ClusterAction,
      name,
      dryRun: values['dry-run'],
      skipBuild: values['skip-build'],
    },
  };
}

/** The kube context kind and k3d write for a cluster (both also make it the current one). */
export function kubeContext(kind: ClusterKind, name: string): string {
  return `${kind}-${name}`;
}

/** The programs a real run needs on PATH. kubectl is for reading the admin password afterwards. */
export function requiredTools(kind: ClusterKind, action: ClusterAction): string[] {
  return action === 'up' ? ['docker', kind, 'helm', 'kubectl'] : ['docker', kind];
}

const installHelp: Record<string, string> = {
  docker: 'https://docs.docker.com/engine/install/',
  kind: 'https://kind.sigs.k8s.io/docs/user/quick-start/#installation',
  k3d: 'https://k3d.io/#installation',
  helm: 'https://helm.sh/docs/intro/install/',
  kubectl: 'https://kubernetes.io/docs/tasks/tools/',
};

/** The message for tools missing from PATH, naming each and where to get it; undefined: none missing. */
export function missingToolsMessage(missing: string[]): string | undefined {
  if (!missing.length) return undefined;
  return [
    `missing on PATH: ${missing.join(', ')}. Install ${missing.length === 1 ? 'it' : 'them'} and run again:`,
    ...missing.map((tool) => `  ${tool}  ${installHelp[tool] ?? ''}`.trimEnd()),
  ].join('\n');
}

/** `up`: create the cluster (unless it exists), ingress-nginx, images, the platform chart. */
export function planUp(
  o: Pick<DockerClusterOptions, 'kind' | 'name' | 'skipBuild'>,
  images: PlatformImages,
  clusterExists = false,
): Step[] {
  const context = kubeContext(o.kind, o.name);
  const steps: Step[] = [];
  if (!clusterExists)
    steps.push({
      what: `Creating the ${o.kind} cluster "${o.name}"`,
      argv:
        o.kind === 'kind'
          ? ['kind', 'create', 'cluster', '--name', o.name, '--config', `${configDir}/kind-config.yaml`]
          : [
              'k3d',
              'cluster',
              'create',
              o.name,
              '--port',
              '80:80@loadbalancer',
              '--port',
              '443:443@loadbalancer',
              // k3s' Traefik would take ports 80 and 443: ingress-nginx serves them instead.
              '--k3s-arg',
              '--disable=traefik@server:0',
            ],
      hint:
        'Is Docker running, and are ports 80 and 443 free on this machine (another web server or ' +
        `cluster)? A half-made cluster goes with: storeplane dev ${o.kind} down --name ${o.name}`,
    });
  steps.push({
    what: `Installing ingress-nginx ${ingressNginx.version}`,
    argv: [
      'helm',
      'upgrade',
      '--install',
      ingressNginx.release,
      ingressNginx.chart,
      // --repo instead of `helm repo add`: nothing is added to the user's helm repositories.
      '--repo',
      ingressNginx.repo,
      '--version',
      ingressNginx.version,
      '--namespace',
      ingressNginx.namespace,
      '--create-namespace',
      // Always the new cluster's context, whatever the current one is by then.
      '--kube-context',
      context,
      '-f',
      `${configDir}/ingress-nginx-${o.kind}.yaml`,
      '--wait',
      '--timeout',
      '5m',
    ],
    hint: `The chart comes from ${ingressNginx.repo}: this machine must reach it.`,
  });
  if (!o.skipBuild)
    steps.push({
      what: 'Building the images (platform, Medusa, WooCommerce)',
      argv: ['scripts/build-images.sh'],
    });
  const refs = [images.platform, images.medusa, images.woocommerce];
  steps.push({
    what: `Loading the images into the ${o.kind} cluster`,
    argv:
      o.kind === 'kind'
        ? ['kind', 'load', 'docker-image', '--name', o.name, ...refs]
        : ['k3d', 'image', 'import', '--cluster', o.name, ...refs],
    hint: o.skipBuild
      ? 'With --skip-build the images must be in Docker already: run scripts/build-images.sh, or up without --skip-build.'
      : undefined,
  });
  steps.push({
    what: `Installing the platform chart as release ${platformRelease.name}`,
    argv: [
      'helm',
      'upgrade',
      '--install',
      platformRelease.name,
      platformRelease.chart,
      '--namespace',
      platformRelease.namespace,
      '--create-namespace',
      '--kube-context',
      context,
      '-f',
      platformRelease.values,
      // --set-string: a version such as 1.10 must stay a string, not become the number 1.1.
      '--set-string',
      `image.tag=${images.version}`,
      '--wait',
      '--timeout',
      '10m',
    ],
    hint:
      `See what is not ready: kubectl --context ${context} -n ${platformRelease.namespace} get pods, ` +
      'then kubectl describe / logs on the one that is not.',
  });
  return steps;
}

/** `down`: delete the cluster (with everything in it). */
export function planDown(o: Pick<DockerClusterOptions, 'kind' | 'name'>): Step[] {
  return [
    {
      what: `Deleting the ${o.kind} cluster "${o.name}"`,
      argv:
        o.kind === 'kind'
          ? ['kind', 'delete', 'cluster', '--name', o.name]
          : ['k3d', 'cluster', 'delete', o.name],
    },
  ];
}

/** What `up` says when it is done: where to sign in, and how to read the first admin's password. */
export function afterUp(o: Pick<DockerClusterOptions, 'kind' | 'name'>): string[] {
  const context = kubeContext(o.kind, o.name);
  const downCommand = `./bin/storeplane dev ${o.kind} down${o.name === defaultClusterName ? '' : ` --name ${o.name}`}`;
  return [
    '',
    `Storeplane is running on the ${o.kind} cluster "${o.name}" (kube context ${context}).`,
    `  Dashboard     ${platformRelease.dashboardUrl}  (user admin)`,
    '  Password      ' +
      formatCommand([
        'kubectl',
        '--context',
        context,
        '-n',
        platformRelease.namespace,
        'get',
        'secret',
        platformRelease.adminSecret,
        '-o',
        'jsonpath={.data.password}',
      ]) +
      ' | base64 -d',
    '  Stores        http://<store>.127.0.0.1.nip.io/',
    `  Remove it     ${downCommand}`,
  ];
}

/** An argument array as one shell line: arguments with anything but safe characters in single quotes. */
export function formatCommand(argv: string[]): string {
  return argv
    .map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`))
    .join(' ');
}

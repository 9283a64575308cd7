import { Argument, type Command } from 'commander';
import { defaultDataDir } from '../devcluster/state.ts';
import { action } from './client/action.ts';
import { usageError } from './client/exit-codes.ts';
import type { CliIo } from './client/io.ts';
import type { runApi as RunApi } from './api.ts';
import type { runOperator as RunOperator } from './operator.ts';
import type { start as Start } from './start.ts';

// The platform's modules (Fastify, the Kubernetes client, the cluster builder) load only for the
// command that runs them: `storeplane stores list` starts in a fraction of the time.
const runApi = async (...a: Parameters<typeof RunApi>) => (await import('./api.ts')).runApi(...a);
const runOperator = async (...a: Parameters<typeof RunOperator>) =>
  (await import('./operator.ts')).runOperator(...a);
const start = async (...a: Parameters<typeof Start>) => (await import('./start.ts')).start(...a);
const devCluster = () => import('./dev-cluster.ts');
const devDockerCluster = async (argv: string[]) =>
  (await import('./docker-cluster/run.ts')).devDockerCluster(argv);

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * Commander's option values (camelCase keys) as the kebab-case flags the platform's runners take
 * (`deadlineSeconds` -> `deadline-seconds`), as `storeplane operator --help` names them.
 */
export function kebabFlags(opts: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(opts).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), v]),
  );
}

function apiOptions(c: Command): Command {
  return c
    .option('--host <host>', 'address to listen on (default: 127.0.0.1)')
    .option('--port <port>', 'port to listen on (default: 8080)')
    .option(
      '--data-dir <dir>',
      'users, sessions, audit: SQLite there (DATABASE_URL=postgres://... in the environment uses PostgreSQL)',
    )
    .option('--admin-password-file <file>', "the first admin's password (else generated into the data dir)")
    .option(
      '--api-config <file>',
      'YAML: limits, rateLimits, bodyLimit, sessionTtlSeconds, ... (src/api/config.ts)',
    )
    .option('--cors-origin <url>', 'allow this browser origin (repeatable; no CORS without it)', collect)
    .option('--trust-proxy', 'behind an Ingress: take the client address from X-Forwarded-For');
}

function operatorOptions(c: Command): Command {
  return c
    .option('--namespace <ns>', "the operator's namespace (its Lease)", 'storeplane-system')
    .option('--concurrency <n>', 'stores reconciled at once (default: 4)')
    .option('--deadline-seconds <n>', 'an attempt not Ready by then fails and is retried (default: 600)')
    .option('--retry-budget <n>', 'tries before a store is Stalled (default: 5)')
    .option('--retry-window-seconds <n>', 'Stalled only after the tries span this long (default: 600)')
    .option('--resync-seconds <n>', 'how often every store is checked again (default: 300)')
    .option('--override-manager <name>', 'writes by this field manager count as drift (repeatable)', collect)
    .option('--metrics-port <port>', '/metrics, /healthz, /readyz on 127.0.0.1:PORT')
    .option('--chart <engine=dir>', 'the engine chart to use (repeatable)', collect)
    .option(
      '--chart-values <engine=file>',
      "the environment's values, e.g. charts/woocommerce-store/values-prod.yaml (repeatable, later over earlier)",
      collect,
    )
    .option('--base-domain <domain>', "stores' host names end in it")
    .option('--tls', 'stores get https URLs (cert-manager)')
    .option('--helm <path>', 'the helm binary')
    .option('--ingress-namespace <ns>', 'where the ingress controller runs (repeatable)', collect)
    .option('--plans <file>', 'YAML overrides of plan quotas, e.g. small: {quota: {requests.cpu: 2}}')
    .option(
      '--store-role-binding <clusterRole:ns/serviceAccount>',
      'bind this ClusterRole in each store namespace (repeatable)',
      collect,
    )
    .option('--skip-crd-install', 'do not install or update the Store CRD')
    .option('--identity <id>', 'leader-election identity (default: host name and pid)');
}

/** start, api, operator and dev: running the platform and its local cluster. */
export function platformCommands(program: Command, io: CliIo): void {
  const kube = (c: Command) =>
    c.option('--kubeconfig <file>', 'the cluster (default: the current kube context)');
  const metrics = (c: Command) =>
    c.option('--metrics-bind-address <host:port>', '/metrics (and for the operator /healthz, /readyz) there');

  const startCmd = program
    .command('start')
    .description(
      'run the platform (operator, API, dashboard) against the current kube context, or the local cluster when none answers',
    )
    .option('--dev-cluster', 'use the local simulated cluster even when a context answers')
    .option('--no-real-node', 'no real node on the local cluster (stores stay simulated)')
    .option('--dir <dir>', "the local cluster's data directory", defaultDataDir());
  for (const add of [kube, metrics, apiOptions, operatorOptions]) add(startCmd);
  startCmd.action(
    action(io, async (o: Record<string, unknown>) => {
      const flags = kebabFlags(o);
      return start(String(o.dir), { ...flags, 'no-real-node': o.realNode === false } as never);
    }),
  );

  const apiCmd = program
    .command('api')
    .description('run only the HTTP API (and dashboard) against the current context');
  for (const add of [kube, metrics, apiOptions]) add(apiCmd);
  apiCmd.action(action(io, async (o: Record<string, unknown>) => runApi(kebabFlags(o) as never)));

  const operatorCmd = program
    .command('operator')
    .description('run only the operator (installs the Store CRD first)');
  for (const add of [kube, metrics, operatorOptions]) add(operatorCmd);
  operatorCmd.action(action(io, async (o: Record<string, unknown>) => runOperator(kebabFlags(o) as never)));

  const dev = program
    .command('dev')
    .description('the local clusters: simulated (with a real node where possible), kind, k3d');
  const cluster = dev
    .command('cluster')
    .description('the local simulated cluster (a real control plane, KWOK nodes)');
  const dir = (c: Command) => c.option('--dir <dir>', 'its data directory', defaultDataDir());
  dir(cluster.command('up'))
    .description('start it (or report the one running)')
    .option('--nodes <n>', 'simulated nodes (1-500)')
    .option('--real-node', 'also a node that runs containers (root, containerd, runc)')
    .action(
      action(io, async (o: { dir: string; nodes?: string; realNode?: boolean }) => {
        const nodes = o.nodes === undefined ? undefined : Number(o.nodes);
        if (nodes !== undefined && !(Number.isInteger(nodes) && nodes >= 1 && nodes <= 500))
          throw usageError('--nodes takes a whole number from 1 to 500');
        await (await devCluster()).devClusterUp(o.dir, nodes, o.realNode ?? false);
      }),
    );
  dir(cluster.command('status'))
    .description('whether it runs, and where (exit 1 when not)')
    .action(
      action(io, async (o: { dir: string }) =>
        (await (await devCluster()).devClusterStatus(o.dir)) ? 0 : 1,
      ),
    );
  dir(cluster.command('down'))
    .description('stop it and delete its data')
    .action(
      action(io, async (o: { dir: string }) => void (await (await devCluster()).devClusterDown(o.dir))),
    );

  dev
    .command('real-node')
    .description('the real node')
    .command('preflight')
    .description('say what keeps this machine from running a real node (exit 1 when anything does)')
    .action(action(io, async () => (await devCluster()).realNodePreflight()));

  dev
    .command('images')
    .description("the real node's images")
    .command('build')
    .description('build (or find cached) the images: pause, busybox, coredns, postgres, medusa, platform')
    .argument('[names...]', 'only these')
    .action(action(io, async (names: string[]) => (await devCluster()).devImagesBuild(names)));

  for (const kind of ['kind', 'k3d'] as const) {
    dev
      .command(kind)
      .description(
        `a ${kind} cluster in Docker with ingress-nginx, the images built and loaded, the platform chart installed`,
      )
      .addArgument(new Argument('<action>', 'up or down').choices(['up', 'down']))
      .option('--name <name>', 'the cluster name (a DNS label)')
      .option('--dry-run', 'print the commands instead of running them')
      .option('--skip-build', 'use the images already built')
      .action(
        action(io, async (act: string, o: { name?: string; dryRun?: boolean; skipBuild?: boolean }) =>
          // Its own parser checks the name and says what is missing (src/cli/docker-cluster/plan.ts).
          devDockerCluster([
            kind,
            act,
            ...(o.name !== undefined ? [`--name=${o.name}`] : []),
            ...(o.dryRun ? ['--dry-run'] : []),
            ...(o.skipBuild ? ['--skip-build'] : []),
          ]),
        ),
      );
  }
}

import { parseArgs } from 'node:util';
import { defaultDataDir } from '../devcluster/state.ts';
import {
  devClusterDown,
  devClusterStatus,
  devClusterUp,
  devImagesBuild,
  realNodePreflight,
} from './dev-cluster.ts';
import { runApi } from './api.ts';
import { devDockerCluster, isDockerClusterCommand } from './docker-cluster/run.ts';
import { runOperator, UsageError } from './operator.ts';
import { start } from './start.ts';

const usage = `storeplane: provision e-commerce stores on Kubernetes

Usage:
  storeplane start [--dev-cluster] [--no-real-node] [API flags] [operator flags]
                                            run the platform (operator and API) against the
                                            current kube context, or the local cluster when none
                                            answers (with a real node that runs Medusa stores
                                            where this machine can)
  storeplane api [API flags]                run only the HTTP API against the current context
      --host H (127.0.0.1)  --port P (8080)  --data-dir D (users, sessions, audit: SQLite there;
      DATABASE_URL=postgres://... in the environment uses PostgreSQL instead)
      --admin-password-file F (the first admin's password; else generated into D)
      --api-config F (YAML: limits, rateLimits, bodyLimit, sessionTtlSeconds, ... see src/api/config.ts)
      --cors-origin URL (repeatable; no CORS without it)  --trust-proxy (behind an Ingress)
      --metrics-bind-address HOST:PORT (/metrics there instead of on the public port)
  storeplane dev cluster up [--dir D] [--nodes N] [--real-node]
                                            --real-node: also a node that runs containers (root,
                                            containerd, runc); builds its binaries and images once
  storeplane dev cluster status [--dir D]
  storeplane dev cluster down [--dir D]     stop it and delete its data
  storeplane dev real-node preflight        say what keeps this machine from running a real node
                                            (exit 1 when anything does)
  storeplane dev kind|k3d up|down [--name N] [--dry-run] [--skip-build]
                                            a kind or k3d cluster in Docker with ingress-nginx,
                                            the images built and loaded, the platform chart
                                            installed (http://storeplane.127.0.0.1.nip.io/);
                                            down deletes it. --dry-run prints the commands
  storeplane dev images build [NAME...]     build (or find cached) the real node's images:
                                            pause, busybox, coredns, postgres, medusa, platform
  storeplane operator [flags]               run only the operator (installs the Store CRD first)
      --kubeconfig F  --namespace NS (storeplane-system)  --concurrency N (4)
      --deadline-seconds N (600: an attempt not Ready by then fails and is retried)
      --retry-budget N (5)  --retry-window-seconds N (600: Stalled only after N tries spanning this long)
      --resync-seconds N (300)  --override-manager NAME (writes by this field manager count as drift)
      --metrics-bind-address HOST:PORT (/metrics, /healthz, /readyz)  --metrics-port P (= 127.0.0.1:P)
      --chart <engine>=<dir>  --base-domain D  --tls  --helm PATH
      --ingress-namespace NS  (repeatable; where the ingress controller runs, allowed to reach
                               stores' web pods; default ingress-nginx and kube-system)
      --chart-values <engine>=<file>  (the environment's values, e.g. charts/woocommerce-store/values-prod.yaml;
                                       repeatable, later files layered over earlier ones; the
                                       operator's per-store values are layered over them all)
      --plans FILE (YAML overrides of plan quotas, e.g. small: {quota: {requests.cpu: 2}}; a quota may add
        resources the plans leave out, such as requests.ephemeral-storage or count/jobs.batch)
      --store-role-binding <clusterRole>:<ns>/<serviceAccount>  (bind it in each store namespace;
                                       repeatable, e.g. the operator's own role, then the API's:
                                       storeplane-api-store-reader:storeplane-system/storeplane-api)
      --skip-crd-install  --identity ID
  storeplane help
`;

async function main(argv: string[]): Promise<number> {
  // `dev kind|k3d up|down` has flags of its own (src/cli/docker-cluster/): parsed there.
  if (isDockerClusterCommand(argv)) return devDockerCluster(argv.slice(1));
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dir: { type: 'string' },
      nodes: { type: 'string' },
      'dev-cluster': { type: 'boolean', default: false },
      'real-node': { type: 'boolean', default: false },
      'no-real-node': { type: 'boolean', default: false },
      kubeconfig: { type: 'string' },
      namespace: { type: 'string' },
      concurrency: { type: 'string' },
      'deadline-seconds': { type: 'string' },
      'retry-budget': { type: 'string' },
      'retry-window-seconds': { type: 'string' },
      'metrics-bind-address': { type: 'string' },
      'override-manager': { type: 'string', multiple: true },
      'resync-seconds': { type: 'string' },
      'metrics-port': { type: 'string' },
      chart: { type: 'string', multiple: true },
      'chart-values': { type: 'string', multiple: true },
      'base-domain': { type: 'string' },
      'ingress-namespace': { type: 'string', multiple: true },
      tls: { type: 'boolean' },
      helm: { type: 'string' },
      identity: { type: 'string' },
      plans: { type: 'string' },
      'store-role-binding': { type: 'string', multiple: true },
      'skip-crd-install': { type: 'boolean' },
      'data-dir': { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'admin-password-file': { type: 'string' },
      'api-config': { type: 'string' },
      'cors-origin': { type: 'string', multiple: true },
      'trust-proxy': { type: 'boolean' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const dataDir = values.dir ?? defaultDataDir();
  const command = positionals.join(' ');
  if (values.help || command === 'help' || command === '') {
    process.stdout.write(usage);
    return 0;
  }
  if (command.startsWith('dev images build')) return devImagesBuild(positionals.slice(3));
  switch (command) {
    case 'start':
      return start(dataDir, values);
    case 'operator':
      return runOperator(values);
    case 'api':
      return runApi(values);
    case 'dev cluster up': {
      const nodes = values.nodes === undefined ? undefined : Number(values.nodes);
      if (nodes !== undefined && !(Number.isInteger(nodes) && nodes >= 1 && nodes <= 500)) {
        process.stderr.write('--nodes takes a whole number from 1 to 500\n');
        return 2;
      }
      await devClusterUp(dataDir, nodes, values['real-node']);
      return 0;
    }
    case 'dev cluster down':
      await devClusterDown(dataDir);
      return 0;
    case 'dev real-node preflight':
      return realNodePreflight();
    case 'dev cluster status':
      return (await devClusterStatus(dataDir)) ? 0 : 1;
    default:
      process.stderr.write(`unknown command: ${command}\n\n${usage}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError || (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      process.stderr.write(`storeplane: ${(err as Error).message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`storeplane: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { whyNot } from '../devcluster/realnode/node.ts';
import type { ClusterState } from '../devcluster/state.ts';
import { chooseCluster, loadKubeConfig, probeCurrentContext } from '../kube/context.ts';
import { type ApiFlags, startApi } from './api.ts';
import { ensureDashboard } from './dashboard.ts';
import { devClusterUp } from './dev-cluster.ts';
import { ensureStoreCrd, type OperatorFlags, runOperator } from './operator.ts';

const root = resolve(import.meta.dirname, '..', '..');
const say = (line: string) => process.stderr.write(`${line}\n`);

export interface StartFlags extends OperatorFlags, ApiFlags {
  'dev-cluster'?: boolean;
  'no-real-node'?: boolean;
}

/**
 * `storeplane start`: the platform against the current kube context, or the local cluster when
 * none answers. The local cluster gets a real node (containers that run) wherever this machine
 * can run one, installing its Debian packages first when it may; otherwise it says why not.
 */
export async function start(dataDir: string, flags: StartFlags): Promise<number> {
  const choice = chooseCluster(await probeCurrentContext(), flags['dev-cluster'] ?? false);
  switch (choice.use) {
    case 'none':
      say(choice.error);
      return 1;
    case 'context':
      say(`Using kube context "${choice.context}" (${choice.server}, Kubernetes ${choice.version}).`);
      printHint(undefined);
      return withApi(flags, undefined, { kind: 'kubernetes', realNode: false }, () =>
        runOperator({ ...flags, 'skip-crd-install': true }),
      );
    case 'dev-cluster': {
      say(
        choice.note
          ? `${choice.note}; using the local cluster instead.`
          : 'No kube context is configured; using the local cluster.',
      );
      const realNode = flags['no-real-node'] ? false : canRunRealNode();
      const cluster = await devClusterUp(dataDir, undefined, realNode);
      printHint(cluster);
      const code = await withApi(
        flags,
        cluster.kubeconfig,
        { kind: 'simulated', realNode: Boolean(cluster.realNode) },
        () =>
          runOperator(
            { ...(cluster.realNode ? withDevnodeValues(flags) : flags), 'skip-crd-install': true },
            cluster.kubeconfig,
          ),
      );
      say(
        'Stopped the operator, the API and the dashboard. The local cluster and its stores keep running: `./bin/storeplane dev cluster down` stops it and deletes them.',
      );
      return code;
    }
  }
}

/**
 * The API and the dashboard beside the operator: they start first (so the URL is printed early)
 * and stop with it. The dashboard is built first when its build is missing or stale.
 */
async function withApi(
  flags: StartFlags,
  kubeconfig: string | undefined,
  cluster: { kind: 'simulated' | 'kubernetes'; realNode: boolean },
  operator: () => Promise<number>,
) {
  const dashboardDir = ensureDashboard(say);
  // The API watches Stores from its first moment: the CRD comes first, or it logs a failed watch.
  // The operator then need not install it again.
  if (!flags['skip-crd-install']) await ensureStoreCrd(loadKubeConfig(kubeconfig ?? flags.kubeconfig));
  const api = await startApi(flags, kubeconfig, { cluster, dashboardDir });
  try {
    return await operator();
  } finally {
    await api.close();
  }
}

/** Whether a real node can run here, after installing its packages where that is allowed. */
function canRunRealNode(): boolean {
  let why = whyNot();
  const packagesMissing = why.some((l) => l.startsWith('missing ') && !l.startsWith('missing capability'));
  if (packagesMissing && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    try {
      execFileSync(join(root, 'scripts', 'system-packages'), ['--real-node'], {
        stdio: ['ignore', 'inherit', 'inherit'],
      });
    } catch {
      // whyNot below says what is still missing
    }
    why = whyNot();
  }
  if (!why.length) return true;
  say(
    [
      'This machine cannot run a real node, so stores will be simulated (they become Ready, but no',
      'page is served). What is missing:',
      ...why.map((w) => `  - ${w}`),
    ].join('\n'),
  );
  return false;
}

/** The real node's chart values and a base domain the browser resolves by itself (*.localhost). */
export function withDevnodeValues(flags: OperatorFlags): OperatorFlags {
  const values = flags['chart-values'] ?? [];
  return {
    ...flags,
    'chart-values': values.some((v) => v.startsWith('medusa='))
      ? values
      : [...values, `medusa=${join(root, 'charts', 'medusa-store', 'values-devnode.yaml')}`],
    'base-domain': flags['base-domain'] ?? 'localhost',
  };
}

function printHint(cluster: ClusterState | undefined): void {
  const ingress = cluster?.realNode?.ingress;
  const port = ingress && ingress.port !== 80 ? `:${ingress.port}` : '';
  say(
    [
      'Starting the operator, the API and the dashboard (Ctrl-C stops them; the cluster keeps running).',
      'Open the dashboard URL below and sign in as "admin" with the password in the file named',
      'below; the README shows sessions with the CLI ("The CLI") and curl ("The HTTP API"). Or, with kubectl:',
      ...(cluster ? [`  export KUBECONFIG=${cluster.kubeconfig} PATH=${cluster.binDir}:$PATH`] : []),
      '  kubectl apply -f examples/medusa.yaml -f examples/woocommerce.yaml',
      '  kubectl get stores -w',
      ...(ingress
        ? [
            `Medusa stores run for real on this machine's node: when bike-parts is Ready, open`,
            `  http://bike-parts.localhost${port}/      (the storefront; the admin is at /app)`,
            '  admin login: kubectl get secret -n store-bike-parts store-credentials -o jsonpath={.data.admin-email} | base64 -d',
            'WooCommerce stores stay simulated here (charts/woocommerce-store/values-devnode.yaml says why).',
          ]
        : []),
      '',
    ].join('\n'),
  );
}

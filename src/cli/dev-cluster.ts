import { ensureNodeBinaries } from '../devcluster/binaries.ts';
import { down, status, up } from '../devcluster/cluster.ts';
import { ensureImages } from '../devcluster/images/build.ts';
import { type ImageName, recipes } from '../devcluster/images/recipes.ts';
import { nodeName, realNodeLabel } from '../devcluster/realnode/configs.ts';
import { whyNot } from '../devcluster/realnode/node.ts';
import type { ClusterState } from '../devcluster/state.ts';

const say = (line: string) => process.stderr.write(`${line}\n`);

export async function devClusterUp(
  dataDir: string,
  nodeCount?: number,
  realNode = false,
): Promise<ClusterState> {
  const result = await up({ dataDir, nodes: nodeCount ? { count: nodeCount } : {}, realNode, log: say });
  if (result.alreadyRunning && realNode && !result.state.realNode)
    say(
      'The running cluster has no real node; to get one: storeplane dev cluster down, then up --real-node (its stores go with it).',
    );
  if (result.alreadyRunning) {
    say(`The simulated cluster is already running (since ${result.state.startedAt}).`);
  } else {
    say(`Simulated cluster ready in ${result.seconds.toFixed(1)}s.`);
  }
  printUsage(result.state);
  return result.state;
}

export async function devClusterDown(dataDir: string): Promise<void> {
  const { stopped, leftovers } = await down(dataDir);
  for (const l of leftovers) say(`warning: the real node left ${l} behind`);
  say(
    stopped.length
      ? `Stopped ${stopped.join(', ')}; removed ${dataDir}.`
      : `No running cluster in ${dataDir}; removed what was left there.`,
  );
}

export async function devClusterStatus(dataDir: string): Promise<boolean> {
  const s = await status(dataDir);
  if (!s.state) {
    say(`No simulated cluster in ${dataDir}.`);
    return false;
  }
  if (!s.running) {
    say(
      `The simulated cluster in ${dataDir} is not healthy: ${s.problem}. Run \`storeplane dev cluster up\` to replace it.`,
    );
    return false;
  }
  say(`The simulated cluster is running (since ${s.state.startedAt}).`);
  printUsage(s.state);
  return true;
}

function printUsage(state: ClusterState): void {
  const procs = Object.entries(state.processes)
    .map(([name, p]) => `${name} (pid ${p?.pid})`)
    .join(', ');
  say(
    [
      '',
      `  API server   ${state.server}`,
      `  processes    ${procs}`,
      `  nodes        ${state.nodes.count} KWOK fake nodes, ${state.nodes.cpu} CPU / ${state.nodes.memory} each`,
      `  data, logs   ${state.dataDir}`,
      '',
      '  Use it from a shell (kubectl v1.34 and helm v4 are in the bin directory):',
      `    export KUBECONFIG=${state.kubeconfig}`,
      `    export PATH=${state.binDir}:$PATH`,
      '    kubectl get nodes',
      '',
      ...(state.realNode
        ? [
            `  real node    ${nodeName} (${state.realNode.hostIp}): containerd, kubelet, kube-proxy, CoreDNS,`,
            `               kube-router (NetworkPolicy), local-path volumes; logs in ${state.realNode.dir}/logs`,
            `               Pods run there for real when they select ${realNodeLabel}=true and tolerate its taint`,
            '               (charts/*/values-devnode.yaml). Everything else lands on the fake nodes.',
          ]
        : [
            '  This is a real control plane (API server, controller-manager, scheduler, etcd) with fake',
            '  nodes: pods become Running/Ready, Jobs complete and PVCs bind, but no container runs and',
            '  nothing answers on Service or pod IPs. `up --real-node` adds a node that runs containers.',
          ]),
      '',
      '  Stop it and delete its data: storeplane dev cluster down',
      '',
    ].join('\n'),
  );
}

/** Builds (or finds cached) the real node's images; prints each archive. */
export async function devImagesBuild(names: string[]): Promise<number> {
  const unknown = names.filter((n) => !(n in recipes));
  if (unknown.length) {
    say(`unknown image ${unknown.join(', ')}; the images are: ${Object.keys(recipes).join(', ')}`);
    return 2;
  }
  const wanted = (names.length ? names : Object.keys(recipes)) as ImageName[];
  const nodeBinDir = await ensureNodeBinaries();
  for (const image of await ensureImages(wanted, { nodeBinDir, log: say }))
    say(
      `${image.ref}  ${image.seconds ? `built in ${image.seconds.toFixed(0)}s` : 'cached'}  ${image.archive}`,
    );
  return 0;
}

/** Exit 0 when this machine can run a real node; else each missing thing and its fix. */
export function realNodePreflight(): number {
  const why = whyNot();
  if (!why.length) {
    say('This machine can run a real node.');
    return 0;
  }
  say(`This machine cannot run a real node:\n  ${why.join('\n  ')}`);
  return 1;
}

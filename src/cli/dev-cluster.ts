import { down, status, up } from '../devcluster/cluster.ts';
import type { ClusterState } from '../devcluster/state.ts';

const say = (line: string) => process.stderr.write(`${line}\n`);

export async function devClusterUp(dataDir: string, nodeCount?: number): Promise<ClusterState> {
  const result = await up({ dataDir, nodes: nodeCount ? { count: nodeCount } : {}, log: say });
  if (result.alreadyRunning) {
    say(`The simulated cluster is already running (since ${result.state.startedAt}).`);
  } else {
    say(`Simulated cluster ready in ${result.seconds.toFixed(1)}s.`);
  }
  printUsage(result.state);
  return result.state;
}

export async function devClusterDown(dataDir: string): Promise<void> {
  const { stopped } = await down(dataDir);
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
      '  This is a real control plane (API server, controller-manager, scheduler, etcd) with fake',
      '  nodes: pods become Running/Ready, Jobs complete and PVCs bind, but no container runs and',
      '  nothing answers on Service or pod IPs.',
      '',
      '  Stop it and delete its data: storeplane dev cluster down',
      '',
    ].join('\n'),
  );
}

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Binaries, binariesIn, ensureBinaries } from './binaries.ts';
import { type ComponentCommand, componentCommands, schedulerConfig } from './components.ts';
import { coreApi, createAll, createFromYamlFile, kubeConfigFrom } from './kube.ts';
import { renderKubeconfig } from './kubeconfig.ts';
import { defaultNodeShape, fakeNodes, type NodeShape } from './nodes.ts';
import { freePorts } from './ports.ts';
import { createPki } from './pki.ts';
import { probe, waitUntil } from './probe.ts';
import { isOurs, startDetached, stopProcess, tail } from './processes.ts';
import { hostAddress, startRealNode, whyNot } from './realnode/node.ts';
import { leftovers, stopRealNode } from './realnode/teardown.ts';
import { type ClusterState, readState, writeState } from './state.ts';

export interface UpOptions {
  dataDir: string;
  nodes?: Partial<NodeShape>;
  /** Also join a real node (containerd and a kubelet on this machine) that runs containers. */
  realNode?: boolean;
  log?: (line: string) => void;
}

export interface UpResult {
  state: ClusterState;
  binaries: Binaries;
  alreadyRunning: boolean;
  seconds: number;
}

/**
 * Brings the local control plane up in `dataDir`, or reports the one already running there.
 * On any failure it stops what it started and removes the data directory.
 */
export async function up(opts: UpOptions): Promise<UpResult> {
  const t0 = Date.now();
  const log = opts.log ?? (() => {});
  const existing = await readState(opts.dataDir);
  if (existing) {
    const problem = await healthProblem(existing);
    if (!problem) {
      return { state: existing, binaries: binariesIn(existing.binDir), alreadyRunning: true, seconds: 0 };
    }
    log(`a previous cluster in ${opts.dataDir} is broken (${problem}); replacing it`);
    await down(opts.dataDir);
  }

  if (opts.realNode) {
    const why = whyNot();
    if (why.length) throw new Error(`this machine cannot run a real node:\n  ${why.join('\n  ')}`);
  }
  const binaries = await ensureBinaries();
  try {
    const state = await start(opts, binaries, log);
    return { state, binaries, alreadyRunning: false, seconds: (Date.now() - t0) / 1000 };
  } catch (err) {
    await down(opts.dataDir).catch(() => {});
    throw err;
  }
}

async function start(
  opts: UpOptions,
  binaries: Binaries,
  log: (line: string) => void,
): Promise<ClusterState> {
  const { dataDir } = opts;
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(join(dataDir, 'logs'), { recursive: true, mode: 0o700 });
  const pkiDir = join(dataDir, 'pki');
  await mkdir(pkiDir, { mode: 0o700 });
  const { files: pki, adminToken } = await createPki(pkiDir);
  const ports = await freePorts([
    'etcdClient',
    'etcdPeer',
    'apiserver',
    'controllerManager',
    'scheduler',
  ] as const);
  const server = `https://127.0.0.1:${ports.apiserver}`;
  const hostIp = opts.realNode ? hostAddress() : undefined;
  const kubeconfig = join(dataDir, 'kubeconfig');
  await writeFile(kubeconfig, renderKubeconfig({ server, caFile: pki.caCert, token: adminToken }), {
    mode: 0o600,
  });
  await writeFile(join(dataDir, 'scheduler.yaml'), schedulerConfig(kubeconfig));

  const state: ClusterState = {
    dataDir,
    binDir: binaries.dir,
    kubeconfig,
    server,
    caFile: pki.caCert,
    ports,
    nodes: { ...defaultNodeShape, ...opts.nodes },
    processes: {},
    startedAt: new Date().toISOString(),
  };
  const commands = componentCommands({
    dataDir,
    binDir: binaries.dir,
    ports,
    pki,
    kubeconfig,
    ...(hostIp ? { realNode: { hostIp } } : {}),
  });
  const launch = async (cmd: ComponentCommand) => {
    state.processes[cmd.name] = { pid: startDetached(cmd), binary: cmd.binary, log: cmd.log };
    await writeState(state);
    log(`started ${cmd.name} (pid ${state.processes[cmd.name]?.pid})`);
  };
  const alive = () => deadComponent(state);
  const ca = await readFile(pki.caCert);
  const [etcd, apiserver, ...rest] = commands;
  if (!etcd || !apiserver) throw new Error('component list is incomplete');

  await launch(etcd);
  await waitUntil(
    'etcd /health',
    async () => ((await probe(`http://127.0.0.1:${ports.etcdClient}/health`)) === 200 ? true : undefined),
    {
      timeoutMs: 30_000,
      alive,
    },
  );
  await launch(apiserver);
  await waitUntil(
    'kube-apiserver /readyz',
    async () => ((await probe(`${server}/readyz`, ca)) === 200 ? true : undefined),
    {
      timeoutMs: 60_000,
      alive,
    },
  );
  for (const cmd of rest) await launch(cmd);

  const kc = kubeConfigFrom(kubeconfig);
  const core = coreApi(kc);
  await createAll(kc, fakeNodes(state.nodes));
  await createFromYamlFile(kc, join(binaries.dir, 'kwok-storage-class.yaml'));
  await waitUntil(
    `${state.nodes.count} Ready, untainted nodes`,
    async () => {
      const nodes = (await core.listNode()).items;
      const ready = nodes.filter(
        (n) =>
          n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') &&
          !n.spec?.taints?.length,
      );
      return ready.length >= state.nodes.count ? true : undefined;
    },
    { timeoutMs: 60_000, alive },
  );
  // Pods are rejected until the ServiceAccount controller has made the namespace's `default` SA.
  await waitUntil(
    'the default ServiceAccount',
    async () => (await core.readNamespacedServiceAccount({ name: 'default', namespace: 'default' })) && true,
    {
      timeoutMs: 30_000,
      alive,
    },
  );
  if (opts.realNode) await startRealNode(state, () => writeState(state), log);
  return state;
}

/** Stops every process of the cluster in `dataDir` (reverse start order) and deletes its data. */
export async function down(dataDir: string): Promise<{ stopped: string[]; leftovers: string[] }> {
  const state = await readState(dataDir);
  const stopped: string[] = [];
  let left: string[] = [];
  if (state?.realNode) {
    stopped.push(...(await stopRealNode(dataDir, state.realNode)));
    left = await leftovers(state.realNode);
    // Deleting the directory through a mount that is still there could reach whatever it mounts.
    const mounts = left.filter((l) => l.startsWith('mount '));
    if (mounts.length)
      throw new Error(
        `could not unmount ${mounts.map((m) => m.slice(6)).join(', ')}; ${dataDir} is left in place`,
      );
  }
  if (state) {
    const running = Object.entries(state.processes).reverse();
    for (const [name, proc] of running) {
      if (proc && (await isOurs(proc.pid, proc.binary))) {
        await stopProcess(proc.pid, proc.binary);
        stopped.push(name);
      }
    }
  }
  await rm(dataDir, { recursive: true, force: true });
  return { stopped, leftovers: left };
}

export interface StatusResult {
  state?: ClusterState;
  running: boolean;
  problem?: string;
}

export async function status(dataDir: string): Promise<StatusResult> {
  const state = await readState(dataDir);
  if (!state) return { running: false };
  const problem = await healthProblem(state);
  return problem ? { state, running: false, problem } : { state, running: true };
}

async function deadComponent(state: ClusterState): Promise<string | undefined> {
  const all = { ...state.processes, ...state.realNode?.processes };
  for (const [name, proc] of Object.entries(all)) {
    if (proc && !(await isOurs(proc.pid, proc.binary)))
      return `${name}; last lines of ${proc.log}:\n${await tail(proc.log)}`;
  }
  return undefined;
}

async function healthProblem(state: ClusterState): Promise<string | undefined> {
  const dead = await deadComponent(state);
  if (dead) return `${dead.split(';')[0]} is not running`;
  const code = await probe(`${state.server}/readyz`, await readFile(state.caFile));
  return code === 200 ? undefined : `kube-apiserver /readyz answered ${code || 'nothing'}`;
}

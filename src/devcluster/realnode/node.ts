import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { createAll, coreApi, kubeConfigFrom } from '../kube.ts';
import { renderKubeconfig } from '../kubeconfig.ts';
import { issueClientCert, pkiFiles } from '../pki.ts';
import { probe, waitUntil } from '../probe.ts';
import { freePorts, portFree } from '../ports.ts';
import { isOurs, startDetached, tail } from '../processes.ts';
import type { ClusterState, ProcessRecord } from '../state.ts';
import { ensureImages } from '../images/build.ts';
import { imageRefs } from '../images/refs.ts';
import { corednsObjects, ingressObjects, ingressUser, localPathArgs, localPathObjects } from './addons.ts';
import { healthHost } from './ingress/server.ts';
import {
  cniConflist,
  containerdConfig,
  kubeletArgs,
  kubeletConfig,
  kubeProxyConfig,
  kubeRouterArgs,
  type NodeLayout,
  nodeName,
  paths,
} from './configs.ts';
import { claimNodeLock } from './claim.ts';
import { problems, readMachineFacts } from './preflight.ts';
import { ensureNodeBinaries } from '../binaries.ts';

const run = promisify(execFile);

/** What the cluster state records about its real node, for `status` and `down`. */
export interface RealNodeState {
  dir: string;
  hostIp: string;
  binDir: string;
  /** /proc/sys/net/ipv4/ip_forward before the node started (the bridge plugin turns it on). */
  ipForwardBefore: string;
  processes: Record<string, ProcessRecord>;
  /** The dev Ingress controller's address: stores answer at http://<store>.localhost[:port]/. */
  ingress?: { host: string; port: number };
}

/** This machine's address that pods and the API server use (the first non-loopback IPv4). */
export function hostAddress(): string | undefined {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

/** Why this machine cannot run a real node, one line per missing thing; empty when it can. */
export function whyNot(): string[] {
  return problems(readMachineFacts(hostAddress())).map((p) => `${p.what}: ${p.fix}`);
}

/**
 * Builds (or reuses) the node's binaries and images, writes its configuration, starts
 * containerd, the kubelet, kube-proxy, kube-router's firewall and local-path-provisioner, and
 * installs cluster DNS and the local-path StorageClass. Resolves when the node is Ready and DNS
 * answers. Records every process in `state.realNode` as soon as it starts, so `down` can always
 * clean up after a failure.
 */
export async function startRealNode(
  state: ClusterState,
  save: () => Promise<void>,
  log: (line: string) => void,
): Promise<void> {
  const hostIp = hostAddress();
  if (!hostIp) throw new Error('no non-loopback IPv4 address for the real node');
  const binDir = await ensureNodeBinaries();
  const dir = join(state.dataDir, 'node');
  const layout: NodeLayout = {
    dir,
    binDir,
    kubeconfig: join(dir, 'kubelet.kubeconfig'),
    caFile: state.caFile,
    hostIp,
  };
  const p = paths(layout);
  const node: RealNodeState = {
    dir,
    hostIp,
    binDir,
    ipForwardBefore: (await readFile('/proc/sys/net/ipv4/ip_forward', 'utf8')).trim(),
    processes: {},
  };
  state.realNode = node;
  await save();
  await claimNodeLock(state.dataDir, log);

  const images = await ensureImages(['pause', 'busybox', 'coredns', 'postgres', 'medusa'], {
    nodeBinDir: binDir,
    log,
  });

  for (const d of [
    p.containerdRoot,
    p.containerdState,
    p.cniConfDir,
    p.cniIpamDir,
    p.kubeletRoot,
    p.kubeletCertDir,
    p.volumes,
    join(dir, 'logs'),
  ])
    await mkdir(d, { recursive: true, mode: 0o700 });
  const proxyPorts = await freePorts(['metrics', 'healthz'] as const);
  const writeConfig = async (file: string, text: string) => {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, text);
  };
  await writeConfig(p.containerdConfig, containerdConfig(layout));
  await writeConfig(join(p.cniConfDir, '10-storeplane.conflist'), cniConflist(layout));
  await writeConfig(p.kubeletConfig, kubeletConfig(layout));
  await writeConfig(
    p.kubeProxyConfig,
    kubeProxyConfig({ ...layout, kubeconfig: join(dir, 'kube-proxy.kubeconfig') }, proxyPorts),
  );

  // Each node component authenticates as itself: the kubelet as system:node:<name> (the Node
  // authorizer limits it to its own pods), kube-proxy as system:kube-proxy (system:node-proxier).
  const pkiDir = join(state.dataDir, 'pki');
  const kubeletCert = await issueClientCert(pkiDir, 'node-kubelet', {
    cn: `system:node:${nodeName}`,
    org: 'system:nodes',
  });
  const proxyCert = await issueClientCert(pkiDir, 'node-kube-proxy', { cn: 'system:kube-proxy' });
  const kubeconfigFor = (cert: { cert: string; key: string }) =>
    renderKubeconfig({
      server: state.server,
      caFile: pkiFiles(pkiDir).caCert,
      cert: { certFile: cert.cert, keyFile: cert.key },
    });
  await writeFile(layout.kubeconfig, kubeconfigFor(kubeletCert), { mode: 0o600 });
  await writeFile(join(dir, 'kube-proxy.kubeconfig'), kubeconfigFor(proxyCert), { mode: 0o600 });

  const launch: Launch = async (name, binary, args, env, cwd) => {
    const logFile = join(dir, 'logs', `${name}.log`);
    const pid = startDetached({
      binary,
      args,
      log: logFile,
      ...(env ? { env } : {}),
      ...(cwd ? { cwd } : {}),
    });
    node.processes[name] = { pid, binary, log: logFile };
    await save();
    log(`started ${name} (pid ${pid})`);
  };
  const alive = async () => {
    for (const [name, proc] of Object.entries(node.processes))
      if (!(await isOurs(proc.pid, proc.binary)))
        return `${name}; last lines of its log:\n${await tail(proc.log, 20)}`;
    return undefined;
  };

  await launch('containerd', await which('containerd'), ['--config', p.containerdConfig]);
  await waitUntil('containerd socket', async () => (existsSync(p.containerdSocket) ? true : undefined), {
    timeoutMs: 30_000,
    alive,
  });
  const ctr = (...args: string[]) =>
    run('ctr', ['--address', p.containerdSocket, '--namespace', 'k8s.io', ...args], { maxBuffer: 16 << 20 });
  await waitUntil('containerd to answer', async () => ((await ctr('version')) && true) || undefined, {
    timeoutMs: 30_000,
    alive,
  });
  for (const image of images) {
    const t0 = performance.now();
    await ctr('images', 'import', image.archive);
    log(`imported ${image.ref} in ${((performance.now() - t0) / 1000).toFixed(1)}s`);
  }

  await launch('kubelet', join(binDir, 'kubelet'), kubeletArgs(layout));
  const kc = kubeConfigFrom(state.kubeconfig);
  const core = coreApi(kc);
  await waitUntil(
    `node ${nodeName} Ready`,
    async () => {
      const n = await core.readNode({ name: nodeName });
      return n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? true : undefined;
    },
    { timeoutMs: 90_000, alive, intervalMs: 500 },
  );
  await launch('kube-proxy', join(binDir, 'kube-proxy'), [`--config=${p.kubeProxyConfig}`, '--v=1']);
  // kube-router's first pass over the filter table races kube-proxy's: kube-proxy then fails its
  // first sync ("Chain 'KUBE-SERVICES' does not exist") and waits 30 s before trying again.
  await waitUntil(
    'kube-proxy to program the Services',
    async () => {
      const metrics = await (await fetch(`http://127.0.0.1:${proxyPorts.metrics}/metrics`)).text();
      return /^kubeproxy_sync_proxy_rules_last_timestamp_seconds\{ip_family="IPv4"\} [1-9]/m.test(metrics)
        ? true
        : undefined;
    },
    { timeoutMs: 60_000, alive, intervalMs: 250 },
  );
  await launch(
    'kube-router',
    join(binDir, 'kube-router'),
    kubeRouterArgs({ ...layout, kubeconfig: state.kubeconfig }),
  );

  const addonImages = { coredns: imageRefs.coredns, busybox: imageRefs.busybox };
  const lp = localPathObjects(addonImages, p.volumes);
  const lpConfig = (lp.find((o) => o.kind === 'ConfigMap') as { data: Record<string, string> }).data;
  const lpConfigFile = join(dir, 'local-path-config.json');
  const lpHelperFile = join(dir, 'local-path-helper');
  await mkdir(lpHelperFile, { recursive: true });
  await writeFile(lpConfigFile, lpConfig['config.json'] ?? '');
  await writeFile(join(lpHelperFile, 'helperPod.yaml'), lpConfig['helperPod.yaml'] ?? '');
  await createAll(kc, [...corednsObjects(addonImages), ...lp]);
  await launch(
    'local-path-provisioner',
    join(binDir, 'local-path-provisioner'),
    localPathArgs(state.kubeconfig, lpConfigFile, join(lpHelperFile, 'helperPod.yaml')),
  );
  await startIngress(state, node, layout, launch, alive);
  await save();
  await waitUntil(
    'cluster DNS (CoreDNS Ready)',
    async () => {
      const pods = await core.listNamespacedPod({
        namespace: 'kube-system',
        labelSelector: 'k8s-app=kube-dns',
      });
      return pods.items.some((pod) =>
        pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      )
        ? true
        : undefined;
    },
    { timeoutMs: 120_000, alive, intervalMs: 500 },
  );
}

type Launch = (
  name: string,
  binary: string,
  args: string[],
  env?: Record<string, string>,
  cwd?: string,
) => Promise<void>;

/**
 * The dev Ingress controller (ingress/main.ts, run by this Node with tsx) on 127.0.0.1:80 when
 * that port is free (store URLs without a port), else on a free port. It authenticates as its
 * own user, bound to read Ingresses and Services only.
 */
async function startIngress(
  state: ClusterState,
  node: RealNodeState,
  layout: NodeLayout,
  launch: Launch,
  alive: () => Promise<string | undefined>,
): Promise<void> {
  const pkiDir = join(state.dataDir, 'pki');
  const cert = await issueClientCert(pkiDir, 'dev-ingress', { cn: ingressUser });
  const kubeconfig = join(layout.dir, 'ingress.kubeconfig');
  await writeFile(
    kubeconfig,
    renderKubeconfig({
      server: state.server,
      caFile: pkiFiles(pkiDir).caCert,
      cert: { certFile: cert.cert, keyFile: cert.key },
    }),
    { mode: 0o600 },
  );
  await createAll(kubeConfigFrom(state.kubeconfig), ingressObjects());
  const host = '127.0.0.1';
  const port = (await portFree(host, 80)) ? 80 : (await freePorts(['web'] as const)).web;
  // Run with tsx from the repository (where `--import tsx` resolves), as bin/storeplane runs.
  const repo = join(import.meta.dirname, '..', '..', '..');
  const main = join(import.meta.dirname, 'ingress', 'main.ts');
  await launch(
    'ingress',
    process.execPath,
    ['--import', 'tsx', main],
    { KUBECONFIG: kubeconfig, INGRESS_LISTEN: `${host}:${port}` },
    repo,
  );
  await waitUntil(
    'the dev Ingress controller',
    async () =>
      (await probe(`http://${host}:${port}/`, undefined, { host: healthHost })) === 200 ? true : undefined,
    { timeoutMs: 30_000, alive },
  );
  node.ingress = { host, port };
}

async function which(binary: string): Promise<string> {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/bin', '/sbin', '/bin'])) {
    const full = join(dir, binary);
    if (dir && existsSync(full)) return full;
  }
  throw new Error(`${binary} is not installed (Debian: apt-get install ${binary})`);
}

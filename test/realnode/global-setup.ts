import { existsSync } from 'node:fs';
import { appendFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { down, up } from '../../src/devcluster/cluster.ts';
import { whyNot } from '../../src/devcluster/realnode/node.ts';

export interface RealNodeInfo {
  /** Why this machine cannot run a real node; the suite is skipped with this reason. */
  skip?: string;
  kubeconfig: string;
  binDir: string;
  dataDir: string;
  hostIp: string;
  nodeDir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    realNode: RealNodeInfo;
  }
}

/**
 * One local cluster with a real node for the whole suite: builds (or reuses) the node's binaries
 * and images, starts it, and stops it afterwards, checking that `down` left nothing behind.
 * STOREPLANE_REALNODE_CLUSTER=<dir> reuses (or starts) a cluster there and leaves it running.
 */
export default async function setup(project: TestProject) {
  const why = whyNot();
  if (why.length) {
    const skip = `this machine cannot run a real node: ${why.join('; ')}`;
    process.stderr.write(`[real node] SKIPPED: ${skip}\n`);
    project.provide('realNode', { skip, kubeconfig: '', binDir: '', dataDir: '', hostIp: '', nodeDir: '' });
    return;
  }
  const keep = process.env.STOREPLANE_REALNODE_CLUSTER;
  const dataDir = keep || join(await mkdtemp(join(tmpdir(), 'storeplane-realnode-')), 'cluster');
  const t0 = performance.now();
  const result = await up({
    dataDir,
    realNode: true,
    log: (line) => process.stderr.write(`[real node] ${line}\n`),
  });
  const node = result.state.realNode;
  if (!node) throw new Error(`the cluster in ${dataDir} has no real node (started without --real-node?)`);
  process.stderr.write(
    `[real node] ${result.alreadyRunning ? 'reusing' : `up in ${((performance.now() - t0) / 1000).toFixed(1)}s at`} ${result.state.server} (${dataDir})\n`,
  );
  project.provide('realNode', {
    kubeconfig: result.state.kubeconfig,
    binDir: result.state.binDir,
    dataDir,
    hostIp: node.hostIp,
    nodeDir: node.dir,
  });
  return async () => {
    if (keep) return;
    const { stopped, leftovers } = await down(dataDir);
    process.stderr.write(`[real node] stopped ${stopped.join(', ')}\n`);
    // Counted in the run's total (scripts/summarize.ts reads checks.jsonl), and fails the run.
    const ok = leftovers.length === 0;
    const checks = join(import.meta.dirname, '..', '..', 'test-results', 'checks.jsonl');
    if (existsSync(dirname(checks)))
      await appendFile(checks, `${JSON.stringify({ name: 'real node: down leaves nothing behind', ok })}\n`);
    if (!ok) throw new Error(`the real node left behind: ${leftovers.join('; ')}`);
  };
}

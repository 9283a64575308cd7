import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { down, up } from '../../src/devcluster/cluster.ts';

export interface TestClusterInfo {
  kubeconfig: string;
  binDir: string;
  dataDir: string;
  server: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    cluster: TestClusterInfo;
  }
}

/**
 * Starts one local control plane for the whole integration run and stops it afterwards.
 * STOREPLANE_TEST_CLUSTER=<dir> reuses (or starts) a cluster there and leaves it running,
 * which makes re-running a suite during development take seconds.
 */
export default async function setup(project: TestProject) {
  const keep = process.env.STOREPLANE_TEST_CLUSTER;
  const dataDir = keep || (await mkdtemp(join(tmpdir(), 'storeplane-test-cluster-')));
  const result = await up({ dataDir, log: (line) => process.stderr.write(`[test cluster] ${line}\n`) });
  process.stderr.write(
    `[test cluster] ${result.alreadyRunning ? 'reusing' : `up in ${result.seconds.toFixed(1)}s at`} ${result.state.server} (${dataDir})\n`,
  );
  project.provide('cluster', {
    kubeconfig: result.state.kubeconfig,
    binDir: result.state.binDir,
    dataDir,
    server: result.state.server,
  });
  return async () => {
    if (!keep) await down(dataDir);
  };
}

import { readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ComponentName, Ports } from './components.ts';
import type { NodeShape } from './nodes.ts';
import type { RealNodeState } from './realnode/node.ts';

export interface ProcessRecord {
  pid: number;
  binary: string;
  log: string;
}

/** What `up` records so that `status` and `down` can find the running cluster again. */
export interface ClusterState {
  dataDir: string;
  binDir: string;
  kubeconfig: string;
  server: string;
  caFile: string;
  ports: Ports;
  nodes: NodeShape;
  processes: Partial<Record<ComponentName, ProcessRecord>>;
  startedAt: string;
  /** Present when the cluster has a real node (`up --real-node`). */
  realNode?: RealNodeState;
}

export function defaultDataDir(): string {
  const stateHome = process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(stateHome, 'storeplane', 'dev-cluster');
}

export const stateFile = (dataDir: string) => join(dataDir, 'cluster.json');

export async function readState(dataDir: string): Promise<ClusterState | undefined> {
  try {
    return JSON.parse(await readFile(stateFile(dataDir), 'utf8')) as ClusterState;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export async function writeState(state: ClusterState): Promise<void> {
  const file = stateFile(state.dataDir);
  await writeFile(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}

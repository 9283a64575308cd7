import { readFile, rm, writeFile } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { readState } from '../state.ts';

/**
 * One real node per machine: it owns host-wide things (port 10250, the pod bridge, iptables
 * chains, /run/netns). The lock file names the cluster directory that holds it; a lock whose
 * cluster no longer records a real node is stale and taken over.
 */
export const lockFile = '/run/storeplane/real-node.lock';

export async function acquireNodeLock(dataDir: string): Promise<void> {
  const holder = await lockHolder();
  if (holder && holder !== dataDir) {
    const other = await readState(holder).catch(() => undefined);
    if (other?.realNode)
      throw new Error(
        `a real node already runs on this machine, for the cluster in ${holder}; stop it first (storeplane dev cluster down --dir ${holder})`,
      );
  }
  await mkdir('/run/storeplane', { recursive: true, mode: 0o700 });
  await writeFile(lockFile, dataDir);
}

export async function lockHolder(): Promise<string | undefined> {
  try {
    return (await readFile(lockFile, 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}

export async function releaseNodeLock(dataDir: string): Promise<void> {
  if ((await lockHolder()) === dataDir) await rm(lockFile, { force: true });
}

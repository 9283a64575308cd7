import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';

/**
 * One real node per machine: it owns host-wide things (port 10250, the pod bridge, iptables
 * chains, /run/netns). The lock file names the cluster directory that holds it.
 */
export const lockFile = '/run/storeplane/real-node.lock';

/** What is known about the lock's holder when another cluster wants the node. */
export interface HolderFacts {
  holder: string | undefined;
  /** The holder's cluster state still records a real node. */
  recordsNode: boolean;
  /** How many of the processes it records are still alive. */
  alive: number;
}

export type LockDecision =
  | { action: 'take' }
  /** The holder died without `down` (killed run, reboot of a container): clean up after it, then take. */
  | { action: 'reclaim'; holder: string }
  | { action: 'refuse'; message: string };

export function lockDecision(dataDir: string, facts: HolderFacts): LockDecision {
  const { holder } = facts;
  if (!holder || holder === dataDir || !facts.recordsNode) return { action: 'take' };
  if (facts.alive === 0) return { action: 'reclaim', holder };
  return {
    action: 'refuse',
    message: `a real node already runs on this machine, for the cluster in ${holder}; stop it first (storeplane dev cluster down --dir ${holder})`,
  };
}

export async function writeNodeLock(dataDir: string): Promise<void> {
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

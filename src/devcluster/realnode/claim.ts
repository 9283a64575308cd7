import { isOurs } from '../processes.ts';
import { readState } from '../state.ts';
import { lockDecision, lockHolder, writeNodeLock } from './lock.ts';
import { stopRealNode } from './teardown.ts';

/**
 * Takes the machine's real-node lock for the cluster in `dataDir`. A holder whose recorded
 * processes are all dead (its run was killed before `down`) is cleaned up first, so its bridge,
 * iptables chains and mounts do not break the new node; a live holder is refused.
 */
export async function claimNodeLock(dataDir: string, log: (line: string) => void): Promise<void> {
  const holder = await lockHolder();
  const other = holder && holder !== dataDir ? await readState(holder).catch(() => undefined) : undefined;
  let alive = 0;
  for (const proc of Object.values(other?.realNode?.processes ?? {}))
    if (await isOurs(proc.pid, proc.binary)) alive++;
  const decision = lockDecision(dataDir, { holder, recordsNode: Boolean(other?.realNode), alive });
  if (decision.action === 'refuse') throw new Error(decision.message);
  if (decision.action === 'reclaim' && other?.realNode) {
    log(`the real node of ${decision.holder} died without 'down'; cleaning up after it`);
    await stopRealNode(decision.holder, other.realNode);
  }
  await writeNodeLock(dataDir);
}

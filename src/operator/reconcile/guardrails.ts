import { events, reasons } from '../../store/keys.ts';
import { allSettled } from '../all-settled.ts';
import { done, type StageOutcome } from '../decide/outcome.ts';
import type { StoreContext } from './context.ts';
import { guardrailManifests } from './manifests.ts';
import { syncOwned } from './owned.ts';

/**
 * Quota, limit range, network policies and the workload ServiceAccount, by plan. Each is brought
 * to its desired state (syncOwned); one that was deleted or changed outside Storeplane, or
 * widened by a tool such as `kubectl edit`, is restored and reported.
 */
export async function guardrailsStage(ctx: StoreContext): Promise<StageOutcome> {
  const { config } = ctx.deps;
  const desired = guardrailManifests(ctx.store, {
    plan: config.plans[ctx.store.spec.plan],
    ingressNamespaces: config.ingressNamespaces,
  });
  const wasApplied = ctx.status.conditions?.some((c) => c.type === 'GuardrailsReady' && c.status === 'True');
  const repaired: string[] = [];
  const updated: string[] = [];
  // Independent objects, so all at once: one round trip's wait per pass instead of one per object
  // (two each for a new store, whose dozen objects were the longest run of waits before Helm).
  const results = await allSettled(desired, (obj) => syncOwned(ctx, obj));
  for (const [i, r] of results.entries()) {
    const obj = desired[i]!;
    if (r.drift) repaired.push(r.drift.detail);
    else if (r.created && wasApplied) repaired.push(`${obj.kind} ${obj.metadata?.name} was deleted`);
    else if (r.updated) updated.push(`${obj.kind} ${obj.metadata?.name}`);
  }
  if (repaired.length)
    ctx.event('Warning', events.driftRepaired, `guardrails restored: ${repaired.join('; ')}`);
  // An attempt (a spec change) already says what changes; outside one, the platform's settings did.
  if (updated.length && !ctx.status.attempt)
    ctx.event(
      'Normal',
      events.guardrailsUpdated,
      `guardrails updated to the platform's settings: ${updated.join(', ')}`,
    );
  ctx.condition({
    type: 'GuardrailsReady',
    status: 'True',
    reason: reasons.applied,
    message: `plan ${ctx.store.spec.plan}: quota, limit range, ${desired.filter((o) => o.kind === 'NetworkPolicy').length} network policies, service account`,
  });
  return done;
}

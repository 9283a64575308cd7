import type { KubernetesObject } from '@kubernetes/client-node';
import { apply, readOptional } from '../../kube/clients.ts';
import { isSubset } from '../../kube/compare.ts';
import { type StageOutcome, type StoreContext, done } from './context.ts';
import { guardrailManifests } from './manifests.ts';

/** The live fields a guardrail must match (everything we set except metadata we do not own). */
function ownedPart(obj: KubernetesObject): unknown {
  const { metadata, apiVersion: _a, kind: _k, ...rest } = obj as KubernetesObject & Record<string, unknown>;
  return { labels: metadata?.labels, ...rest };
}

/**
 * Quota, limit range, network policies and the workload ServiceAccount, by plan. Each object is
 * compared with what is there and applied (server-side, field manager `storeplane`) only when it
 * differs, so an unchanged store causes no writes.
 */
export async function guardrailsStage(ctx: StoreContext): Promise<StageOutcome> {
  const { config, clients } = ctx.deps;
  const desired = guardrailManifests(ctx.store, {
    plan: config.plans[ctx.store.spec.plan],
    ingressNamespaces: config.ingressNamespaces,
    operatorBinding: config.operatorBinding,
  });
  const repaired: string[] = [];
  for (const obj of desired) {
    const live = await readOptional(() =>
      clients.objects.read(obj as KubernetesObject & { metadata: { name: string; namespace: string } }),
    );
    if (!live || !isSubset(ownedPart(obj), ownedPart(live))) {
      await apply(clients, obj);
      if (live || ctx.status.conditions?.some((c) => c.type === 'GuardrailsReady' && c.status === 'True')) {
        repaired.push(`${obj.kind} ${obj.metadata?.name}`);
      }
    }
  }
  if (repaired.length) {
    ctx.condition({
      type: 'Drifted',
      status: 'True',
      reason: 'DriftRepaired',
      message: `restored ${repaired.join(', ')}`,
    });
    ctx.event(
      'Warning',
      'DriftRepaired',
      `guardrails changed or deleted outside Storeplane were restored: ${repaired.join(', ')}`,
    );
  }
  ctx.condition({
    type: 'GuardrailsReady',
    status: 'True',
    reason: 'Applied',
    message: `plan ${ctx.store.spec.plan}: quota, limit range, ${desired.filter((o) => o.kind === 'NetworkPolicy').length} network policies, service account`,
  });
  return done;
}

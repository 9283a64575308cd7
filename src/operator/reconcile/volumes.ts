import type { V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { readOptional } from '../../kube/clients.ts';
import { compareQuantities } from '../../kube/quantity.ts';
import { events, fieldManager, reasons } from '../../store/keys.ts';
import { type DataVolume, fill, valueAt } from '../charts.ts';
import { done, type StageOutcome } from '../decide/outcome.ts';
import type { StoreContext } from './context.ts';
import { effectiveValues } from './values.ts';

const requested = (pvc: V1PersistentVolumeClaim) => pvc.spec?.resources?.requests?.storage;

/** The size the store's plan (or the environment's values) asks for. */
function targetSize(ctx: StoreContext, v: DataVolume): string | undefined {
  const values = effectiveValues(ctx);
  const explicit = valueAt(values, v.sizeValue);
  if (typeof explicit === 'string' && explicit) return explicit;
  const planSize = valueAt(
    values,
    fill(v.planSizeValue, { release: ctx.release, plan: ctx.store.spec.plan }),
  );
  return typeof planSize === 'string' || typeof planSize === 'number' ? String(planSize) : undefined;
}

async function expandable(ctx: StoreContext, pvc: V1PersistentVolumeClaim): Promise<boolean> {
  const name = pvc.spec?.storageClassName;
  if (!name) return false;
  const sc = await readOptional(() => ctx.deps.clients.storage.readStorageClass({ name }));
  return sc?.allowVolumeExpansion === true;
}

/**
 * Before anything changes: the store's data volumes. A volume the store had (status.volumes) that
 * is gone stops the store (a new empty database must never be seeded over a lost one); a plan that would
 * shrink a volume is refused up front, before the quota changes. Sizes are pinned in the values,
 * so the chart never edits a StatefulSet's claim templates (immutable) and never shrinks a claim;
 * growth happens after the release (volumesExpandStage).
 */
export async function volumesStage(ctx: StoreContext): Promise<StageOutcome> {
  const { core, apps } = ctx.deps.clients;
  const vols = ctx.chart.dataVolumes;
  if (!vols.length) return done;
  const claims = (await core.listNamespacedPersistentVolumeClaim({ namespace: ctx.namespace })).items;
  const vars = { release: ctx.release, plan: ctx.store.spec.plan };
  // A data volume the store had (recorded when seen) that is gone or going: its data is lost.
  for (const had of ctx.status.volumes ?? []) {
    const live = claims.find((c) => c.metadata?.name === had.claim);
    if (live && !live.metadata?.deletionTimestamp) continue;
    return {
      kind: 'failed',
      stall: true,
      diagnosis: {
        reason: reasons.dataVolumeLost,
        message: `the store's ${had.what} volume (PersistentVolumeClaim ${had.claim}) is ${live ? 'being deleted' : 'gone'}; Storeplane will not set up an empty store in its place`,
        fix: `Restore the data into a PersistentVolumeClaim named ${had.claim} in namespace ${ctx.namespace} (from a backup or snapshot), then retry; or delete the store.`,
      },
    };
  }
  const seen: NonNullable<typeof ctx.status.volumes> = [];
  for (const v of vols) {
    const claimName = fill(v.claim, vars);
    const live = claims.find((c) => c.metadata?.name === claimName);
    const target = targetSize(ctx, v);
    const current = live && requested(live);
    if (current && target && compareQuantities(target, current) < 0) {
      return {
        kind: 'failed',
        stall: true,
        diagnosis: {
          reason: reasons.volumeShrinkRefused,
          message: `plan ${ctx.store.spec.plan} would shrink the ${v.what} volume ${claimName} from ${current} to ${target}; volumes never shrink, so nothing was changed`,
          fix: `Set spec.plan back to a plan with at least ${current} of ${v.what} storage, or create a new store on the smaller plan and move the data.`,
        },
      };
    }
    let pinned = target ?? current;
    if (v.statefulSet && v.template) {
      // A claim template cannot change: keep the size the StatefulSet was made with.
      const sts = await readOptional(() =>
        apps.readNamespacedStatefulSet({ name: fill(v.statefulSet ?? '', vars), namespace: ctx.namespace }),
      );
      const made = sts?.spec?.volumeClaimTemplates?.find((t) => t.metadata?.name === v.template);
      pinned = made?.spec?.resources?.requests?.storage ?? pinned;
      if (live && current && target && compareQuantities(target, current) > 0)
        ctx.expansions.push({ claim: claimName, what: v.what, from: current, to: target });
    } else if (live && current && target && compareQuantities(target, current) > 0) {
      // A claim of the chart: grown by the release itself where the class allows, else kept.
      if (await expandable(ctx, live)) pinned = target;
      else {
        pinned = current;
        notExpanded(ctx, claimName, v.what, current, target, live.spec?.storageClassName);
      }
    }
    if (pinned) ctx.pinnedValues.set(v.sizeValue, pinned);
    if (live && current) seen.push({ what: v.what, claim: claimName, size: current });
  }
  // Remember every data volume seen, and keep those the chart no longer declares.
  const kept = (ctx.status.volumes ?? []).filter((h) => !seen.some((x) => x.claim === h.claim));
  if (seen.length || kept.length) ctx.status.volumes = [...seen, ...kept].slice(0, 8);
  return done;
}

function notExpanded(ctx: StoreContext, claim: string, what: string, from: string, to: string, sc?: string) {
  // Once per attempt: the plan changed, the class cannot grow volumes.
  const since = ctx.status.attempt?.startedAt;
  if (!since) return;
  const said = ctx.status.activity?.some(
    (a) => a.reason === events.volumeNotExpanded && a.time >= since && a.message.includes(claim),
  );
  if (!said)
    ctx.event(
      'Warning',
      events.volumeNotExpanded,
      `the ${what} volume ${claim} stays at ${from} (plan asks for ${to}): StorageClass ${sc ?? '(none)'} does not allow volume expansion`,
    );
}

/** After the release: grow the claims a StatefulSet made, by patching them, where the class allows. */
export async function volumesExpandStage(ctx: StoreContext): Promise<StageOutcome> {
  const { core, raw } = ctx.deps.clients;
  for (const e of ctx.expansions) {
    const pvc = await readOptional(() =>
      core.readNamespacedPersistentVolumeClaim({ name: e.claim, namespace: ctx.namespace }),
    );
    if (!pvc) continue;
    if (!(await expandable(ctx, pvc))) {
      notExpanded(ctx, e.claim, e.what, e.from, e.to, pvc.spec?.storageClassName);
      continue;
    }
    await raw.mergePatch(
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: e.claim, namespace: ctx.namespace },
      },
      { spec: { resources: { requests: { storage: e.to } } } },
      fieldManager,
    );
    ctx.event(
      'Normal',
      events.volumeExpanded,
      `the ${e.what} volume ${e.claim} grows from ${e.from} to ${e.to}`,
    );
  }
  return done;
}

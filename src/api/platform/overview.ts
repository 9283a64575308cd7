import Type, { type Static } from 'typebox';
import { engines, phases, type Store } from '../../store/schema.ts';
import { cachedSummary } from '../stores/view.ts';

/**
 * The fleet at a glance for admins: stores by phase and engine, the global cap in use, the
 * failures of the last 24 hours and provisioning times. Pure, over the Store cache: it counts
 * the stores that exist now (a deleted store's failures and times leave with it).
 */
export const Overview = Type.Object(
  {
    stores: Type.Integer({ minimum: 0 }),
    byPhase: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
    byEngine: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
    cap: Type.Object({ used: Type.Integer(), limit: Type.Integer() }),
    failuresLast24h: Type.Object({
      stores: Type.Integer({ description: 'Stores whose last failure happened in the last 24 hours.' }),
      byReason: Type.Record(Type.String(), Type.Integer()),
    }),
    provisioning: Type.Object({
      count: Type.Integer({ description: 'Stores that reached Ready at least once.' }),
      p50Seconds: Type.Optional(Type.Number()),
      p95Seconds: Type.Optional(Type.Number()),
    }),
    needsAttention: Type.Array(
      Type.Object({
        name: Type.String(),
        owner: Type.String(),
        phase: Type.String(),
        reason: Type.Optional(Type.String()),
        fix: Type.Optional(Type.String()),
      }),
      { description: 'Failed, Degraded or Stalled stores, newest failure first.' },
    ),
  },
  { additionalProperties: false },
);
export type Overview = Static<typeof Overview>;

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (!sorted.length) return undefined;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function platformOverview(stores: readonly Store[], cap: number, now = new Date()): Overview {
  const byPhase: Record<string, number> = Object.fromEntries(phases.map((p) => [p, 0]));
  const byEngine: Record<string, number> = Object.fromEntries(engines.map((e) => [e, 0]));
  const byReason: Record<string, number> = {};
  const times: number[] = [];
  const attention: (Overview['needsAttention'][number] & { at: number })[] = [];
  let failedRecently = 0;
  const dayAgo = now.getTime() - 24 * 3600_000;
  for (const store of stores) {
    const s = cachedSummary(store);
    byPhase[s.phase] = (byPhase[s.phase] ?? 0) + 1;
    byEngine[s.engine] = (byEngine[s.engine] ?? 0) + 1;
    if (s.provisioningSeconds !== undefined) times.push(s.provisioningSeconds);
    const failedAt = s.lastFailure ? Date.parse(s.lastFailure.since) : Number.NaN;
    if (s.lastFailure && failedAt >= dayAgo) {
      failedRecently++;
      byReason[s.lastFailure.reason] = (byReason[s.lastFailure.reason] ?? 0) + 1;
    }
    if (s.phase === 'Failed' || s.phase === 'Degraded' || s.stalled)
      attention.push({
        name: s.name,
        owner: s.owner,
        phase: s.stalled ? 'Stalled' : s.phase,
        ...(s.lastFailure ? { reason: s.lastFailure.reason, fix: s.lastFailure.fix } : {}),
        at: Number.isNaN(failedAt) ? 0 : failedAt,
      });
  }
  times.sort((a, b) => a - b);
  const p50 = percentile(times, 50);
  const p95 = percentile(times, 95);
  return {
    stores: stores.length,
    byPhase,
    byEngine,
    cap: { used: stores.length, limit: cap },
    failuresLast24h: { stores: failedRecently, byReason },
    provisioning: {
      count: times.length,
      ...(p50 !== undefined ? { p50Seconds: p50 } : {}),
      ...(p95 !== undefined ? { p95Seconds: p95 } : {}),
    },
    needsAttention: attention.sort((a, b) => b.at - a.at).map(({ at: _at, ...rest }) => rest),
  };
}

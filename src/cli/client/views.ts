import type {
  AuditEntry,
  StoreDetail,
  StoreEvent,
  StoreSummary,
  TokenView,
  UserView,
} from '../../api/client/client.ts';
import { ageOf, printable, seconds } from './format.ts';
import type { View } from './output.ts';

/** "Provisioning (release)", "Failed (stalled)": the phase with what a person wants next to it. */
export function phaseText(s: Pick<StoreSummary, 'phase' | 'stage' | 'stalled'>): string {
  if (s.stalled) return `${s.phase} (stalled)`;
  if (s.stage && (s.phase === 'Pending' || s.phase === 'Provisioning')) return `${s.phase} (${s.stage})`;
  return s.phase;
}

export const storeView: View<StoreSummary> = {
  headers: ['NAME', 'DISPLAY NAME', 'ENGINE', 'PLAN', 'PHASE', 'OWNER', 'URL', 'AGE'],
  row: (s, now) => [
    s.name,
    s.displayName,
    s.engine,
    s.plan,
    phaseText(s),
    s.owner,
    s.url ?? '-',
    ageOf(s.createdAt, now),
  ],
  name: (s) => s.name,
};

const mark = { done: '✓', running: '…', failed: '✗', waiting: '·' } as const;

/** Where the platform runs (`GET /api/v1/platform`), as far as the links are concerned. */
export interface ClusterInfo {
  kind: 'simulated' | 'kubernetes';
  realNode: boolean;
}

/**
 * On the simulated cluster a store is Ready without anything serving its links (its pods do not
 * run), except a MedusaJS store on the real node: said in words under the links, as the dashboard
 * does. Undefined where the links work.
 */
export function unservedNote(cluster: ClusterInfo | undefined, engine: string): string | undefined {
  if (cluster?.kind !== 'simulated' || (cluster.realNode && engine === 'medusa')) return undefined;
  return cluster.realNode
    ? 'These links answer on a real cluster. On the local simulated cluster only MedusaJS stores run (on its real node); this one does not.'
    : 'These links answer on a real cluster. On the local simulated cluster this store’s pods do not run.';
}

/** `stores get NAME`: the store as a person reads it (kubectl describe's layout). */
export function describeStore(s: StoreDetail, now = Date.now(), cluster?: ClusterInfo): string {
  const rows: [string, string][] = [
    ['Name', s.name],
    ['Display name', s.displayName],
    ['Engine', s.engine],
    ['Plan', s.plan],
    ['Owner', s.owner],
    ['Phase', phaseText(s)],
    ...(s.message ? ([['Message', s.message]] as [string, string][]) : []),
    ['URL', s.url ?? '-'],
    ['Admin URL', s.adminUrl ?? '-'],
    ...(s.url && unservedNote(cluster, s.engine)
      ? ([['', unservedNote(cluster, s.engine)!]] as [string, string][])
      : []),
    ['Namespace', s.namespace],
    ['Created', `${s.createdAt} (${ageOf(s.createdAt, now)} ago)`],
    ...(s.provisioningSeconds !== undefined
      ? ([['Ready after', seconds(s.provisioningSeconds)]] as [string, string][])
      : []),
  ];
  const out = rows.map(([k, v]) => `${(k ? `${k}:` : '').padEnd(14)}${printable(v)}`);
  out.push('Pipeline:');
  for (const p of s.pipeline) {
    const detail = p.state === 'failed' && p.message ? `  ${printable(p.message)}` : '';
    out.push(
      `  ${mark[p.state]} ${p.stage.padEnd(12)}${(p.state === 'done' ? seconds(p.seconds) : p.state).padEnd(9)}${detail}`.trimEnd(),
    );
  }
  if (s.lastFailure) {
    out.push(`Last failure:  ${printable(s.lastFailure.reason)} (${ageOf(s.lastFailure.since, now)} ago)`);
    out.push(`  ${printable(s.lastFailure.message)}`);
    out.push(`  Fix: ${printable(s.lastFailure.fix)}`);
    if (s.stalled) out.push(`  Then: storeplane stores retry ${s.name}`);
  }
  if (s.activity.length) {
    out.push('Recent activity:');
    for (const a of s.activity.slice(0, 5))
      out.push(
        `  ${ageOf(a.time, now).padStart(6)}  ${a.type.padEnd(8)}${printable(a.reason)}: ${printable(a.message)}`,
      );
  }
  return `${out.join('\n')}\n`;
}

export const eventView: View<StoreEvent> = {
  headers: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'COUNT', 'MESSAGE'],
  row: (e, now) => [ageOf(e.time, now), e.type, e.reason, e.object, String(e.count), e.message],
  name: (e) => `${e.object}/${e.reason}`,
};

export const tokenView: View<TokenView> = {
  headers: ['ID', 'NAME', 'SCOPES', 'EXPIRES', 'LAST USED', 'AGE'],
  row: (t, now) => [
    t.id,
    t.name,
    t.scopes.join(','),
    t.expiresAt ? t.expiresAt.slice(0, 10) : 'never',
    t.lastUsedAt ? `${ageOf(t.lastUsedAt, now)} ago` : 'never',
    ageOf(t.createdAt, now),
  ],
  name: (t) => t.id,
};

export const userView: View<UserView> = {
  headers: ['USERNAME', 'ROLE', 'DISABLED', 'STORE LIMIT', 'AGE'],
  row: (u, now) => [
    u.username,
    u.role,
    u.disabled ? 'yes' : 'no',
    u.storeLimit === null ? 'default' : String(u.storeLimit),
    ageOf(u.createdAt, now),
  ],
  name: (u) => u.username,
};

export const auditView: View<AuditEntry> = {
  headers: ['ID', 'AGE', 'ACTOR', 'ACTION', 'TARGET', 'OUTCOME', 'STATUS'],
  row: (a, now) => [
    String(a.id),
    ageOf(a.time, now),
    a.actor ?? '-',
    a.action,
    a.target ?? '-',
    a.outcome,
    String(a.status),
  ],
  name: (a) => String(a.id),
};

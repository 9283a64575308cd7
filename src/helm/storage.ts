import { gunzipSync, gzipSync } from 'node:zlib';
import type { RawKube, RawObject } from '../kube/raw.ts';
import { labels } from '../store/keys.ts';

/**
 * Helm's release records, read where Helm keeps them (the default `secret` driver: one Secret
 * `sh.helm.release.v1.<release>.v<revision>` per revision, labelled owner=helm, name, status,
 * version, plus the release's own labels). Classifying a release from their labels takes one
 * metadata-only list instead of starting `helm history` (and never transfers the records' data);
 * the manifest of one revision is decoded only when drift is checked. The format (base64 of the
 * gzipped release JSON) is Helm's `pkg/storage/driver/util.go`, the same in Helm 3 and 4.
 */

export interface StoredRevision {
  revision: number;
  /** deployed, superseded, failed, pending-install, pending-upgrade, pending-rollback, uninstalling, uninstalled */
  status: string;
  /** The config digest (`sha256:…`) Storeplane made the revision for (a release label), if any. */
  configDigest?: string;
  createdAt?: number;
  modifiedAt?: number;
  secretName: string;
}

export interface StoredRelease {
  name: string;
  version: number;
  manifest: string;
  info: { status: string; description?: string; [key: string]: unknown };
  chart?: { metadata?: { name?: string; version?: string } };
  [key: string]: unknown;
}

export const recordName = (release: string, revision: number) => `sh.helm.release.v1.${release}.v${revision}`;

/** Every stored revision of a release, newest first (empty when it was never installed). */
export async function listRevisions(
  raw: RawKube,
  namespace: string,
  release: string,
): Promise<StoredRevision[]> {
  const list = await raw.listMetadata(`/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`, {
    labelSelector: `owner=helm,name=${release}`,
  });
  // A metadata list with nothing in it carries `items: null`.
  return (list.items ?? [])
    .map((s) => revisionOf(s))
    .filter((r): r is StoredRevision => r !== undefined)
    .sort((a, b) => b.revision - a.revision);
}

function revisionOf(s: RawObject): StoredRevision | undefined {
  const l = s.metadata?.labels ?? {};
  const revision = Number(l.version);
  if (!Number.isInteger(revision) || !l.status || !s.metadata?.name) return undefined;
  const num = (v: string | undefined) => (v && /^\d+$/.test(v) ? Number(v) : undefined);
  return {
    revision,
    status: l.status,
    ...(l[labels.configDigest] ? { configDigest: `sha256:${l[labels.configDigest]}` } : {}),
    ...(num(l.createdAt) ? { createdAt: num(l.createdAt) } : {}),
    ...(num(l.modifiedAt) ? { modifiedAt: num(l.modifiedAt) } : {}),
    secretName: s.metadata.name,
  };
}

export function decodeRelease(data: string): StoredRelease {
  // The Secret's value (base64 once more on the wire, decoded by the API client's JSON) is
  // base64 of the gzipped JSON.
  let bytes = Buffer.from(data, 'base64');
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  return JSON.parse(bytes.toString('utf8')) as StoredRelease;
}

export function encodeRelease(rel: StoredRelease): string {
  return gzipSync(Buffer.from(JSON.stringify(rel)), { level: 9 }).toString('base64');
}

interface SecretJson extends RawObject {
  data?: Record<string, string>;
}

/** One revision's record, decoded (it holds the chart values: never log it). */
export async function readRevision(
  raw: RawKube,
  namespace: string,
  release: string,
  revision: number,
): Promise<{ release: StoredRelease; secret: SecretJson } | undefined> {
  const secret = (await raw.get({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: recordName(release, revision), namespace },
  })) as SecretJson | undefined;
  const data = secret?.data?.release;
  if (!secret || !data) return undefined;
  // The API server's JSON carries Secret data base64-encoded: undo that layer first.
  return { release: decodeRelease(Buffer.from(data, 'base64').toString('utf8')), secret };
}

/**
 * Marks a revision left pending (or uninstalling) by a helm that died as failed, as Flux's
 * unlock does (helm-controller internal/reconcile/unlock.go). Nothing is uninstalled or rolled
 * back: the next pass sees a failed release and upgrades it, keeping the store's data. The
 * replace carries the record's resourceVersion, so a helm that is in fact still writing wins.
 */
export async function markFailed(
  raw: RawKube,
  namespace: string,
  release: string,
  revision: number,
  description: string,
): Promise<boolean> {
  const found = await readRevision(raw, namespace, release, revision);
  if (!found) return false;
  const { release: rel, secret } = found;
  rel.info = { ...rel.info, status: 'failed', description };
  const encoded = Buffer.from(encodeRelease(rel)).toString('base64');
  const path = await raw.path('v1', 'Secret', namespace, secret.metadata?.name);
  await raw.request('PUT', path, {
    body: {
      ...secret,
      metadata: {
        ...secret.metadata,
        managedFields: undefined,
        labels: {
          ...secret.metadata?.labels,
          status: 'failed',
          modifiedAt: String(Math.floor(Date.now() / 1000)),
        },
      },
      data: { ...secret.data, release: encoded },
    },
  });
  return true;
}

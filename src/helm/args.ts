import { labels } from '../store/keys.ts';

export interface UpgradeArgsInput {
  release: string;
  namespace: string;
  chart: string;
  helmMajor: number;
  timeoutSeconds: number;
  /** Stored as release labels, so the release records say which config they were made for. */
  configDigest: string;
  storeUid?: string;
  /** Shown by `helm history`. */
  description: string;
}

/** `helm upgrade --install` arguments (values are added by the runner as a 0600 file). */
export function upgradeArgs(i: UpgradeArgsInput): string[] {
  const releaseLabels = [`${labels.configDigest}=${digestLabel(i.configDigest)}`];
  if (i.storeUid) releaseLabels.push(`${labels.storeUid}=${i.storeUid}`);
  const args = ['upgrade', '--install', i.release, i.chart, '--namespace', i.namespace];
  args.push('--reset-values', '--history-max', '5', '--timeout', `${i.timeoutSeconds}s`, '--output', 'json');
  args.push('--labels', releaseLabels.join(','), '--description', i.description);
  if (i.helmMajor >= 4) {
    // Server-side apply owns the fields; taking conflicts back is how out-of-band edits get repaired.
    args.push('--server-side=true', '--force-conflicts');
    // Helm 4 sends every object with fieldValidation=Strict, so the API server refuses an unknown
    // or duplicate field whatever this says. Its client-side check on top fetched OpenAPI
    // documents in every helm process: 42% of helm's CPU when provisioning real-chart stores.
    args.push('--disable-openapi-validation');
  }
  return args;
}

export function uninstallArgs(release: string, namespace: string, timeoutSeconds: number): string[] {
  return ['uninstall', release, '--namespace', namespace, '--wait', '--timeout', `${timeoutSeconds}s`];
}

/** A label value (at most 63 characters of [A-Za-z0-9._-]) for a config digest. */
export function digestLabel(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 63);
}

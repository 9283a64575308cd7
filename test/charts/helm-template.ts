import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinaries } from '../../src/devcluster/binaries.ts';
import { createHelmRunner, type HelmResult, type HelmRunner } from '../../src/helm/runner.ts';
import { releaseValues } from '../../src/store/engines.ts';
import type { Engine } from '../../src/store/schema.ts';

let runner: Promise<HelmRunner> | undefined;

/**
 * `helm template shop <chart>` with the real helm binary (built once into the local cache by
 * src/devcluster/build.sh) and the values in a 0600 file, as the operator passes them
 * (src/helm/runner.ts): never --set.
 */
export async function helmTemplate(chartDir: string, values: unknown): Promise<HelmResult> {
  runner ??= ensureBinaries().then((binaries) => {
    const home = mkdtempSync(join(tmpdir(), 'storeplane-helm-home-'));
    return createHelmRunner({
      binary: binaries.helm,
      env: { HELM_CACHE_HOME: home, HELM_CONFIG_HOME: home, HELM_DATA_HOME: home },
    });
  });
  return (await runner).run(['template', 'shop', chartDir], { values });
}

/** How long a first call may take: the cached build answers in a second; a cold one takes long. */
export const helmSetupTimeout = 60 * 60_000;

/** The values the platform sends for a store named shop (src/store/engines.ts releaseValues). */
export function platformValues(
  engine: Engine,
  spec: { displayName?: string; owner?: string; name?: string } = {},
): Record<string, unknown> {
  return releaseValues(
    {
      apiVersion: 'storeplane.dev/v1alpha1',
      kind: 'Store',
      metadata: { name: spec.name ?? 'shop' },
      spec: {
        engine,
        displayName: spec.displayName ?? 'Plain Store',
        owner: spec.owner ?? 'alice@example.com',
        plan: 'small',
        version: '',
      },
    },
    { baseDomain: 'stores.example.com', tls: true },
  );
}

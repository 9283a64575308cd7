import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { ensureBinaries } from '../../src/devcluster/binaries.ts';
import { createHelmRunner, type HelmRunner } from '../../src/helm/runner.ts';
import { repoRoot } from './charts.ts';

/** The platform chart (charts/storeplane) and its environments' values files. */
export const platformChart = join(repoRoot, 'charts', 'storeplane');
export const valueSets = {
  default: [] as string[],
  local: ['-f', join(platformChart, 'values-local.yaml')],
  prod: ['-f', join(platformChart, 'values-prod.yaml')],
};
export type ValueSet = keyof typeof valueSets;

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
  [key: string]: unknown;
}

const scratch = mkdtempSync(join(tmpdir(), 'storeplane-platform-chart-'));
let files = 0;

/** A values file (0600) holding `text`, for -f: values never go on the command line. */
export function valuesFile(text: string): string {
  const file = join(scratch, `values-${++files}.yaml`);
  writeFileSync(file, text, { mode: 0o600 });
  return file;
}

let runner: Promise<HelmRunner> | undefined;

/** The real helm binary (the cached build of src/devcluster/build.sh) through the operator's runner. */
export async function helm(
  args: string[],
  kubeconfig?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  runner ??= ensureBinaries().then((b) =>
    createHelmRunner({
      binary: b.helm,
      env: { HELM_CACHE_HOME: scratch, HELM_CONFIG_HOME: scratch, HELM_DATA_HOME: scratch },
    }),
  );
  const r = await (await runner).run(kubeconfig ? [...args, '--kubeconfig', kubeconfig] : args);
  return { code: r.code ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** `helm template storeplane charts/storeplane -n <namespace>` with a set of values, parsed. */
export async function renderPlatform(
  set: ValueSet | string[],
  namespace = 'storeplane-system',
): Promise<K8sObject[]> {
  const extra = Array.isArray(set) ? set : valueSets[set];
  const r = await helm(['template', 'storeplane', platformChart, '--namespace', namespace, ...extra]);
  if (r.code !== 0) throw new Error(`helm template failed: ${r.stderr}`);
  return yaml.loadAll(r.stdout).filter((o): o is K8sObject => !!o && typeof o === 'object');
}

/** The pod spec of a workload or a bare pod. */
export function podSpecOf(o: K8sObject): Record<string, unknown> | undefined {
  if (o.kind === 'Pod') return o.spec;
  const template = (o.spec as { template?: { spec?: Record<string, unknown> } } | undefined)?.template;
  return template?.spec;
}

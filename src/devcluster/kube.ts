import {
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  loadAllYaml,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { readFile } from 'node:fs/promises';

export function kubeConfigFrom(file: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  return kc;
}

/** Creates each object in a YAML file unless it already exists (the harness only ever creates). */
export async function createFromYamlFile(kc: KubeConfig, file: string): Promise<void> {
  const objects = loadAllYaml(await readFile(file, 'utf8')) as KubernetesObject[];
  await createAll(kc, objects.filter(Boolean));
}

export async function createAll(kc: KubeConfig, objects: KubernetesObject[]): Promise<void> {
  const api = KubernetesObjectApi.makeApiClient(kc);
  for (const obj of objects) {
    try {
      await api.create(obj);
    } catch (err) {
      if ((err as { code?: number }).code !== 409) throw err;
    }
  }
}

export function coreApi(kc: KubeConfig): CoreV1Api {
  return kc.makeApiClient(CoreV1Api);
}

import { setTimeout as sleep } from 'node:timers/promises';
import { ApiextensionsV1Api, loadYaml, type V1CustomResourceDefinition } from '@kubernetes/client-node';
import { apply, type KubeClients } from '../kube/clients.ts';
import { renderStoreCrd } from './crd.ts';

/** Applies the Store CRD (server-side) and waits until the API server serves it. */
export async function installStoreCrd(clients: KubeClients, timeoutMs = 30_000): Promise<void> {
  // loadYaml maps the JSON Schema keys to client-node's model names, so nothing is lost on the way.
  const crd = loadYaml<V1CustomResourceDefinition>(renderStoreCrd());
  await apply(clients, crd);
  const api = clients.kc.makeApiClient(ApiextensionsV1Api);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const live = await api.readCustomResourceDefinition({ name: crd.metadata?.name ?? '' });
    if (live.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return;
    await sleep(200);
  }
  throw new Error('the Store CRD was not established in time');
}

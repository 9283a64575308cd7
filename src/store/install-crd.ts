import { setTimeout as sleep } from 'node:timers/promises';
import { ApiextensionsV1Api, loadYaml, type V1CustomResourceDefinition } from '@kubernetes/client-node';
import { apply, isConflict, type KubeClients } from '../kube/clients.ts';
import { renderStoreCrd } from './crd.ts';
import { storeResource } from './keys.ts';

/** Applies the Store CRD (server-side) and waits until the API server serves it. */
export async function installStoreCrd(clients: KubeClients, timeoutMs = 30_000): Promise<void> {
  // loadYaml maps the JSON Schema keys to client-node's model names, so nothing is lost on the way.
  const crd = loadYaml<V1CustomResourceDefinition>(renderStoreCrd());
  // Two installers at once (operator replicas starting together) can race on the create: the
  // loser gets 409 Conflict, and applying again then updates the object the winner made.
  for (let attempt = 1; ; attempt++) {
    try {
      await apply(clients, crd);
      break;
    } catch (err) {
      if (!isConflict(err) || attempt >= 5) throw err;
      await sleep(100 * attempt);
    }
  }
  const api = clients.kc.makeApiClient(ApiextensionsV1Api);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const live = await api.readCustomResourceDefinition({ name: crd.metadata?.name ?? '' });
    if (live.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
    await sleep(200);
  }
  // Established is not yet served: for a moment after, a list answers 404 or 429 ("storage is
  // (re)initializing"), which the API's and the operator's watches would log as failures.
  while (Date.now() < deadline) {
    try {
      await clients.custom.listClusterCustomObject({ ...storeResource, limit: 1 });
      return;
    } catch (err) {
      const code = (err as { code?: number }).code;
      if (code !== 404 && code !== 429 && code !== 503) throw err;
    }
    await sleep(200);
  }
  throw new Error('the Store CRD was not established in time');
}

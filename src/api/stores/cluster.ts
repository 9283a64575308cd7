import type { CoreV1Event } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { KubeClients } from '../../kube/clients.ts';
import { credentialsSecretName } from '../../store/engines.ts';
import { annotations, storeGroup, storeKind, storePlural, storeVersion } from '../../store/keys.ts';
import { namespaceFor } from '../../store/naming.ts';
import type { Store } from '../../store/schema.ts';
import type { StoreCluster } from '../context.ts';
import { ApiError } from '../http/errors.ts';

const collection = `/apis/${storeGroup}/${storeVersion}/${storePlural}`;
const one = (name: string) => `${collection}/${encodeURIComponent(name)}`;

/** The API's Kubernetes calls, as plain JSON through the platform's bounded client. */
export function storeCluster(clients: KubeClients, log: Logger): StoreCluster {
  const { raw } = clients;
  return {
    async listFresh() {
      const list = await raw.request<{ items: Store[] }>('GET', collection);
      return list.items;
    },
    create(store) {
      return raw.request<Store>('POST', collection, { body: store, query: { fieldValidation: 'Strict' } });
    },
    async delete(name) {
      const res = await raw.request<Store | { kind: 'Status' }>('DELETE', one(name), {
        body: { propagationPolicy: 'Background' },
      });
      // A Store held by a finalizer comes back with its deletionTimestamp; one removed at once, as a Status.
      return res.kind === storeKind ? (res as Store) : undefined;
    },
    requestRetry(name, at) {
      return raw.request<Store>('PATCH', one(name), {
        body: { metadata: { annotations: { [annotations.requestedAt]: at } } },
        contentType: 'application/merge-patch+json',
      });
    },
    async events(store) {
      const name = store.metadata.name;
      const [own, namespaced] = await Promise.all([
        raw.request<{ items: CoreV1Event[] }>('GET', '/api/v1/namespaces/default/events', {
          query: { fieldSelector: `involvedObject.kind=${storeKind},involvedObject.name=${name}` },
        }),
        raw
          .request<{ items: CoreV1Event[] }>('GET', `/api/v1/namespaces/${namespaceFor(name)}/events`, {
            query: { limit: '500' },
          })
          // A namespace already gone, or the API's binding missing there: the Store's own Events still show.
          .catch((err: unknown) => {
            if ((err as { code?: number }).code === 403)
              log.warn({ store: name }, 'may not list Events in the store namespace (RoleBinding missing?)');
            return { items: [] as CoreV1Event[] };
          }),
      ]);
      // A Store recreated under the same name must not show its predecessor's Events.
      const mine = own.items.filter(
        (e) => !store.metadata.uid || !e.involvedObject.uid || e.involvedObject.uid === store.metadata.uid,
      );
      return [...mine, ...namespaced.items];
    },
    async credentials(store) {
      try {
        const secret = await raw.request<{ data?: Record<string, string> }>(
          'GET',
          `/api/v1/namespaces/${namespaceFor(store.metadata.name)}/secrets/${credentialsSecretName}`,
        );
        return Object.fromEntries(
          Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
        );
      } catch (err) {
        const code = (err as { code?: number }).code;
        if (code === 404) return undefined;
        if (code === 403) {
          throw new ApiError(
            503,
            'credentials_unavailable',
            'The platform may not read this store’s credentials: its RoleBinding in the store namespace is missing (see docs/api-rbac.md). Ask an admin.',
          );
        }
        throw err;
      }
    },
  };
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { KubernetesListObject, KubernetesObject, V1ConfigMap } from '@kubernetes/client-node';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentFor, type KubeClients, makeClients } from '../../src/kube/clients.ts';
import { resilientInformer } from '../../src/kube/informer.ts';
import { watchMetadata } from '../../src/kube/watch.ts';
import { testCluster, uniqueName } from './testing.ts';

// A watcher stopped while its watch is still being opened must not open it anyway: the open
// watch kept a stopped API process alive past its SIGTERM (a CI run saw it stop 20 s late), and
// a stopped operator would go on hearing changes.

const log = pino({ level: 'warn' });
const ns = uniqueName('watch');
const path = `/api/v1/namespaces/${ns}/configmaps`;
let clients: KubeClients;

const makeConfigMap = (name: string) =>
  clients.core.createNamespacedConfigMap({
    namespace: ns,
    body: { metadata: { name }, data: { a: 'b' } },
  });

beforeAll(async () => {
  clients = await makeClients(testCluster().kc);
  await clients.core.createNamespace({ body: { metadata: { name: ns } } });
});

afterAll(async () => {
  await clients?.core.deleteNamespace({ name: ns }).catch(() => {});
  clients?.close();
});

describe('watchers stopped while their watch is being opened', () => {
  it('an informer stopped between its list and its watch hears nothing afterwards', async () => {
    const heard: string[] = [];
    let listed = 0;
    const informer = resilientInformer<V1ConfigMap>(
      clients.kc,
      path,
      async () => {
        const list = (await clients.core.listNamespacedConfigMap({
          namespace: ns,
        })) as KubernetesListObject<V1ConfigMap>;
        listed++;
        // Stopped now: the informer goes on to open its watch once this list is returned.
        await informer.stopForGood();
        return list;
      },
      log,
    );
    informer.on('add', (o: KubernetesObject) => heard.push(`add ${o.metadata?.name}`));
    informer.on('update', (o: KubernetesObject) => heard.push(`update ${o.metadata?.name}`));
    await informer.start();
    expect(listed).toBe(1);
    await sleep(1000); // the watch request, had it gone out, is open by now
    await makeConfigMap('after-informer-stop');
    await sleep(2000);
    expect(heard.filter((h) => h.includes('after-informer-stop'))).toEqual([]);
  });

  it('an informer that is stopped once its watch is open hears nothing afterwards', async () => {
    const heard: string[] = [];
    const informer = resilientInformer<V1ConfigMap>(
      clients.kc,
      path,
      () =>
        clients.core.listNamespacedConfigMap({ namespace: ns }) as Promise<KubernetesListObject<V1ConfigMap>>,
      log,
    );
    informer.on('add', (o: KubernetesObject) => heard.push(`${o.metadata?.name}`));
    await informer.start();
    await makeConfigMap('while-informer-runs');
    await expect.poll(() => heard, { timeout: 10_000 }).toContain('while-informer-runs');
    await informer.stopForGood();
    await makeConfigMap('after-informer-open-stop');
    await sleep(2000);
    expect(heard).not.toContain('after-informer-open-stop');
  });

  it('a metadata watch stopped while it lists hears nothing afterwards', async () => {
    const heard: string[] = [];
    let listed = 0;
    const raw = Object.create(clients.raw) as typeof clients.raw;
    const w = watchMetadata({
      kc: clients.kc,
      raw: Object.assign(raw, {
        listMetadata: async (p: string, q: Record<string, string | undefined>) => {
          const list = await clients.raw.listMetadata(p, q);
          listed++;
          w.stop();
          return list;
        },
      }),
      agent: await agentFor(clients.kc),
      path,
      onEvent: (_type, obj) => heard.push(`${obj.metadata?.name}`),
      log,
    });
    await expect.poll(() => listed, { timeout: 10_000 }).toBe(1);
    await sleep(1000);
    await makeConfigMap('after-metadata-stop');
    await sleep(2000);
    expect(heard).not.toContain('after-metadata-stop');
  });
});

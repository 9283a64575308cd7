import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeChanges, type StoreChange } from '../../src/client/store-stream.ts';
import { makeClients } from '../../src/kube/clients.ts';
import { installStoreCrd } from '../../src/store/install-crd.ts';
import { ApiProcess, type Caller, createMember, signIn } from '../api/harness.ts';
import { testCluster } from '../cluster/testing.ts';

/**
 * The client's live store stream against the real API: a connection that goes silent (the API
 * process frozen with SIGSTOP, as a half-open socket after a laptop sleeps) is noticed and opened
 * again, and changes made afterwards arrive.
 */
let api: ApiProcess;
let member: Caller;
let token = '';
const name = `after-sleep-${process.pid}`;

beforeAll(async () => {
  // The shared cluster: a member sees only their own stores, so other files' stores stay out.
  const c = testCluster();
  await installStoreCrd(await makeClients(c.kc));
  api = await new ApiProcess({ kubeconfig: c.kubeconfig, config: { heartbeatMs: 300 } }).start();
  const m = await createMember(await signIn(api), 'sleeper');
  member = await signIn(api, m.username, m.password);
  const made = await member.request<{ token: string }>('POST', '/api/v1/tokens', {
    name: 't',
    scopes: ['stores:read'],
  });
  token = made.body.token;
}, 180_000);

afterAll(async () => {
  if (api?.child?.pid) process.kill(api.child.pid, 'SIGCONT');
  await member?.request('DELETE', `/api/v1/stores/${name}`);
  await api?.stop();
});

describe('storeChanges', () => {
  it('reopens a stream that went silent, and goes on with the changes after it', async () => {
    const stop = new AbortController();
    const changes = storeChanges({ server: api.url, token }, stop.signal, 1500);
    const next = async (): Promise<StoreChange> => (await changes.next()).value as StoreChange;
    try {
      expect(await next()).toEqual({ kind: 'snapshot', stores: [] });
      process.kill(api.child!.pid!, 'SIGSTOP');
      expect(await next()).toEqual({ kind: 'reconnecting', why: 'no data for 1.5 s' });
      process.kill(api.child!.pid!, 'SIGCONT');
      const created = await member.request('POST', '/api/v1/stores', {
        name,
        displayName: 'After Sleep',
        engine: 'medusa',
      });
      expect(created.status).toBe(201);
      let change = await next();
      while (change.kind === 'reconnecting') change = await next();
      // Resumed with Last-Event-ID (nothing missed: no snapshot needed), or a fresh snapshot.
      const names = change.kind === 'snapshot' ? change.stores.map((s) => s.name) : [change.store.name];
      expect(names).toContain(name);
    } finally {
      stop.abort();
      await changes.return(undefined);
    }
  });
});

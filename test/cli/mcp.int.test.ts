import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiProcess, type Caller, createMember, signIn } from '../api/harness.ts';
import { OperatorProcess, type PrivateCluster, privateCluster } from '../operator/harness.ts';

/**
 * `storeplane mcp` driven by the SDK's own client over stdio, against the real API, the real
 * operator and the real engine charts on the simulated cluster: an agent lists the tools, creates
 * a store, waits for it, reads it, deletes it (only when confirmed); another user's agent sees
 * none of it; a limit refusal says which limit.
 */
const root = join(import.meta.dirname, '..', '..');
let c: PrivateCluster;
let operator: OperatorProcess;
let api: ApiProcess;
let admin: Caller;
const agents: Client[] = [];

async function tokenFor(username: string, password: string): Promise<string> {
  const who = await signIn(api, username, password);
  const made = await who.request<{ token: string }>('POST', '/api/v1/tokens', {
    name: 'agent',
    scopes: ['stores:read', 'stores:write'],
  });
  expect(made.status).toBe(201);
  return made.body.token;
}

async function agent(token: string): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'mcp'],
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: c.dataDir,
      STOREPLANE_TOKEN: token,
      STOREPLANE_SERVER: api.url,
    },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'storeplane-test-agent', version: '1.0.0' });
  await client.connect(transport);
  agents.push(client);
  return client;
}

type Result = { isError?: boolean; structuredContent?: Record<string, unknown> };
const call = async (a: Client, name: string, args: Record<string, unknown>) =>
  (await a.callTool({ name, arguments: args })) as Result;
const errorOf = (r: Result) =>
  (r.structuredContent as { error: { code: string; message: string; limit?: string } }).error;

let mia: Client;
let max: Client;

beforeAll(async () => {
  c = await privateCluster();
  operator = new OperatorProcess(c, []);
  await operator.start();
  api = await new ApiProcess({ kubeconfig: c.kubeconfig }).start();
  admin = await signIn(api);
  const m = await createMember(admin, 'mia');
  const x = await createMember(admin, 'max', { storeLimit: 0 });
  mia = await agent(await tokenFor(m.username, m.password));
  max = await agent(await tokenFor(x.username, x.password));
}, 240_000);

afterAll(async () => {
  for (const a of agents) await a.close().catch(() => {});
  await api?.stop();
  await operator?.stop();
  await c?.stop();
});

describe('storeplane mcp', () => {
  it('lists the seven tools, each with an input schema from the Store schema', async () => {
    const { tools } = await mia.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      'list_stores',
      'get_store',
      'create_store',
      'delete_store',
      'wait_for_store',
      'retry_store',
      'store_events',
    ]);
    for (const t of tools) expect(t.inputSchema.type).toBe('object');
    const create = tools.find((t) => t.name === 'create_store')!;
    expect(create.inputSchema.required).toEqual(['displayName', 'engine']);
    expect(create.inputSchema.properties).toMatchObject({
      engine: { enum: ['woocommerce', 'medusa'] },
      plan: { enum: ['small', 'medium', 'large'] },
      name: { pattern: '^[a-z]([-a-z0-9]*[a-z0-9])?$', minLength: 3, maxLength: 30 },
    });
    expect(tools.find((t) => t.name === 'delete_store')!.inputSchema.required).toEqual(['name', 'confirm']);
    expect(tools.find((t) => t.name === 'delete_store')!.annotations).toMatchObject({
      destructiveHint: true,
    });
  });

  it('creates a store, waits for Ready (with progress), reads it and its events', async () => {
    const created = await call(mia, 'create_store', { displayName: 'Mia’s Tea', engine: 'medusa' });
    expect(created.isError).toBeFalsy();
    expect(created.structuredContent).toMatchObject({
      store: { name: 'mias-tea', owner: 'mia', phase: 'Pending' },
    });

    const progress: string[] = [];
    const waited = (await mia.callTool(
      { name: 'wait_for_store', arguments: { name: 'mias-tea', timeoutSeconds: 120 } },
      undefined,
      {
        onprogress: (p) => progress.push(String(p.message)),
        timeout: 150_000,
      },
    )) as Result;
    expect(waited.structuredContent).toMatchObject({
      outcome: 'ready',
      store: { name: 'mias-tea', phase: 'Ready' },
    });
    expect(waited.structuredContent?.stagesCompleted).toEqual([
      'namespace',
      'guardrails',
      'credentials',
      'release',
      'workloads',
      'setup',
    ]);
    expect(progress).toContain('setup done');

    const got = await call(mia, 'get_store', { name: 'mias-tea' });
    expect(got.structuredContent).toMatchObject({ name: 'mias-tea', phase: 'Ready', engine: 'medusa' });
    expect((got.structuredContent?.pipeline as unknown[]).length).toBe(6);
    const events = await call(mia, 'store_events', { name: 'mias-tea' });
    expect((events.structuredContent?.events as { reason: string }[]).map((e) => e.reason)).toContain(
      'Ready',
    );
    const listed = await call(mia, 'list_stores', {});
    expect((listed.structuredContent?.stores as { name: string }[]).map((s) => s.name)).toEqual(['mias-tea']);
  });

  it('another user’s agent cannot see the store, and is refused by its own limit, naming it', async () => {
    const listed = await call(max, 'list_stores', {});
    expect(listed.structuredContent).toEqual({ stores: [] });
    const got = await call(max, 'get_store', { name: 'mias-tea' });
    expect(got.isError).toBe(true);
    expect(errorOf(got).code).toBe('not_found');
    const deleted = await call(max, 'delete_store', { name: 'mias-tea', confirm: 'mias-tea' });
    expect(errorOf(deleted).code).toBe('not_found');
    const create = await call(max, 'create_store', { displayName: 'Max Mart', engine: 'woocommerce' });
    expect(create.isError).toBe(true);
    expect(errorOf(create)).toMatchObject({ code: 'store_limit_reached', limit: 'stores per user' });
  });

  it('bad arguments are refused with the problem named, before the API is asked', async () => {
    const r = await call(mia, 'create_store', { displayName: 'X', engine: 'shopify', owner: 'someone-else' });
    expect(r.isError).toBe(true);
    expect(errorOf(r).code).toBe('invalid_arguments');
    expect(errorOf(r).message).toMatch(/engine/);
  });

  it('delete needs the name typed twice; then the store is deleted and waited for', async () => {
    const missing = await call(mia, 'delete_store', { name: 'mias-tea' });
    expect(errorOf(missing).code).toBe('invalid_arguments');
    const wrong = await call(mia, 'delete_store', { name: 'mias-tea', confirm: 'yes' });
    expect(errorOf(wrong).code).toBe('confirmation_required');
    expect((await call(mia, 'get_store', { name: 'mias-tea' })).structuredContent).toMatchObject({
      phase: 'Ready',
    });

    const ok = await call(mia, 'delete_store', { name: 'mias-tea', confirm: 'mias-tea' });
    expect(ok.isError).toBeFalsy();
    const gone = (await mia.callTool(
      { name: 'wait_for_store', arguments: { name: 'mias-tea', for: 'deleted', timeoutSeconds: 120 } },
      undefined,
      { timeout: 150_000 },
    )) as Result;
    expect(gone.structuredContent).toMatchObject({ outcome: 'deleted' });
    expect(errorOf(await call(mia, 'get_store', { name: 'mias-tea' })).code).toBe('not_found');
  });

  it('is bound by the same audit as any user', async () => {
    const a = await admin.request<{
      entries: { actor: string; action: string; target: string; outcome: string }[];
    }>('GET', '/api/v1/audit?limit=500');
    const mine = a.body.entries.filter((e) => e.target === 'store:mias-tea' || e.actor === 'max');
    expect(mine).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actor: 'mia', action: 'store.create', outcome: 'success' }),
        expect.objectContaining({ actor: 'mia', action: 'store.delete', outcome: 'success' }),
        expect.objectContaining({ actor: 'max', action: 'store.create', outcome: 'refused' }),
      ]),
    );
  });

  it('refuses to start without a working token, in words on stderr', () => {
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'mcp'], {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', HOME: c.dataDir, STOREPLANE_SERVER: api.url, ...env },
        input: '',
        encoding: 'utf8',
      });
    const none = run({});
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('no API token');
    expect(none.stdout).toBe('');
    const bad = run({ STOREPLANE_TOKEN: 'spt_not-a-real-token' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/storeplane mcp: .*(token|Sign in)/i);
  });
});

import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClients } from '../../src/kube/clients.ts';
import { installStoreCrd } from '../../src/store/install-crd.ts';
import { type PrivateCluster, privateCluster } from '../operator/harness.ts';
import { ApiProcess, Caller, createMember, EventReader, signIn } from './harness.ts';

/**
 * Identity against a real API process: the first admin, password login, the session cookie and
 * CSRF, logout, expiry and revocation, API tokens with scopes that never exceed their owner.
 */
let c: PrivateCluster;
let server: ApiProcess;
let admin: Caller;
const secrets: string[] = [];

beforeAll(async () => {
  c = await privateCluster();
  const clients = await makeClients(c.kc);
  await installStoreCrd(clients);
  clients.close();
  server = await new ApiProcess({
    kubeconfig: c.kubeconfig,
    generatedAdminPassword: true,
    config: { sessionTtlSeconds: 4, streamRecheckMs: 1000 },
  }).start();
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await c?.stop();
});

type Session = {
  user: { username: string; role: string };
  via: string;
  scopes: string[];
  csrfToken?: string;
};

describe('the first admin', () => {
  it('gets a random password in a 0600 file in the data directory, never in the log', async () => {
    const file = join(server.dataDir, 'initial-admin-password');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const password = readFileSync(file, 'utf8').trim();
    expect(password.length).toBeGreaterThanOrEqual(20);
    secrets.push(password);
    expect(server.logs()).toContain(file);
    expect(server.logs()).not.toContain(password);
    admin = new Caller(server.url);
    const a = await admin.login('admin', password);
    expect(a.status, a.text).toBe(200);
    expect(a.body).toMatchObject({ user: { username: 'admin', role: 'admin' }, via: 'session' });
  });
});

describe('sessions', () => {
  it('the cookie is httpOnly and SameSite=Strict, and not Secure over plain HTTP', async () => {
    const res = await fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: secrets[0] }),
    });
    const cookie = res.headers.getSetCookie().find((h) => h.startsWith('storeplane_session='))!;
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Strict/i);
    expect(cookie).not.toMatch(/; Secure/i);
  });

  it('wrong password and unknown user answer alike: 401, and are audited', async () => {
    const wrong = await new Caller(server.url).login('admin', 'not-the-password');
    const unknown = await new Caller(server.url).login('nobody', 'not-the-password');
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect((wrong.body as { error: { message: string } }).error.message).toBe(
      (unknown.body as { error: { message: string } }).error.message,
    );
    const audit = await admin.request<{
      entries: { actor: string; action: string; outcome: string; details: Record<string, string> }[];
    }>('GET', '/api/v1/audit?action=session.login&outcome=refused');
    expect(audit.body.entries.map((e) => [e.actor, e.details.authFailure])).toEqual(
      expect.arrayContaining([
        ['admin', 'wrong password'],
        ['nobody', 'unknown user'],
      ]),
    );
  });

  it('an unsafe request with the cookie needs the CSRF token', async () => {
    const m = await createMember(admin, 'cara');
    secrets.push(m.password);
    const cara = await signIn(server, m.username, m.password);
    const csrf = cara.csrf;
    cara.csrf = '';
    const refused = await cara.request('POST', '/api/v1/stores', {
      displayName: 'Cara Shop',
      engine: 'medusa',
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'csrf_failed' } });
    cara.csrf = 'forged-token';
    expect(
      (await cara.request('POST', '/api/v1/stores', { displayName: 'Cara Shop', engine: 'medusa' })).status,
    ).toBe(403);
    cara.csrf = csrf;
    const ok = await cara.request('POST', '/api/v1/stores', { displayName: 'Cara Shop', engine: 'medusa' });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.body).toMatchObject({ name: 'cara-shop', owner: 'cara' });
  });

  it('logout ends the session', async () => {
    const m = await createMember(admin, 'dov');
    const dov = await signIn(server, m.username, m.password);
    expect((await dov.request('GET', '/api/v1/session')).status).toBe(200);
    expect((await dov.request('DELETE', '/api/v1/session')).status).toBe(204);
    expect((await dov.request('GET', '/api/v1/session')).status).toBe(401);
  });

  it('a session expires after its lifetime', async () => {
    const m = await createMember(admin, 'eli');
    const eli = await signIn(server, m.username, m.password);
    expect((await eli.request('GET', '/api/v1/stores')).status).toBe(200);
    await sleep(5000); // sessionTtlSeconds: 4
    const expired = await eli.request('GET', '/api/v1/stores');
    expect(expired.status).toBe(401);
    admin = await signIn(server, 'admin', secrets[0]); // the admin's session expired too
  });

  it('disabling a user ends their sessions and stops their tokens; they cannot sign in', async () => {
    const m = await createMember(admin, 'fay');
    const fay = await signIn(server, m.username, m.password);
    const t = await fay.request<{ token: string }>('POST', '/api/v1/tokens', {
      name: 'ci',
      scopes: ['stores:read'],
    });
    expect(t.status, t.text).toBe(201);
    const byToken = new Caller(server.url);
    byToken.token = t.body.token;
    secrets.push(t.body.token);
    expect((await byToken.request('GET', '/api/v1/stores')).status).toBe(200);
    const d = await admin.request('PATCH', '/api/v1/users/fay', { disabled: true });
    expect(d.status, d.text).toBe(200);
    expect((await fay.request('GET', '/api/v1/stores')).status).toBe(401);
    expect((await byToken.request('GET', '/api/v1/stores')).status).toBe(401);
    expect((await new Caller(server.url).login('fay', m.password)).status).toBe(401);
    const users = await admin.request<{ users: { username: string; disabled: boolean }[] }>(
      'GET',
      '/api/v1/users',
    );
    expect(users.body.users.find((u) => u.username === 'fay')?.disabled).toBe(true);
  });

  it('"sign out everywhere" ends every session of the user', async () => {
    const m = await createMember(admin, 'gus');
    const one = await signIn(server, m.username, m.password);
    const two = await signIn(server, m.username, m.password);
    expect((await one.request('DELETE', '/api/v1/session?everywhere=true')).status).toBe(204);
    expect((await two.request('GET', '/api/v1/session')).status).toBe(401);
  });
});

describe('API tokens', () => {
  let hal: Caller;

  beforeAll(async () => {
    const m = await createMember(admin, 'hal');
    hal = await signIn(server, m.username, m.password);
  });

  it('are shown once, listed without their value, and work as Bearer', async () => {
    const created = await hal.request<{ id: string; token: string; expiresAt: string }>(
      'POST',
      '/api/v1/tokens',
      {
        name: 'laptop',
        scopes: ['stores:read', 'stores:write'],
        expiresInDays: 7,
      },
    );
    expect(created.status, created.text).toBe(201);
    expect(created.body.token).toMatch(/^spt_[a-z0-9]{12}_/);
    expect(Date.parse(created.body.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    secrets.push(created.body.token);
    const list = await hal.request('GET', '/api/v1/tokens');
    expect(list.text).not.toContain(created.body.token);
    const cli = new Caller(server.url);
    cli.token = created.body.token;
    const me = await cli.request<Session>('GET', '/api/v1/session');
    expect(me.body).toMatchObject({ user: { username: 'hal' }, via: 'token' });
    expect(me.body.csrfToken).toBeUndefined();
    // No CSRF token needed with a Bearer token.
    const store = await cli.request('POST', '/api/v1/stores', {
      displayName: 'Hal Hardware',
      engine: 'woocommerce',
    });
    expect(store.status, store.text).toBe(201);
    await sleep(200);
    const after = await hal.request<{ tokens: { id: string; lastUsedAt: string | null }[] }>(
      'GET',
      '/api/v1/tokens',
    );
    expect(after.body.tokens.find((t) => t.id === created.body.id)?.lastUsedAt).toBeTruthy();
  });

  it('a read-only token cannot write; a token cannot make tokens', async () => {
    const ro = await hal.request<{ token: string }>('POST', '/api/v1/tokens', {
      name: 'ro',
      scopes: ['stores:read'],
    });
    secrets.push(ro.body.token);
    const cli = new Caller(server.url);
    cli.token = ro.body.token;
    expect((await cli.request('GET', '/api/v1/stores')).status).toBe(200);
    const write = await cli.request('POST', '/api/v1/stores', {
      displayName: 'Nope Store',
      engine: 'medusa',
    });
    expect(write.status).toBe(403);
    expect(write.body).toMatchObject({
      error: { code: 'insufficient_scope', details: { requiredScope: 'stores:write' } },
    });
    const mint = await cli.request('POST', '/api/v1/tokens', { name: 'x', scopes: ['stores:read'] });
    expect(mint.status).toBe(403);
  });

  it('a member cannot grant admin; an admin token loses admin when its owner is demoted', async () => {
    const refused = await hal.request('POST', '/api/v1/tokens', { name: 'root', scopes: ['admin'] });
    expect(refused.status).toBe(403);
    const m = await createMember(admin, 'ida-admin', { role: 'admin' });
    const ida = await signIn(server, m.username, m.password);
    const t = await ida.request<{ token: string }>('POST', '/api/v1/tokens', {
      name: 'ops',
      scopes: ['stores:read', 'admin'],
    });
    expect(t.status, t.text).toBe(201);
    secrets.push(t.body.token);
    const cli = new Caller(server.url);
    cli.token = t.body.token;
    expect((await cli.request('GET', '/api/v1/users')).status).toBe(200);
    expect((await admin.request('PATCH', '/api/v1/users/ida-admin', { role: 'member' })).status).toBe(200);
    expect((await cli.request('GET', '/api/v1/users')).status).toBe(403);
  });

  it('an open event stream ends when its token is revoked', async () => {
    const t = await hal.request<{ id: string; token: string }>('POST', '/api/v1/tokens', {
      name: 'watch',
      scopes: ['stores:read'],
    });
    secrets.push(t.body.token);
    const stream = new EventReader(`${server.url}/api/v1/stores/stream`, {
      authorization: `Bearer ${t.body.token}`,
    });
    await stream.waitFor((e) => e.event === 'snapshot');
    expect((await hal.request('DELETE', `/api/v1/tokens/${t.body.id}`)).status).toBe(204);
    const ended = await Promise.race([stream.done.then(() => 'ended'), sleep(5000).then(() => 'still open')]);
    expect(ended).toBe('ended');
    stream.close();
  });

  it('revoked tokens stop at once', async () => {
    const t = await hal.request<{ id: string; token: string }>('POST', '/api/v1/tokens', {
      name: 'tmp',
      scopes: ['stores:read'],
    });
    secrets.push(t.body.token);
    const cli = new Caller(server.url);
    cli.token = t.body.token;
    expect((await cli.request('GET', '/api/v1/stores')).status).toBe(200);
    expect((await hal.request('DELETE', `/api/v1/tokens/${t.body.id}`)).status).toBe(204);
    expect((await cli.request('GET', '/api/v1/stores')).status).toBe(401);
    expect((await hal.request('DELETE', `/api/v1/tokens/${t.body.id}`)).status).toBe(404);
  });
});

describe('admin endpoints', () => {
  it('are refused to members with 403 and audited', async () => {
    const m = await createMember(admin, 'kim');
    const kim = await signIn(server, m.username, m.password);
    for (const [method, path, body] of [
      ['GET', '/api/v1/users', undefined],
      ['POST', '/api/v1/users', { username: 'sneaky' }],
      ['PATCH', '/api/v1/users/kim', { storeLimit: 100 }],
    ] as const) {
      const a = await kim.request(method, path, body);
      expect(a.status, `${method} ${path}`).toBe(403);
    }
    const audit = await admin.request<{ entries: { outcome: string; status: number }[] }>(
      'GET',
      '/api/v1/audit?actor=kim',
    );
    expect(audit.body.entries.filter((e) => e.status === 403)).toHaveLength(3);
  });

  it('a user created without a password gets one generated, shown once', async () => {
    const a = await admin.request<{ username: string; password: string }>('POST', '/api/v1/users', {
      username: 'lou',
    });
    expect(a.status, a.text).toBe(201);
    expect(a.headers.get('cache-control')).toBe('no-store');
    secrets.push(a.body.password);
    expect((await new Caller(server.url).login('lou', a.body.password)).status).toBe(200);
    expect((await admin.request('POST', '/api/v1/users', { username: 'lou' })).status).toBe(409);
  });
});

describe('the audit log', () => {
  it('pages newest first with ?before, filters, and shows members only their own entries', async () => {
    const first = await admin.request<{ entries: { id: number; actor: string | null }[]; next?: string }>(
      'GET',
      '/api/v1/audit?limit=5',
    );
    expect(first.body.entries).toHaveLength(5);
    const ids = first.body.entries.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const second = await admin.request<{ entries: { id: number }[] }>(
      'GET',
      `/api/v1/audit?limit=5&before=${first.body.next}`,
    );
    expect(Math.max(...second.body.entries.map((e) => e.id))).toBeLessThan(Math.min(...ids));
    const m = await createMember(admin, 'nia');
    const nia = await signIn(server, m.username, m.password);
    await nia.request('POST', '/api/v1/stores', { displayName: 'Nia Notions', engine: 'medusa' });
    const own = await nia.request<{ entries: { actor: string | null }[] }>(
      'GET',
      '/api/v1/audit?actor=admin',
    );
    expect(own.body.entries.length).toBeGreaterThan(0);
    expect(new Set(own.body.entries.map((e) => e.actor))).toEqual(new Set(['nia']));
  });
});

describe('secrets', () => {
  it('no password or token reaches the log, the audit log, or a response other than its creation', async () => {
    const audit = await admin.request('GET', '/api/v1/audit?limit=500');
    for (const s of secrets) {
      expect(server.logs().includes(s)).toBe(false);
      expect(audit.text.includes(s)).toBe(false);
      const shown = Caller.answers.filter((a) => a.text.includes(s)).map((a) => a.url);
      expect(shown.every((u) => u === 'POST /api/v1/tokens' || u === 'POST /api/v1/users')).toBe(true);
    }
  });
});

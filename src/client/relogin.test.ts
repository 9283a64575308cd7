import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configPath, writeConfig } from './config.ts';
import { clientFor, resolveConnection } from './connection.ts';

// A `storeplane login` in another shell writes a new token and revokes the old one. A command
// still running (a long `stores wait`) must go on with the new token, not die of a 401.

let server: Server;
let url = '';
/** The one token the API takes now, and what each request carried. */
let valid = '';
const seen: (string | undefined)[] = [];
/** Runs when a request arrives, before the answer (a login that happens meanwhile). */
let onRequest: (req: IncomingMessage) => void = () => {};

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.headers.authorization);
    onRequest(req);
    const ok = req.headers.authorization === `Bearer ${valid}`;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        ok
          ? { user: { username: 'mia', role: 'member' }, scopes: [] }
          : { error: { code: 'unauthenticated', message: 'Sign in again.', requestId: 'r' } },
      ),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  seen.length = 0;
  onRequest = () => {};
});

function loggedIn(token: string) {
  const env = { XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'storeplane-relogin-')) };
  const login = (t: string | undefined) => writeConfig(configPath(env), { server: url, token: t });
  login(token);
  valid = token;
  const connection = resolveConnection({}, env);
  return { connection, client: clientFor(connection), login };
}

describe('a saved login replaced while a command runs', () => {
  it('the next request carries the new token', async () => {
    const { client, login } = loggedIn('spt_first');
    expect((await client.GET('/api/v1/session')).response.status).toBe(200);
    login('spt_second');
    valid = 'spt_second'; // the first is revoked
    expect((await client.GET('/api/v1/session')).response.status).toBe(200);
    expect(seen).toEqual(['Bearer spt_first', 'Bearer spt_second']);
  });

  it('a request refused because the login changed while it was under way is sent once more', async () => {
    const { client, login } = loggedIn('spt_one');
    onRequest = () => {
      if (valid === 'spt_one') {
        login('spt_two');
        valid = 'spt_two';
      }
    };
    expect((await client.GET('/api/v1/session')).response.status).toBe(200);
    expect(seen).toEqual(['Bearer spt_one', 'Bearer spt_two']);
  });

  it('a 401 with the token unchanged is the answer: no second request', async () => {
    const { client } = loggedIn('spt_alone');
    valid = 'spt_other';
    expect((await client.GET('/api/v1/session')).response.status).toBe(401);
    expect(seen).toEqual(['Bearer spt_alone']);
  });

  it('after a logout in another shell, no token is sent', async () => {
    const { client, connection, login } = loggedIn('spt_gone');
    login(undefined);
    expect(connection.token).toBeUndefined();
    expect((await client.GET('/api/v1/session')).response.status).toBe(401);
    expect(seen).toEqual([undefined]);
  });

  it('STOREPLANE_TOKEN is what it is: the file is not read again', async () => {
    const env = {
      XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'storeplane-relogin-')),
      STOREPLANE_TOKEN: 'spt_env',
    };
    writeConfig(configPath(env), { server: url, token: 'spt_file' });
    const connection = resolveConnection({ server: url }, env);
    writeConfig(configPath(env), { server: url, token: 'spt_file_2' });
    expect(connection.token).toBe('spt_env');
  });
});

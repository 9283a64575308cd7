import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClients } from '../../src/kube/clients.ts';
import { installStoreCrd } from '../../src/store/install-crd.ts';
import type { Store } from '../../src/store/schema.ts';
import { testCluster, type TestCluster } from '../cluster/testing.ts';
import { ApiProcess, type Caller, createMember, signIn } from './harness.ts';

/**
 * A corpus of bad requests, each sent by a signed-in member (or by nobody, where credentials are
 * the point) to a real API process over a real socket, against a real API server. Every answer
 * must be the expected 4xx with the expected code, in the one error shape, with a message a
 * person can read; afterwards no store and no user or token may have come of any of it, and the
 * API's log may hold none of the secrets sent.
 */

const day = 86_400_000;
const base = '/api/v1/stores';
const member = `mallory-${randomBytes(3).toString('hex')}`;
const fakeToken = `spt_abcdefabcdef_${'A'.repeat(43)}`;
const wrongPassword = `wrong-${randomBytes(9).toString('base64url')}`;
const basicSecret = `admin:${randomBytes(9).toString('base64url')}`;
const intruderPassword = `intruder-${randomBytes(9).toString('base64url')}`;

let c: TestCluster;
let api: ApiProcess;
let admin: Caller;
let mallory: Caller;
let memberPassword: string;

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

type Auth = 'member' | 'member-no-csrf' | 'member-wrong-csrf' | 'none';

interface Case {
  name: string;
  method: string;
  /** Sent as is: no normalisation of "..", no re-encoding. */
  path: string;
  /** JSON-encoded and sent as application/json unless `raw` or `contentType` says otherwise. */
  body?: unknown;
  raw?: string;
  /** null: no Content-Type header at all. */
  contentType?: string | null;
  headers?: Record<string, string>;
  auth?: Auth;
  /** The bytes of a whole request, written to a socket (what fetch and node:http refuse to send). */
  socket?: (session: { cookie: string; csrf: string }) => Buffer;
  status: number;
  code: string;
}

function send(k: Case): Promise<Answer> {
  const auth = k.auth ?? 'member';
  const headers: Record<string, string> = {};
  let payload: Buffer | undefined;
  if (k.raw !== undefined) payload = Buffer.from(k.raw);
  else if (k.body !== undefined) payload = Buffer.from(JSON.stringify(k.body));
  if (payload) {
    if (k.contentType !== null) headers['content-type'] = k.contentType ?? 'application/json';
    headers['content-length'] = String(payload.length);
  }
  if (auth !== 'none') {
    headers.cookie = mallory.cookie;
    if (auth === 'member' && k.method !== 'GET') headers['x-csrf-token'] = mallory.csrf;
    if (auth === 'member-wrong-csrf') headers['x-csrf-token'] = `${mallory.csrf.slice(0, -4)}AAAA`;
  }
  Object.assign(headers, k.headers);
  const url = new URL(api.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method: k.method, path: k.path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Writes a request byte for byte and reads the answer until the server closes the connection. */
function sendRaw(bytes: Buffer): Promise<Answer> {
  const url = new URL(api.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer in 10 s')));
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const end = text.indexOf('\r\n\r\n');
      const head = text.slice(0, end).split('\r\n');
      const headers: IncomingHttpHeaders = {};
      for (const line of head.slice(1)) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({ status: Number(head[0]?.split(' ')[1]), headers, text: text.slice(end + 4) });
    });
    socket.write(bytes);
  });
}

/** A POST that creates a store were its Idempotency-Key header not broken by `key`. */
const withKey =
  (key: string) =>
  ({ cookie, csrf }: { cookie: string; csrf: string }) => {
    const body = JSON.stringify({ name: 'raw-socket-store', displayName: 'Raw socket', engine: 'medusa' });
    return Buffer.concat([
      Buffer.from(
        `POST ${base} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nCookie: ${cookie}\r\n` +
          `X-CSRF-Token: ${csrf}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nIdempotency-Key: `,
      ),
      Buffer.from(key, 'latin1'),
      Buffer.from(`\r\n\r\n${body}`),
    ]);
  };

const create = (body: Record<string, unknown>) => ({
  method: 'POST',
  path: base,
  body: { name: 'fine-name', displayName: 'Fine shop', engine: 'medusa', ...body },
});
const invalid = { status: 400, code: 'invalid_request' };
const unauthorized = { status: 401, code: 'unauthorized' };
const forbidden = { status: 403, code: 'forbidden' };
const notFound = { status: 404, code: 'not_found' };
const wrongMedia = { status: 415, code: 'unsupported_media_type' };
const malformedJson = { status: 400, code: 'malformed_json' };
const malformedHttp = { status: 400, code: 'malformed_request' };
const reusedKey = `reused-${randomBytes(6).toString('hex')}`;
const validJson = JSON.stringify({ name: 'fine-name', displayName: 'Fine shop', engine: 'medusa' });

const storeNames: [string, string][] = [
  ['31 characters', 'a'.repeat(31)],
  ['65 characters', 'a'.repeat(65)],
  ['2 characters', 'ab'],
  ['upper case', 'MyShop'],
  ['unicode', 'shöp-ünïcode'],
  ['a leading dash', '-shop'],
  ['a trailing dash', 'shop-'],
  ['a digit first', '1shop'],
  ['underscores', 'my_shop'],
  ['a dot', 'my.shop'],
  ['a path', '../etc'],
  ['reserved: api', 'api'],
  ['reserved: admin', 'admin'],
  ['empty', ''],
  ['only spaces', '   '],
];

const displayNames: [string, unknown][] = [
  ['a newline', 'Shop\nline two'],
  ['a tab', 'Shop\tTab'],
  ['an ESC', 'Shop\u001b[31m red'],
  ['a leading space', ' Shop'],
  ['a trailing space', 'Shop '],
  ['only spaces', '   '],
  ['only a no-break space', '\u00a0'],
  ['81 characters', 'x'.repeat(81)],
  ['empty', ''],
  ['an array', ['Shop']],
  ['an object', { text: 'Shop' }],
  ['null', null],
  ['a number', 42],
];

/** Path parameters that are no store name, on every route that takes one. */
const badStorePaths: [string, string, { status: number; code: string }][] = [
  ['../ (unnormalised)', '../users', notFound],
  ['%2e%2e%2f', '%2e%2e%2fusers', invalid],
  ['%00', 'shop%00', invalid],
  ['an encoded slash', 'a%2fb', invalid],
  ['..', '..', invalid],
  ['65 characters', 'x'.repeat(65), invalid],
  ['300 characters', 'x'.repeat(300), { status: 414, code: 'uri_too_long' }],
  ['broken percent-encoding', '%E0%A4%A', invalid],
];
const storeRoutes: [string, (name: string) => string][] = [
  ['GET', (n) => `${base}/${n}`],
  ['DELETE', (n) => `${base}/${n}`],
  ['POST', (n) => `${base}/${n}/retry`],
  ['GET', (n) => `${base}/${n}/events`],
  ['POST', (n) => `${base}/${n}/credentials/reveal`],
];

const corpus: Case[] = [
  // Store names, display names, engines and plans.
  ...storeNames.map(([what, name]): Case => ({
    name: `store name: ${what}`,
    ...create({ name }),
    ...invalid,
  })),
  ...displayNames.map(([what, displayName]): Case => ({
    name: `displayName: ${what}`,
    ...create({ displayName }),
    ...invalid,
  })),
  {
    name: 'no name, and none can be made from an emoji displayName',
    ...create({ name: undefined, displayName: '🛒🛒🛒' }),
    ...invalid,
  },
  { name: 'unknown engine', ...create({ engine: 'magento' }), ...invalid },
  { name: 'unknown plan', ...create({ plan: 'enormous' }), ...invalid },
  { name: 'engine as a number', ...create({ engine: 5 }), ...invalid },
  {
    name: 'engine missing',
    method: 'POST',
    path: base,
    body: { name: 'fine-name', displayName: 'Fine' },
    ...invalid,
  },
  { name: 'name as a number', ...create({ name: 12345 }), ...invalid },
  // Fields nobody may set: above all the owner, which is always the caller.
  { name: 'owner in the body', ...create({ owner: 'admin' }), ...invalid },
  { name: 'spec in the body', ...create({ spec: { owner: 'admin' } }), ...invalid },
  { name: 'metadata in the body', ...create({ metadata: { name: 'x' } }), ...invalid },
  // Bodies that are not a JSON object of the right size.
  {
    name: 'a 1 MB body',
    method: 'POST',
    path: base,
    raw: `{"name":"${'x'.repeat(1 << 20)}"}`,
    status: 413,
    code: 'body_too_large',
  },
  { name: 'a JSON array', method: 'POST', path: base, raw: '[]', ...invalid },
  { name: 'a JSON string', method: 'POST', path: base, raw: '"fine-name"', ...invalid },
  { name: 'JSON null', method: 'POST', path: base, raw: 'null', ...invalid },
  { name: 'an empty JSON object', method: 'POST', path: base, raw: '{}', ...invalid },
  { name: 'an empty body', method: 'POST', path: base, raw: '', ...invalid },
  { name: 'malformed JSON', method: 'POST', path: base, raw: '{"name": fine-name}', ...malformedJson },
  { name: 'truncated JSON', method: 'POST', path: base, raw: validJson.slice(0, -9), ...malformedJson },
  {
    name: 'JSON with trailing garbage',
    method: 'POST',
    path: base,
    raw: `${validJson} trailing`,
    ...malformedJson,
  },
  { name: 'two JSON objects', method: 'POST', path: base, raw: `${validJson}${validJson}`, ...malformedJson },
  {
    name: 'a __proto__ key',
    method: 'POST',
    path: base,
    raw: `{"__proto__":{"owner":"admin"},${validJson.slice(1)}`,
    ...malformedJson,
  },
  // Bodies that are not JSON at all.
  {
    name: 'text/plain',
    method: 'POST',
    path: base,
    raw: validJson,
    contentType: 'text/plain',
    ...wrongMedia,
  },
  {
    name: 'form-urlencoded',
    method: 'POST',
    path: base,
    raw: 'name=fine-name&engine=medusa',
    contentType: 'application/x-www-form-urlencoded',
    ...wrongMedia,
  },
  {
    name: 'multipart',
    method: 'POST',
    path: base,
    raw: '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nfine-name\r\n--b--\r\n',
    contentType: 'multipart/form-data; boundary=b',
    ...wrongMedia,
  },
  { name: 'no Content-Type', method: 'POST', path: base, raw: validJson, contentType: null, ...wrongMedia },
  {
    name: 'a Content-Type that is no media type',
    method: 'POST',
    path: base,
    raw: validJson,
    contentType: 'json',
    ...wrongMedia,
  },
  // Idempotency-Key: too long, not ASCII, and broken headers only a raw socket can send.
  {
    name: 'Idempotency-Key of 256 characters',
    ...create({}),
    headers: { 'idempotency-key': 'k'.repeat(256) },
    status: 400,
    code: 'invalid_idempotency_key',
  },
  {
    name: 'Idempotency-Key not ASCII',
    ...create({}),
    headers: { 'idempotency-key': 'cl\u00e9' },
    status: 400,
    code: 'invalid_idempotency_key',
  },
  {
    name: 'Idempotency-Key with a bare CR',
    method: 'POST',
    path: base,
    socket: withKey('abc\rdef'),
    ...malformedHttp,
  },
  {
    name: 'Idempotency-Key with a bare LF',
    method: 'POST',
    path: base,
    socket: withKey('abc\ndef'),
    ...malformedHttp,
  },
  {
    name: 'Idempotency-Key with a NUL',
    method: 'POST',
    path: base,
    socket: withKey('abc\u0000def'),
    ...malformedHttp,
  },
  {
    name: 'Idempotency-Key with CRLF and a second Content-Length',
    method: 'POST',
    path: base,
    socket: withKey('abc\r\nContent-Length: 0'),
    ...malformedHttp,
  },
  {
    name: 'Idempotency-Key with CRLF and Transfer-Encoding',
    method: 'POST',
    path: base,
    socket: withKey('abc\r\nTransfer-Encoding: chunked'),
    ...malformedHttp,
  },
  // The same key with another request: the first is refused (reserved name), the second is 422.
  {
    name: 'a refused create with an Idempotency-Key',
    ...create({ name: 'api' }),
    headers: { 'idempotency-key': reusedKey },
    ...invalid,
  },
  {
    name: 'the same Idempotency-Key with another body',
    ...create({ name: 'admin' }),
    headers: { 'idempotency-key': reusedKey },
    status: 422,
    code: 'idempotency_key_reused',
  },
  // Names in the path that are no store name, on every store route.
  ...badStorePaths.flatMap(([what, name, expected]) =>
    storeRoutes.map(([method, path]): Case => ({
      name: `${method} ${path(':name')} with ${what}`,
      method,
      path: path(name),
      ...expected,
    })),
  ),
  ...storeRoutes.map(([method, path]): Case => ({
    name: `${method} ${path(':name')} of no store`,
    method,
    path: path('no-such-store'),
    ...notFound,
  })),
  // Query parameters.
  { name: 'limit=0', method: 'GET', path: `${base}?limit=0`, ...invalid },
  { name: 'limit=9999', method: 'GET', path: `${base}?limit=9999`, ...invalid },
  { name: 'limit=abc', method: 'GET', path: `${base}?limit=abc`, ...invalid },
  { name: 'limit=-1', method: 'GET', path: `${base}?limit=-1`, ...invalid },
  { name: 'limit twice', method: 'GET', path: `${base}?limit=1&limit=2`, ...invalid },
  { name: 'phase=Bogus', method: 'GET', path: `${base}?phase=Bogus`, ...invalid },
  { name: 'engine=magento', method: 'GET', path: `${base}?engine=magento`, ...invalid },
  { name: 'an unknown query key', method: 'GET', path: `${base}?sort=name`, ...invalid },
  {
    name: 'a continue token with bad characters',
    method: 'GET',
    path: `${base}?continue=%21%21%21`,
    ...invalid,
  },
  { name: 'a continue token this API never gave', method: 'GET', path: `${base}?continue=QUJD`, ...invalid },
  {
    name: 'a continue token of 65 characters',
    method: 'GET',
    path: `${base}?continue=${'Q'.repeat(65)}`,
    ...invalid,
  },
  { name: 'audit since=yesterday', method: 'GET', path: '/api/v1/audit?since=yesterday', ...invalid },
  { name: 'audit outcome=maybe', method: 'GET', path: '/api/v1/audit?outcome=maybe', ...invalid },
  { name: 'audit limit=0', method: 'GET', path: '/api/v1/audit?limit=0', ...invalid },
  {
    name: 'sign out with everywhere=yes',
    method: 'DELETE',
    path: '/api/v1/session?everywhere=yes',
    ...invalid,
  },
  // Credentials: bad Authorization headers win over a good session cookie, and none is 401.
  { name: 'no credentials', method: 'GET', path: base, auth: 'none', ...unauthorized },
  {
    name: '"Bearer" alone',
    method: 'GET',
    path: base,
    auth: 'none',
    headers: { authorization: 'Bearer' },
    ...unauthorized,
  },
  {
    name: '"Bearer " and nothing',
    method: 'GET',
    path: base,
    auth: 'none',
    headers: { authorization: 'Bearer ' },
    ...unauthorized,
  },
  {
    name: 'Basic credentials',
    method: 'GET',
    path: base,
    auth: 'none',
    headers: { authorization: `Basic ${Buffer.from(basicSecret).toString('base64')}` },
    ...unauthorized,
  },
  {
    name: 'a made-up spt_ token',
    method: 'GET',
    path: base,
    auth: 'none',
    headers: { authorization: `Bearer ${fakeToken}` },
    ...unauthorized,
  },
  {
    name: 'a made-up token on a write',
    ...create({}),
    auth: 'none',
    headers: { authorization: `Bearer ${fakeToken}` },
    ...unauthorized,
  },
  {
    name: 'lower-case bearer',
    method: 'GET',
    path: base,
    auth: 'none',
    headers: { authorization: `bearer ${fakeToken}` },
    ...unauthorized,
  },
  {
    name: 'a token with trailing words',
    method: 'GET',
    path: base,
    auth: 'none',
    headers: { authorization: `Bearer ${fakeToken} please` },
    ...unauthorized,
  },
  {
    name: 'a bad token beside a good session cookie',
    method: 'GET',
    path: base,
    headers: { authorization: `Bearer ${fakeToken}` },
    ...unauthorized,
  },
  // CSRF: a cookie alone never makes an unsafe request.
  {
    name: 'create without the CSRF token',
    ...create({}),
    auth: 'member-no-csrf',
    status: 403,
    code: 'csrf_failed',
  },
  {
    name: 'create with a wrong CSRF token',
    ...create({}),
    auth: 'member-wrong-csrf',
    status: 403,
    code: 'csrf_failed',
  },
  {
    name: 'delete without the CSRF token',
    method: 'DELETE',
    path: `${base}/fine-name`,
    auth: 'member-no-csrf',
    status: 403,
    code: 'csrf_failed',
  },
  {
    name: 'token create without the CSRF token',
    method: 'POST',
    path: '/api/v1/tokens',
    body: { name: 't', scopes: ['stores:read'] },
    auth: 'member-no-csrf',
    status: 403,
    code: 'csrf_failed',
  },
  // Sign-in with the wrong types.
  {
    name: 'login: username a number',
    method: 'POST',
    path: '/api/v1/session',
    auth: 'none',
    body: { username: 5, password: wrongPassword },
    ...invalid,
  },
  {
    name: 'login: password a list',
    method: 'POST',
    path: '/api/v1/session',
    auth: 'none',
    body: { username: 'admin', password: [wrongPassword] },
    ...invalid,
  },
  {
    name: 'login: no password',
    method: 'POST',
    path: '/api/v1/session',
    auth: 'none',
    body: { username: 'admin' },
    ...invalid,
  },
  { name: 'login: a list', method: 'POST', path: '/api/v1/session', auth: 'none', raw: '[]', ...invalid },
  {
    name: 'login: an extra field',
    method: 'POST',
    path: '/api/v1/session',
    auth: 'none',
    body: { username: 'admin', password: wrongPassword, role: 'admin' },
    ...invalid,
  },
  {
    name: 'login: a 200-character username',
    method: 'POST',
    path: '/api/v1/session',
    auth: 'none',
    body: { username: 'u'.repeat(200), password: wrongPassword },
    ...invalid,
  },
  {
    name: 'login: a user that does not exist',
    method: 'POST',
    path: '/api/v1/session',
    auth: 'none',
    body: { username: 'nobody-here', password: wrongPassword },
    ...unauthorized,
  },
  // Administration by a member.
  { name: 'member lists users', method: 'GET', path: '/api/v1/users', ...forbidden },
  {
    name: 'member creates a user',
    method: 'POST',
    path: '/api/v1/users',
    body: { username: 'intruder', password: intruderPassword, role: 'admin' },
    ...forbidden,
  },
  {
    name: 'member makes itself admin',
    method: 'PATCH',
    path: `/api/v1/users/${member}`,
    body: { role: 'admin' },
    ...forbidden,
  },
  {
    name: 'member disables the admin',
    method: 'PATCH',
    path: '/api/v1/users/admin',
    body: { disabled: true },
    ...forbidden,
  },
  // Tokens.
  {
    name: 'token with an unknown scope',
    method: 'POST',
    path: '/api/v1/tokens',
    body: { name: 't', scopes: ['stores:read', 'everything'] },
    ...invalid,
  },
  {
    name: 'token with the admin scope, by a member',
    method: 'POST',
    path: '/api/v1/tokens',
    body: { name: 't', scopes: ['admin'] },
    ...forbidden,
  },
  {
    name: 'token with no scope',
    method: 'POST',
    path: '/api/v1/tokens',
    body: { name: 't', scopes: [] },
    ...invalid,
  },
  {
    name: 'token with a scope twice',
    method: 'POST',
    path: '/api/v1/tokens',
    body: { name: 't', scopes: ['stores:read', 'stores:read'] },
    ...invalid,
  },
  {
    name: 'token with scopes as a string',
    method: 'POST',
    path: '/api/v1/tokens',
    body: { name: 't', scopes: 'stores:read' },
    ...invalid,
  },
  {
    name: 'token name with a newline',
    method: 'POST',
    path: '/api/v1/tokens',
    body: { name: 'a\nb', scopes: ['stores:read'] },
    ...invalid,
  },
  {
    name: 'token expiring in 0 days',
    method: 'POST',
    path: '/api/v1/tokens',
    body: { name: 't', scopes: ['stores:read'], expiresInDays: 0 },
    ...invalid,
  },
  {
    name: 'token expiring in 9999 days',
    method: 'POST',
    path: '/api/v1/tokens',
    body: { name: 't', scopes: ['stores:read'], expiresInDays: 9999 },
    ...invalid,
  },
  {
    name: 'token expiring "soon"',
    method: 'POST',
    path: '/api/v1/tokens',
    body: { name: 't', scopes: ['stores:read'], expiresInDays: 'soon' },
    ...invalid,
  },
  { name: 'revoke a token id that is no id', method: 'DELETE', path: '/api/v1/tokens/NOT-AN-ID', ...invalid },
  {
    name: 'revoke a token that is not yours',
    method: 'DELETE',
    path: '/api/v1/tokens/abcdefabcdef',
    ...notFound,
  },
  // Routes and methods that do not exist.
  { name: 'PUT on the store collection', method: 'PUT', path: base, body: {}, ...notFound },
  { name: 'an unknown endpoint', method: 'GET', path: '/api/v1/nothing-here', ...notFound },
];

/** Words for people: a sentence, not a validator's or a framework's message. */
function unreadable(message: unknown): string | undefined {
  if (typeof message !== 'string') return 'not a string';
  if (message.length < 12 || message.length > 400) return `${message.length} characters`;
  if (!/[.!?)]$/.test(message)) return 'does not end a sentence';
  if (message.trim().split(/\s+/).length < 3) return 'fewer than three words';
  if ([...message].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f))
    return 'holds control characters';
  const jargon =
    /must match|must NOT|must be equal to|allowed values|additional properties|anyOf|oneOf|instancePath|querystring|\bparams\.|\bbody\.|FST_|Error:|\^\[|\]\$|\bat .*\.(ts|js):\d/;
  const m = jargon.exec(message);
  return m ? `reads like a machine: "${m[0]}"` : undefined;
}

beforeAll(async () => {
  c = testCluster();
  const clients = await makeClients(c.kc);
  await installStoreCrd(clients);
  clients.close();
  api = await new ApiProcess({
    kubeconfig: c.kubeconfig,
    config: {
      rateLimits: {
        general: { max: 100_000, windowMs: day },
        create: { max: 100_000, windowMs: day },
        login: { max: 1_000, windowMs: day },
        reveal: { max: 1_000, windowMs: day },
      },
    },
  }).start();
  admin = await signIn(api);
  const m = await createMember(admin, member);
  memberPassword = m.password;
  mallory = await signIn(api, m.username, m.password);
});

afterAll(async () => {
  // Should the API have made a store after all, it goes (the assertions below have failed then).
  if (c) {
    const leftover = (await storesOf()).filter((s) => s.spec.owner === member).map((s) => s.metadata.name);
    if (leftover.length) await c.kubectl('delete', 'stores', ...leftover, '--wait=false');
  }
  await api?.stop();
});

async function storesOf(): Promise<Store[]> {
  const out = await c.kubectl('get', 'stores', '-o', 'json');
  if (out.code !== 0) throw new Error(`kubectl get stores: ${out.stderr}`);
  return (JSON.parse(out.stdout) as { items: Store[] }).items;
}

describe('a corpus of bad requests', () => {
  const answers: { k: Case; a: Answer }[] = [];

  it(`has ${corpus.length} cases, each with a name of its own`, () => {
    expect(corpus.length).toBeGreaterThanOrEqual(45);
    expect(new Set(corpus.map((k) => k.name)).size).toBe(corpus.length);
  });

  it('answers each with its 4xx and code, in the one error shape, in words people read', async () => {
    // One at a time, in order: the Idempotency-Key reuse needs its first request answered.
    for (const k of corpus)
      answers.push({ k, a: k.socket ? await sendRaw(k.socket(mallory)) : await send(k) });
    const wrong: string[] = [];
    for (const { k, a } of answers) {
      const where = `${k.name} (${k.method} ${k.path.slice(0, 80)}): ${a.status} ${a.text.slice(0, 300)}`;
      if (a.status >= 500) wrong.push(`5xx for ${where}`);
      let body: { error?: Record<string, unknown> } | undefined;
      try {
        body = JSON.parse(a.text) as typeof body;
      } catch {
        wrong.push(`not JSON for ${where}`);
        continue;
      }
      const error = body?.error;
      const keys = Object.keys(body ?? {});
      if (!error || keys.length !== 1) {
        wrong.push(`not {error: …} for ${where}`);
        continue;
      }
      const extra = Object.keys(error).filter(
        (key) => !['code', 'message', 'details', 'requestId'].includes(key),
      );
      if (extra.length) wrong.push(`error has ${extra.join(', ')} for ${where}`);
      if (a.status !== k.status || error.code !== k.code)
        wrong.push(`expected ${k.status} ${k.code}, got ${where}`);
      if (typeof error.requestId !== 'string' || error.requestId !== a.headers['x-request-id']) {
        wrong.push(
          `requestId ${String(error.requestId)} is not the x-request-id header ${String(a.headers['x-request-id'])} for ${where}`,
        );
      }
      if (
        error.details !== undefined &&
        (typeof error.details !== 'object' || error.details === null || Array.isArray(error.details))
      ) {
        wrong.push(`details is not an object for ${where}`);
      }
      const why = unreadable(error.message);
      if (why) wrong.push(`message ${why} for ${where}`);
    }
    expect(wrong, wrong.join('\n')).toEqual([]);
  });

  it('leaves no store behind: none of the member, none of a name from the corpus', async () => {
    expect(answers.length).toBe(corpus.length);
    const named = new Set(
      corpus.flatMap((k) => {
        const body = k.body as { name?: unknown } | undefined;
        return typeof body?.name === 'string' ? [body.name] : [];
      }),
    );
    named.add('raw-socket-store');
    // Other files share this cluster: their stores are theirs. None may be the member's or ours.
    const stores = await storesOf();
    expect(
      stores.filter((s) => s.spec.owner === member || named.has(s.metadata.name)).map((s) => s.metadata.name),
    ).toEqual([]);
    const listed = await admin.request<{ stores: unknown[] }>('GET', `/api/v1/stores?owner=${member}`);
    expect(listed.status).toBe(200);
    expect(listed.body.stores).toEqual([]);
  });

  it('leaves no user or token behind', async () => {
    const users = await admin.request<{ users: { username: string; role: string }[] }>(
      'GET',
      '/api/v1/users',
    );
    expect(users.body.users.map((u) => `${u.username}:${u.role}`).sort()).toEqual(
      ['admin:admin', `${member}:member`].sort(),
    );
    for (const who of [admin, mallory]) {
      const tokens = await who.request<{ tokens: unknown[] }>('GET', '/api/v1/tokens');
      expect(tokens.body.tokens).toEqual([]);
    }
    // The database itself, revoked tokens included.
    const db = new Database(join(api.dataDir, 'platform.db'), { readonly: true, fileMustExist: true });
    try {
      expect(db.prepare('select count(*) as n from users').get()).toEqual({ n: 2 });
      expect(db.prepare('select count(*) as n from api_tokens').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it('writes none of the passwords, tokens or credentials it was sent to its log', async () => {
    const logs = api.logs();
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).toContain(member); // the log is the API's, and it saw the corpus
    const secrets = {
      adminPassword: api.adminPassword,
      memberPassword,
      wrongPassword,
      intruderPassword,
      fakeToken,
      basicSecret,
      basicEncoded: Buffer.from(basicSecret).toString('base64'),
      csrfToken: mallory.csrf,
      sessionCookie: mallory.cookie.split('=')[1]!,
    };
    for (const [what, secret] of Object.entries(secrets)) {
      expect(logs.includes(secret), `the API log holds the ${what}`).toBe(false);
    }
  });
});

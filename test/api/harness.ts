import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import yaml from 'js-yaml';
import type { ApiConfigOverrides } from '../../src/api/config.ts';
import { freePort } from '../../src/devcluster/ports.ts';

const root = join(import.meta.dirname, '..', '..');

export interface ApiProcessOptions {
  kubeconfig: string;
  /** The platform data dir (SQLite, initial admin password); shared by processes that share it. */
  dataDir?: string;
  /** postgres://… (passed in the environment, never on argv). */
  databaseUrl?: string;
  config?: ApiConfigOverrides;
  adminPassword?: string;
  /** Let the API generate the first admin's password (into the data dir) instead of giving one. */
  generatedAdminPassword?: boolean;
  /** Wait for /healthz instead of /readyz (to watch readiness change). */
  waitForHealthOnly?: boolean;
  /** More command-line flags. */
  args?: string[];
}

/**
 * The API as a real child process (`storeplane api`), so its logs can be searched for secrets and
 * two of them can share one PostgreSQL.
 */
export class ApiProcess {
  child?: ChildProcess;
  url = '';
  logFile = '';
  readonly adminPassword: string;
  dataDir = '';
  private exited?: Promise<number | null>;

  constructor(private readonly o: ApiProcessOptions) {
    this.adminPassword = o.adminPassword ?? `admin-${randomBytes(12).toString('base64url')}`;
  }

  async start(): Promise<this> {
    this.dataDir = this.o.dataDir ?? (await mkdtemp(join(tmpdir(), 'storeplane-api-')));
    mkdirSync(this.dataDir, { recursive: true });
    const secrets = await mkdtemp(join(tmpdir(), 'storeplane-api-secrets-'));
    const passwordFile = join(secrets, 'admin-password');
    writeFileSync(passwordFile, this.adminPassword, { mode: 0o600 });
    const configFile = join(secrets, 'api.yaml');
    writeFileSync(configFile, yaml.dump(this.o.config ?? {}));
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    this.logFile = join(secrets, 'api.log');
    const fd = openSync(this.logFile, 'a');
    this.child = spawn(
      process.execPath,
      [
        // STOREPLANE_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the API (bench:api).
        ...(process.env.STOREPLANE_API_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
        '--import',
        'tsx',
        join(root, 'src/cli/main.ts'),
        'api',
        '--kubeconfig',
        this.o.kubeconfig,
        '--port',
        String(port),
        '--data-dir',
        this.dataDir,
        ...(this.o.generatedAdminPassword ? [] : ['--admin-password-file', passwordFile]),
        '--api-config',
        configFile,
        ...(this.o.args ?? []),
      ],
      {
        cwd: root,
        stdio: ['ignore', fd, fd],
        env: {
          ...process.env,
          LOG_LEVEL: 'info',
          ...(this.o.databaseUrl ? { DATABASE_URL: this.o.databaseUrl } : { DATABASE_URL: '' }),
        },
      },
    );
    this.exited = new Promise((r) => this.child?.on('exit', (code) => r(code)));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null)
        throw new Error(`the API exited (${this.child.exitCode}):\n${this.logs()}`);
      const ready = await fetch(`${this.url}/${this.o.waitForHealthOnly ? 'healthz' : 'readyz'}`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) return this;
      await sleep(200);
    }
    this.child.kill('SIGKILL'); // never leave a half-started API behind
    throw new Error(`the API never became ready:\n${this.logs().slice(-3000)}`);
  }

  logs(): string {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  async stop(): Promise<number | null> {
    if (!this.child || this.child.exitCode !== null) return this.child?.exitCode ?? null;
    this.child.kill('SIGTERM');
    const late = sleep(20_000).then(() => 'late' as const);
    const result = await Promise.race([this.exited, late]);
    if (result === 'late') {
      this.child.kill('SIGKILL');
      throw new Error(`the API did not stop within 20 s of SIGTERM:\n${this.logs().slice(-2000)}`);
    }
    return result ?? null;
  }
}

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/**
 * A caller of the API: a session (cookie + CSRF token, as the dashboard) or a Bearer token (as
 * the CLI). Every answer is kept, so a test can search all responses for secrets.
 */
export class Caller {
  cookie = '';
  csrf = '';
  token = '';
  static readonly answers: { url: string; text: string }[] = [];

  constructor(readonly base: string) {}

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer<T>> {
    const h: Record<string, string> = { ...headers };
    if (body !== undefined && !('content-type' in h)) h['content-type'] = 'application/json';
    if (this.token) h.authorization = `Bearer ${this.token}`;
    else if (this.cookie) {
      h.cookie = this.cookie;
      if (this.csrf && method !== 'GET') h['x-csrf-token'] = this.csrf;
    }
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: h,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('storeplane_session='));
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    const text = await res.text();
    Caller.answers.push({ url: `${method} ${path}`, text });
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: the text is the body
    }
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  async login(username: string, password: string): Promise<Answer> {
    const a = await this.request('POST', '/api/v1/session', { username, password });
    if (a.status === 200) this.csrf = String((a.body as { csrfToken: string }).csrfToken);
    return a;
  }
}

/** An admin session, and members created through it, each signed in. */
export async function signIn(
  api: ApiProcess,
  username = 'admin',
  password = api.adminPassword,
): Promise<Caller> {
  const c = new Caller(api.url);
  const a = await c.login(username, password);
  if (a.status !== 200) throw new Error(`login as ${username}: ${a.status} ${a.text}`);
  return c;
}

export async function createMember(
  admin: Caller,
  username: string,
  extra: { storeLimit?: number | null; role?: 'admin' | 'member' } = {},
): Promise<{ username: string; password: string }> {
  const password = `pw-${randomBytes(12).toString('base64url')}`;
  const a = await admin.request('POST', '/api/v1/users', { username, password, ...extra });
  if (a.status !== 201) throw new Error(`create user ${username}: ${a.status} ${a.text}`);
  return { username, password };
}

/** Reads Server-Sent Events from a stream until stopped. */
export class EventReader {
  events: { event: string; id?: string; data: unknown; at: number }[] = [];
  comments = 0;
  status = 0;
  private controller = new AbortController();
  done: Promise<void>;

  constructor(url: string, headers: Record<string, string>) {
    this.done = this.read(url, headers);
  }

  private async read(url: string, headers: Record<string, string>) {
    try {
      const res = await fetch(url, {
        headers: { accept: 'text/event-stream', ...headers },
        signal: this.controller.signal,
      });
      this.status = res.status;
      if (!res.ok || !res.body) return;
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          let id: string | undefined;
          const data: string[] = [];
          let comment = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comment = true;
            else if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('id:')) id = line.slice(3).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          }
          if (comment && !data.length) {
            this.comments++;
            continue;
          }
          if (!data.length) continue;
          this.events.push({ event, id, data: JSON.parse(data.join('\n')), at: Date.now() });
        }
      }
    } catch (err) {
      if ((err as Error).name !== 'AbortError') throw err;
    }
  }

  async waitFor<T>(
    find: (e: EventReader['events'][number]) => T | undefined,
    timeoutMs = 60_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const e of this.events) {
        const found = find(e);
        if (found !== undefined && found !== false) return found;
      }
      if (Date.now() > deadline)
        throw new Error(
          `no matching event in ${timeoutMs} ms; saw ${JSON.stringify(this.events.map((e) => e.event))}`,
        );
      await sleep(50);
    }
  }

  close() {
    this.controller.abort();
  }
}

export function callerHeaders(c: Caller): Record<string, string> {
  return c.token ? { authorization: `Bearer ${c.token}` } : { cookie: c.cookie };
}

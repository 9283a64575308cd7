/**
 * A throwaway PostgreSQL for the Medusa suite: Debian's server binaries, a temp data dir, a free
 * port on 127.0.0.1, password auth. PostgreSQL refuses to run as root, so under root (CI
 * containers) it runs as the `postgres` user the Debian package creates.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, runOk, startService, type Service } from './processes.ts';

/** What psql needs to reach the suite's database (serializable, so tests receive it too). */
export interface PgConnection {
  port: number;
  user: string;
  password: string;
  binDir: string;
}

export interface Postgres extends PgConnection {
  /** postgres://user:password@127.0.0.1:port/medusa — pass it in env only, never on argv. */
  url: string;
  stop: () => Promise<void>;
}

/** Newest /usr/lib/postgresql/<major>/bin with initdb and postgres (or $PG_BIN). */
export function findPgBin(): string {
  const candidates = process.env.PG_BIN
    ? [process.env.PG_BIN]
    : existsSync('/usr/lib/postgresql')
      ? readdirSync('/usr/lib/postgresql')
          .filter((v) => /^\d+$/.test(v))
          .sort((a, b) => Number(b) - Number(a))
          .map((v) => `/usr/lib/postgresql/${v}/bin`)
      : [];
  const found = candidates.find(
    (dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres')),
  );
  if (!found) {
    throw new Error(
      'PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (or $PG_BIN). ' +
        'Install them with: apt-get install -y postgresql postgresql-contrib',
    );
  }
  return found;
}

/** uid/gid to run the server as: ourselves, or the postgres user when we are root. */
function serverIdentity(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (!uid || !gid) throw new Error('running as root but there is no postgres user to run PostgreSQL as');
  return { uid: Number(uid), gid: Number(gid) };
}

export async function startPostgres(logDir: string): Promise<Postgres> {
  const binDir = findPgBin();
  const dir = await mkdtemp(join(tmpdir(), 'storeplane-medusa-pg-'));
  const identity = serverIdentity();
  const user = 'medusa';
  const password = randomBytes(18).toString('base64url');
  const pwfile = join(dir, 'pwfile');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (identity) {
    chownSync(dir, identity.uid, identity.gid);
    chownSync(pwfile, identity.uid, identity.gid);
  }
  chmodSync(dir, 0o700);
  const data = join(dir, 'data');
  // cwd: the server user may not be able to enter ours.
  const asServer = { ...identity, cwd: dir, log: join(logDir, 'postgres.log') };
  await runOk(
    join(binDir, 'initdb'),
    ['-D', data, '-U', user, '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C.UTF-8'],
    asServer,
  );
  const port = await freePort();
  // fsync off: a test database that dies with the run needs no durability.
  const server: Service = startService(
    join(binDir, 'postgres'),
    [
      '-D',
      data,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `port=${port}`,
      '-c',
      'unix_socket_directories=',
      '-c',
      'fsync=off',
    ],
    { ...asServer, stopSignal: 'SIGINT' }, // SIGINT = fast shutdown
  );
  const env = { ...process.env, PGPASSWORD: password };
  const started = performance.now();
  for (;;) {
    try {
      execFileSync(
        join(binDir, 'pg_isready'),
        ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', 'postgres'],
        {
          env,
          stdio: 'ignore',
        },
      );
      break;
    } catch {
      if (server.child.exitCode !== null) throw new Error(`postgres exited early; see ${asServer.log}`);
      if (performance.now() - started > 60_000)
        throw new Error('postgres did not accept connections within 60s');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  execFileSync(
    join(binDir, 'psql'),
    ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', 'postgres', '-c', 'CREATE DATABASE medusa'],
    {
      env,
      stdio: 'ignore',
    },
  );
  return {
    port,
    user,
    password,
    binDir,
    url: `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/medusa`,
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Runs SQL through psql (password in env) and returns its unaligned output. */
export function psql(pg: PgConnection, sql: string): string {
  return execFileSync(
    join(pg.binDir, 'psql'),
    [
      '-h',
      '127.0.0.1',
      '-p',
      String(pg.port),
      '-U',
      pg.user,
      '-d',
      'medusa',
      '-X',
      '-A',
      '-t',
      '-v',
      'ON_ERROR_STOP=1',
      '-f',
      '-',
    ],
    { env: { ...process.env, PGPASSWORD: pg.password }, input: sql, encoding: 'utf8' },
  ).trim();
}

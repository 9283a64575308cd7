import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';

/**
 * What `storeplane login` remembers: the API's address and a personal API token. Kept in one
 * JSON file under the XDG config directory, mode 0600 in a 0700 directory, because the token is
 * a credential; never in an environment file or on a command line.
 */
export interface ClientConfig {
  server?: string;
  username?: string;
  token?: string;
  /** The token's id, so `logout` can revoke it. */
  tokenId?: string;
  tokenExpiresAt?: string | null;
}

export class ConfigError extends Error {}

/** `$STOREPLANE_CONFIG`, else `$XDG_CONFIG_HOME/storeplane/config.json`, else `~/.config/...`. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.STOREPLANE_CONFIG) return env.STOREPLANE_CONFIG;
  const base =
    env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/')
      ? env.XDG_CONFIG_HOME
      : join(homedir(), '.config');
  return join(base, 'storeplane', 'config.json');
}

export function readConfig(path: string): ClientConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(`cannot read ${path}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(`${path} is not valid JSON; fix it, or delete it and run storeplane login again`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ConfigError(`${path} should hold a JSON object; delete it and run storeplane login again`);
  const c = parsed as Record<string, unknown>;
  const str = (k: string) => (typeof c[k] === 'string' ? (c[k] as string) : undefined);
  return {
    server: str('server'),
    username: str('username'),
    token: str('token'),
    tokenId: str('tokenId'),
    tokenExpiresAt: c.tokenExpiresAt === null ? null : str('tokenExpiresAt'),
  };
}

/**
 * Written whole to a new 0600 temporary file (created exclusively, so a planted file or symlink
 * is never written through), then renamed over the old one: never readable by others, never half.
 * The directory is made (or tightened to) 0700.
 */
export function writeConfig(path: string, config: ClientConfig): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Our own directory only (not whatever STOREPLANE_CONFIG points into).
  if (basename(dir) === 'storeplane' && statSync(dir).uid === process.getuid?.()) chmodSync(dir, 0o700);
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const clean = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined));
  try {
    writeFileSync(tmp, `${JSON.stringify(clean, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

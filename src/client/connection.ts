import { createStoreplaneClient, type StoreplaneClient } from '../api/client/client.ts';
import { type ClientConfig, configPath, readConfig } from './config.ts';
import { ApiFailure, failureFrom, unreachable } from './failure.ts';

export const defaultServer = 'http://127.0.0.1:8080';

/** Where the API is and the token to show it; from a flag, the environment or the config file. */
export interface Connection {
  server: string;
  token?: string;
  /** Where the token came from, for whoami and for errors that say what to fix. */
  tokenSource?: 'STOREPLANE_TOKEN' | 'config';
  configFile: string;
  config: ClientConfig;
}

export function resolveConnection(
  o: { server?: string } = {},
  env: NodeJS.ProcessEnv = process.env,
): Connection {
  const file = configPath(env);
  const config = readConfig(file);
  const server = normalizeServer(o.server ?? env.STOREPLANE_SERVER ?? config.server ?? defaultServer);
  // A token is good for the server it was made for only: the environment's for
  // STOREPLANE_SERVER (when set), the file's for the file's server.
  const envToken = env.STOREPLANE_TOKEN?.trim();
  const fromEnv =
    envToken && (!env.STOREPLANE_SERVER || normalizeServer(env.STOREPLANE_SERVER) === server)
      ? envToken
      : undefined;
  const configToken =
    config.token && normalizeServer(config.server ?? defaultServer) === server ? config.token : undefined;
  const connection: Connection = {
    server,
    token: fromEnv || configToken,
    tokenSource: fromEnv ? 'STOREPLANE_TOKEN' : configToken ? 'config' : undefined,
    configFile: file,
    config,
  };
  if (!fromEnv && configToken) {
    // The saved login, read again at each use: a `storeplane login` in another shell replaces
    // (and revokes) the token this command started with, and a long `stores wait` must go on
    // with the new one. After a logout there is none.
    Object.defineProperty(connection, 'token', {
      enumerable: true,
      get: () => savedToken(file, server, configToken),
    });
  }
  return connection;
}

/** The config file's token now, if it is still for `server`; `fallback` if the file cannot be read. */
function savedToken(file: string, server: string, fallback: string): string | undefined {
  let config: ClientConfig;
  try {
    config = readConfig(file);
  } catch {
    return fallback;
  }
  if (!config.token) return undefined;
  return normalizeServer(config.server ?? defaultServer) === server ? config.token : undefined;
}

/** An http(s) URL without a trailing slash or an /api/v1 suffix; anything else is refused. */
export function normalizeServer(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ApiFailure(
      0,
      'invalid_server',
      `"${raw}" is not a URL: give the API's address, e.g. ${defaultServer}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ApiFailure(
      0,
      'invalid_server',
      `the API's address must start with http:// or https:// (got "${raw}")`,
    );
  if (url.username || url.password)
    throw new ApiFailure(0, 'invalid_server', 'the API address must not hold a user name or password');
  return `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/api\/v1$/, '')}`;
}

/** The typed client for a connection; every network failure becomes an ApiFailure in words. */
export function clientFor(c: { server: string; token?: string }): StoreplaneClient {
  // A request cancelled by its caller (a timeout, an MCP client's cancel) stays an abort.
  const send = (request: Request) =>
    fetch(request).catch((err: unknown) =>
      Promise.reject(request.signal.aborted ? err : unreachable(c.server, err)),
    );
  return createStoreplaneClient({
    baseUrl: c.server,
    // Asked at each request: a saved login's token can change while a command runs.
    token: () => c.token,
    fetch: async (request) => {
      const again = request.clone();
      const response = await send(request);
      if (response.status !== 401) return response;
      // Refused, and the token changed meanwhile (a new login revoked the one this request
      // carried): once more with the new one.
      const now = c.token;
      if (!now || request.headers.get('authorization') === `Bearer ${now}`) return response;
      const headers = new Headers(again.headers);
      headers.set('authorization', `Bearer ${now}`);
      return send(new Request(again, { headers }));
    },
  });
}

/**
 * The answer's data, or an ApiFailure for a non-2xx answer (openapi-fetch returns those as
 * `error`). 204 answers have no data: `undefined` is returned.
 */
export async function ok<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let r: { data?: T; error?: unknown; response: Response };
  try {
    r = await p;
  } catch (err) {
    if (err instanceof ApiFailure) throw err;
    throw new ApiFailure(0, 'unreachable', `The call to the API failed: ${(err as Error).message}`);
  }
  if (!r.response.ok) throw failureFrom(r.response, r.error);
  return r.data as T;
}

import { createStoreplaneClient, type SessionView, type StoreplaneClient } from '../api/client/client.ts';
import { ok } from './connection.ts';
import { unreachable } from './failure.ts';

/**
 * A short password session, as the dashboard has (cookie and CSRF token), for the one thing a
 * token may not do: make a token. Signed out again whatever happens.
 */
export async function withPasswordSession<T>(
  server: string,
  username: string,
  password: string,
  use: (client: StoreplaneClient, session: SessionView) => Promise<T>,
): Promise<T> {
  let cookie = '';
  let csrf = '';
  const client = createStoreplaneClient({
    baseUrl: server,
    fetch: async (request) => {
      if (cookie) request.headers.set('cookie', cookie);
      if (csrf && request.method !== 'GET') request.headers.set('x-csrf-token', csrf);
      const response = await fetch(request).catch((err: unknown) => Promise.reject(unreachable(server, err)));
      const set = response.headers.getSetCookie().find((c) => c.startsWith('storeplane_session='));
      if (set) cookie = set.split(';')[0]!;
      return response;
    },
  });
  const session = await ok(client.POST('/api/v1/session', { body: { username, password } }));
  csrf = session.csrfToken ?? '';
  try {
    return await use(client, session);
  } finally {
    await client.DELETE('/api/v1/session', { params: { query: {} } }).catch(() => undefined);
  }
}

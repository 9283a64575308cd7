import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { SessionView } from '../../../src/api/client/client.ts';
import { api, ApiFailure, call, setCsrfToken, whenUnauthorized } from './http.ts';

type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; notice?: string }
  | { status: 'signed-in'; session: SessionView };

interface SessionApi {
  state: SessionState;
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionApi | undefined>(undefined);

/**
 * Who is signed in. Asks the API once at load; any later 401 (the session expired, was revoked,
 * or the user was disabled) signs the user out with a notice, and the cached data goes with it.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const queryClient = useQueryClient();

  const signedIn = useCallback((session: SessionView) => {
    setCsrfToken(session.csrfToken);
    setState({ status: 'signed-in', session });
  }, []);
  const signedOut = useCallback(
    (notice?: string) => {
      setCsrfToken(undefined);
      queryClient.clear();
      setState(notice ? { status: 'signed-out', notice } : { status: 'signed-out' });
    },
    [queryClient],
  );

  useEffect(() => {
    call(api.GET('/api/v1/session'))
      .then(signedIn)
      .catch(() => signedOut());
  }, [signedIn, signedOut]);

  useEffect(() => {
    whenUnauthorized(() =>
      setState((s) => {
        if (s.status !== 'signed-in') return s;
        setCsrfToken(undefined);
        queryClient.clear();
        return { status: 'signed-out', notice: 'Your session has ended. Sign in again to continue.' };
      }),
    );
    return () => whenUnauthorized(undefined);
  }, [queryClient]);

  const value = useMemo<SessionApi>(
    () => ({
      state,
      async signIn(username, password) {
        signedIn(await call(api.POST('/api/v1/session', { body: { username, password } })));
      },
      async signOut() {
        try {
          await call(api.DELETE('/api/v1/session'));
        } catch (err) {
          if (!(err instanceof ApiFailure && err.status === 401)) throw err;
        }
        signedOut('You have signed out.');
      },
    }),
    [state, signedIn, signedOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** The signed-in session; only for pages under the signed-in layout. */
export function useSignedIn(): SessionView {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useSignedIn while not signed in');
  return state.session;
}

import type { SessionStore } from '@fastify/session';
import type { Session } from 'fastify';
import type { PlatformDb } from '../db/platform-db.ts';
import { hashSecret } from './tokens.ts';

/**
 * @fastify/session's store over the platform DB, so every API replica sees every session and an
 * admin can revoke a user's sessions. Only a hash of the session id is stored.
 */
export function dbSessionStore(db: PlatformDb, ttlSeconds: number): SessionStore {
  return {
    set(sessionId, session, callback) {
      // Only signed-in sessions are kept: an anonymous one has nothing worth a row.
      if (!session.userId) {
        callback();
        return;
      }
      const expires = session.cookie.expires ?? new Date(Date.now() + ttlSeconds * 1000);
      db.sessions
        .set(hashSecret(sessionId), {
          userId: session.userId ?? '',
          data: JSON.stringify(session),
          expiresAt: new Date(expires).toISOString(),
        })
        .then(() => callback(), callback);
    },
    get(sessionId, callback) {
      db.sessions.get(hashSecret(sessionId), new Date().toISOString()).then(
        (s) => callback(null, s ? (JSON.parse(s.data) as Session) : null),
        (err: Error) => callback(err),
      );
    },
    destroy(sessionId, callback) {
      db.sessions.destroy(hashSecret(sessionId)).then(() => callback(), callback);
    },
  };
}

declare module 'fastify' {
  interface Session {
    userId?: string;
  }
}

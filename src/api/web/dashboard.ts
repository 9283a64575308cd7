import { statSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { maxParamLength, notFound, uriTooLong } from '../http/errors.ts';

/** Files Vite writes with a content hash in their name: cached for a year. No dot files. */
const hashedAsset = /^assets\/[A-Za-z0-9][A-Za-z0-9._-]*$/;
const plainFile = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** A path whose last segment ends in an extension, as file names do (`x.js`, `favicon.ico`). */
const fileLike = /\.[A-Za-z0-9]{1,8}$/;

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The built dashboard at `/`, same origin as the API (so the session cookie and CSRF work):
 * its files by name, and index.html for every other path outside /api, where the client-side
 * router takes over. Only names of plain characters are looked up; nothing a URL holds is
 * joined to a path unchecked.
 */
export async function dashboardRoutes(app: FastifyInstance, dir: string) {
  await app.register(fastifyStatic, { root: dir, serve: false, decorateReply: true });
  app.get(
    '/*',
    { schema: { hide: true }, config: { public: true, rateLimit: false } as never },
    async (request, reply) => {
      const path = request.url.split('?')[0]!;
      if (path === '/api' || path.startsWith('/api/')) {
        // What the router answers for an /api path it matches to no route: this catch-all
        // must not change it (a parameter too long for the router is 414, else 404).
        if (path.split('/').some((segment) => segment.length > maxParamLength)) throw uriTooLong();
        throw notFound(`No endpoint GET ${path}.`);
      }
      const rel = path.slice(1);
      if (hashedAsset.test(rel) && isFile(join(dir, rel)))
        return reply.sendFile(rel, { maxAge: '365d', immutable: true });
      if (plainFile.test(rel) && rel !== 'index.html' && isFile(join(dir, rel)))
        return reply.sendFile(rel, { maxAge: '1h' });
      // A file the build does not have (a stale asset, /favicon.ico) is 404: the dashboard's
      // routes never end in a file extension, so HTML there would only be read as the wrong type.
      if (rel.startsWith('assets/') || fileLike.test(rel)) throw notFound(`No file ${path}.`);
      return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
    },
  );
}

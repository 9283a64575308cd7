/** Pure decisions of the storefront's static server: which file answers a path, and its type. */
import { extname, join, normalize, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentType(file: string): string {
  return contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type StaticTarget =
  | { kind: 'file'; file: string; immutable: boolean }
  | { kind: 'app' } // the SPA's index.html: a client-side route
  | { kind: 'not-found' };

/**
 * Maps a URL path to a file under root. Paths that look like files (have an extension) must
 * exist, so a missing script is a 404 and not index.html; other paths are the SPA's routes.
 * Anything escaping root is refused.
 */
export function staticTarget(root: string, urlPath: string, exists: (file: string) => boolean): StaticTarget {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return { kind: 'not-found' };
  }
  if (decoded.includes('\0')) return { kind: 'not-found' };
  const file = normalize(join(root, decoded));
  if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) return { kind: 'not-found' };
  if (extname(decoded) === '') return { kind: 'app' };
  if (!exists(file)) return { kind: 'not-found' };
  // Vite fingerprints everything under /assets/, so those never change under a name.
  return { kind: 'file', file, immutable: decoded.startsWith('/assets/') };
}

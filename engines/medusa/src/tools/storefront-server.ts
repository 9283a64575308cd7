/**
 * `storeplane-medusa storefront`: a tiny static server for the storefront build. It also serves
 * /config.json from the environment at run time (MEDUSA_BACKEND_URL; empty = same origin), which
 * is what lets one storefront build serve every store.
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { contentType, staticTarget } from './static-files';

const root = resolve(process.env.STOREFRONT_DIR || join(__dirname, '..', '..', 'storefront'));
const port = Number(process.env.STOREFRONT_PORT || 8000);
const host = process.env.STOREFRONT_HOST || '0.0.0.0';
const indexFile = join(root, 'index.html');
if (!existsSync(indexFile)) {
  process.stderr.write(`storefront: no build at ${root} (index.html missing)\n`);
  process.exit(1);
}
const indexHtml = readFileSync(indexFile);
const runtimeConfig = JSON.stringify({
  backendUrl: (process.env.MEDUSA_BACKEND_URL || '').replace(/\/+$/, ''),
});

const isFile = (file: string) => {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
};

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, cache = 'no-cache') {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': cache,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
  });
  res.end(body);
}

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return send(res, 405, 'text/plain', 'method not allowed');
  if (path === '/config.json') return send(res, 200, 'application/json', runtimeConfig, 'no-store');
  if (path === '/healthz') return send(res, 200, 'text/plain', 'ok', 'no-store');
  const target = staticTarget(root, path, isFile);
  if (target.kind === 'app') return send(res, 200, 'text/html; charset=utf-8', indexHtml);
  if (target.kind === 'not-found') return send(res, 404, 'text/plain', 'not found');
  res.writeHead(200, {
    'content-type': contentType(target.file),
    'cache-control': target.immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') return res.end();
  createReadStream(target.file).pipe(res);
});

server.listen(port, host, () =>
  process.stdout.write(`storefront: serving ${root} on http://${host}:${port}\n`),
);
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleError, notFound } from '../http/errors.ts';
import { dashboardRoutes } from './dashboard.ts';

let app: FastifyInstance;
const outside = mkdtempSync(join(tmpdir(), 'dash-outside-'));

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dash-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Storeplane</title>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(dir, 'favicon.svg'), '<svg/>');
  writeFileSync(join(dir, '.inputs-digest'), 'deadbeef');
  writeFileSync(join(outside, 'secret.txt'), 'top secret');
  app = Fastify();
  app.setErrorHandler((err, request, reply) => handleError(err, request, reply));
  app.setNotFoundHandler((request) => {
    throw notFound(`No endpoint ${request.method} ${request.url.split('?')[0]}.`);
  });
  await dashboardRoutes(app, dir);
  app.get('/api/v1/known', async () => ({ ok: true }));
  await app.ready();
});
afterAll(() => app.close());

const get = (url: string) => app.inject({ method: 'GET', url });

describe('serving the built dashboard', () => {
  it('hashed assets: cached for a year, immutable', async () => {
    const r = await get('/assets/index-abc123.js');
    expect(r.statusCode).toBe(200);
    expect(r.body).toBe('console.log(1)');
    expect(r.headers['cache-control']).toMatch(/max-age=31536000.*immutable/);
  });

  it('other files by name; index.html for every client-side route, never cached', async () => {
    expect((await get('/favicon.svg')).statusCode).toBe(200);
    for (const path of ['/', '/stores/bike-parts', '/admin/users?x=1', '/login']) {
      const r = await get(path);
      expect(r.statusCode, path).toBe(200);
      expect(r.body).toContain('<title>Storeplane</title>');
      expect(r.headers['cache-control']).toBe('no-cache');
    }
  });

  it('/api paths stay the API: unknown ones are the API 404 in its error shape, known ones answer', async () => {
    const r = await get('/api/v1/nothing-here');
    expect(r.statusCode).toBe(404);
    expect(r.json()).toMatchObject({ error: { code: 'not_found' } });
    expect((await get('/api')).statusCode).toBe(404);
    const long = await get(`/api/v1/stores/${'x'.repeat(300)}`);
    expect(long.statusCode).toBe(414);
    expect(long.json()).toMatchObject({ error: { code: 'uri_too_long' } });
    expect((await get('/api/v1/known')).json()).toEqual({ ok: true });
  });

  it('a missing asset is 404, not index.html (a stale tab must not run HTML as a script)', async () => {
    const r = await get('/assets/index-gone.js');
    expect(r.statusCode).toBe(404);
  });

  it('a missing file outside assets/ is 404 too, not index.html', async () => {
    for (const path of ['/favicon.ico', '/nope.js', '/robots.txt', '/stores/x.map', '/app.css?v=1']) {
      const r = await get(path);
      expect(r.statusCode, path).toBe(404);
      expect(r.json()).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  it.each([
    '/../' + outside.split('/').pop() + '/secret.txt',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/assets/..%2f..%2fetc%2fpasswd',
    '/.inputs-digest',
    '/assets/%2e%2e/index.html',
  ])('nothing outside the build, and no dot file, is served: %s', async (path) => {
    const r = await get(path);
    expect(r.body).not.toContain('top secret');
    expect(r.body).not.toContain('root:');
    expect(r.body).not.toContain('deadbeef');
  });
});

import { compileErrors, validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOfflineApi, type OfflineApi } from '../../src/api/openapi-document.ts';

// The OpenAPI document against the routes Fastify really has: built in-process, no cluster.

interface Operation {
  summary?: string;
  tags?: string[];
  responses?: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}
type Document = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
};

const methods = ['get', 'put', 'post', 'delete', 'patch', 'options', 'trace'];
const apiErrorRef = '#/components/schemas/ApiError';

/**
 * Every route of the router as `METHOD /path/{param}`, from printRoutes' tree (one line per
 * node: its indentation gives the depth, its text the part of the path it adds). HEAD is left
 * out: Fastify adds it to every GET by itself and the document leaves it implicit.
 */
function routerRoutes(tree: string): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    if (!line.trim()) continue;
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(.+?)(?: \(([A-Z, ]+)\))?$/u.exec(line);
    if (!m) throw new Error(`cannot read this line of printRoutes: ${JSON.stringify(line)}`);
    const depth = m[1]!.length / 4;
    const path = (stack[depth - 1] ?? '') + m[2]!;
    stack[depth] = path;
    stack.length = depth + 1;
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim())) {
      if (method && method !== 'HEAD') out.push(`${method} ${path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
    }
  }
  return out;
}

let api: OfflineApi;
let doc: Document;
let routes: string[];

beforeAll(async () => {
  api = await buildOfflineApi();
  doc = JSON.parse(JSON.stringify(api.app.swagger())) as Document;
  routes = routerRoutes(api.app.printRoutes({ commonPrefix: false }));
});
afterAll(async () => {
  await api?.close();
});

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => methods.includes(method))
      .map(([method, op]) => ({ id: `${method.toUpperCase()} ${path}`, op })),
  );

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1.0, valid by the specification’s schema and rules', async () => {
    expect(doc.openapi).toBe('3.1.0');
    // validate() dereferences in place: give it a copy.
    const result = await validate(structuredClone(doc) as unknown as Parameters<typeof validate>[0]);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
    expect(result.warnings).toEqual([]);
  });

  it('is what GET /api/v1/openapi.json serves, without credentials', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(doc);
  });

  it('has every /api/v1 route of the router, with its method, and none the router lacks', () => {
    expect(routes).toContain('GET /healthz'); // the tree was read
    const api1 = routes.filter(
      (r) => r.split(' ')[1]!.startsWith('/api/v1/') && r !== 'GET /api/v1/openapi.json',
    );
    expect(api1.length).toBeGreaterThanOrEqual(19);
    const documented = operations().map((o) => o.id);
    expect([...documented].sort()).toEqual([...api1].sort());
  });

  it('gives every operation a summary and a tag', () => {
    for (const { id, op } of operations()) {
      expect(op.summary?.trim(), `${id} has no summary`).toBeTruthy();
      expect(op.tags?.length, `${id} has no tag`).toBeGreaterThan(0);
    }
  });

  it('describes every declared error response (4xx, 5xx) with the one ApiError schema', () => {
    expect(doc.components.schemas.ApiError).toBeDefined();
    let declared = 0;
    for (const { id, op } of operations()) {
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        if (!/^[45]/.test(status)) continue;
        declared++;
        const schema = response.content?.['application/json']?.schema;
        expect(schema?.$ref, `${id} ${status} is not an ApiError`).toBe(apiErrorRef);
      }
    }
    expect(declared).toBeGreaterThan(10);
  });
});

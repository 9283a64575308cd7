/**
 * The typed client of the platform API, for the dashboard, the CLI and the MCP server (DESIGN.md
 * §10): openapi-fetch over the types generated from the API's OpenAPI document. Regenerate both
 * with `npm run gen:client` after changing a route; a unit test fails while they are stale.
 */
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema.d.ts';

export type { components, paths };

export interface StoreplaneClientOptions {
  /** Where the API is, without /api/v1: e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  /**
   * A personal API token (`spt_…`), sent as `Authorization: Bearer`; or a function asked for it
   * at each request (the CLI's saved login, which another `storeplane login` can replace).
   * Absent (or none given): cookies, if any.
   */
  token?: string | (() => string | undefined);
  /** Another fetch (tests, a proxy agent); default: the global one. */
  fetch?: (input: Request) => Promise<Response>;
}

export type StoreplaneClient = Client<paths>;

/** A client of every /api/v1 operation, with typed paths, parameters, bodies and answers. */
export function createStoreplaneClient(o: StoreplaneClientOptions): StoreplaneClient {
  const client = createClient<paths>({
    baseUrl: o.baseUrl.replace(/\/+$/, ''),
    ...(o.fetch ? { fetch: o.fetch } : {}),
  });
  if (o.token !== undefined) client.use(bearer(o.token));
  return client;
}

function bearer(token: string | (() => string | undefined)): Middleware {
  return {
    onRequest({ request }) {
      const t = typeof token === 'function' ? token() : token;
      if (t) request.headers.set('authorization', `Bearer ${t}`);
      return request;
    },
  };
}

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;

/** The one error shape: `{error: {code, message, details?, requestId}}`. */
export type ApiErrorBody = components['schemas']['ApiError'];

export type Limits = Json<paths['/api/v1/limits']['get']['responses'][200]>;
export type LoginRequest = Json<NonNullable<paths['/api/v1/session']['post']['requestBody']>>;
export type SessionView = Json<paths['/api/v1/session']['get']['responses'][200]>;
export type UserView = SessionView['user'];

export type TokenView = Json<paths['/api/v1/tokens']['get']['responses'][200]>['tokens'][number];
export type CreateTokenRequest = Json<NonNullable<paths['/api/v1/tokens']['post']['requestBody']>>;
/** A token as created: its value is in this answer only. */
export type CreatedToken = Json<paths['/api/v1/tokens']['post']['responses'][201]>;

export type CreateUserRequest = Json<NonNullable<paths['/api/v1/users']['post']['requestBody']>>;
/** A user as created: `password` when the API generated one. */
export type CreatedUser = Json<paths['/api/v1/users']['post']['responses'][201]>;
export type UpdateUserRequest = Json<NonNullable<paths['/api/v1/users/{username}']['patch']['requestBody']>>;

export type StoreListQuery = NonNullable<paths['/api/v1/stores']['get']['parameters']['query']>;
export type StoreList = Json<paths['/api/v1/stores']['get']['responses'][200]>;
export type StoreSummary = Json<paths['/api/v1/stores']['post']['responses'][201]>;
export type StoreDetail = Json<paths['/api/v1/stores/{name}']['get']['responses'][200]>;
export type CreateStoreRequest = Json<NonNullable<paths['/api/v1/stores']['post']['requestBody']>>;
export type StorePhase = StoreSummary['phase'];
export type StoreEngine = StoreSummary['engine'];
export type StorePlan = StoreSummary['plan'];
export type PipelineStep = StoreDetail['pipeline'][number];
export type StoreEvents = Json<paths['/api/v1/stores/{name}/events']['get']['responses'][200]>;
export type StoreEvent = StoreEvents['events'][number];
export type StoreCredentials = Json<
  paths['/api/v1/stores/{name}/credentials/reveal']['post']['responses'][200]
>;

export type AuditQuery = NonNullable<paths['/api/v1/audit']['get']['parameters']['query']>;
export type AuditPage = Json<paths['/api/v1/audit']['get']['responses'][200]>;
export type AuditEntry = AuditPage['entries'][number];

import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { Compile } from 'typebox/compile';
import { storeApiVersion, storeKind } from '../../store/keys.ts';
import { displayNameRefusal, storeNameFrom, storeNamePattern, storeNameRefusal } from '../../store/naming.ts';
import { engines, plans, StoreSpec, type Store } from '../../store/schema.ts';
import { canSee, isAdmin } from '../identity/actor.ts';
import type { ApiContext } from '../context.ts';
import { ApiError, badRequest, conflict, storeNotFound } from '../http/errors.ts';
import { countStores, quotaRefusal } from '../limits/quotas.ts';
import { routeLimit } from '../limits/rate-limit.ts';
import { idempotencyHooks } from '../idempotency/idempotency.ts';
import { cachedSummary, StoreDetail, StoreSummary, storeDetail, storeSummary } from './view.ts';
import { CredentialsView, EventsView, eventView, ListQuery, pageOf } from './route-views.ts';

const ErrorRef = { $ref: 'ApiError#' };
const NameParams = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 64, pattern: storeNamePattern }),
});
const checkSpec = Compile(StoreSpec);

const CreateStoreBody = Type.Object(
  {
    name: Type.Optional(
      Type.String({
        maxLength: 64,
        description:
          'DNS label, 3-30 characters: lower-case letters, digits, "-". Derived from displayName when absent.',
      }),
    ),
    displayName: Type.String({ minLength: 1, maxLength: 80, description: 'Name shown to people.' }),
    engine: Type.Unsafe<(typeof engines)[number]>({ type: 'string', enum: [...engines] }),
    plan: Type.Optional(Type.Unsafe<(typeof plans)[number]>({ type: 'string', enum: [...plans] })),
  },
  { additionalProperties: false },
);

/** Stores: list, read, create, delete, retry, events, credentials. Another user's store is 404. */
export function storeRoutes(app: FastifyInstance, ctx: ApiContext) {
  const idem = idempotencyHooks(ctx.db, ctx.config.idempotencyTtlMs);

  /** The store if this caller may see it; otherwise the same 404 whether it exists or not. */
  const visibleStore = (request: FastifyRequest, name: string): Store => {
    request.auditTarget = `store:${name}`;
    const store = ctx.stores.get(name);
    if (!store || !canSee(request.actor!, store.spec.owner))
      throw storeNotFound(name, isAdmin(request.actor!));
    return store;
  };

  app.get(
    '/api/v1/stores',
    {
      schema: {
        tags: ['stores'],
        summary: 'Your stores (admins: every store, or one owner’s with ?owner=), by name, a page at a time.',
        querystring: ListQuery,
        response: {
          200: Type.Object({ stores: Type.Array(StoreSummary), continue: Type.Optional(Type.String()) }),
        },
      },
      config: { scope: 'stores:read' },
    },
    async (request) => {
      const q = request.query as {
        owner?: string;
        phase?: string;
        engine?: string;
        limit?: string;
        continue?: string;
      };
      const actor = request.actor!;
      const owner = isAdmin(actor) ? q.owner : actor.user.username;
      const page = pageOf(
        ctx.stores.list().filter((s) => owner === undefined || s.spec.owner === owner),
        q,
        cachedSummary,
      );
      return page;
    },
  );

  app.get(
    '/api/v1/stores/:name',
    {
      schema: {
        tags: ['stores'],
        summary:
          'One store: spec, phase, the provisioning pipeline, URLs, times, last failure with its fix, activity, releases.',
        params: NameParams,
        response: { 200: StoreDetail, 404: ErrorRef },
      },
      config: { scope: 'stores:read' },
    },
    async (request) => storeDetail(visibleStore(request, (request.params as { name: string }).name)),
  );

  app.post(
    '/api/v1/stores',
    {
      schema: {
        tags: ['stores'],
        summary: 'Create a store. Honors Idempotency-Key. The owner is the caller.',
        body: CreateStoreBody,
        headers: Type.Object({
          'idempotency-key': Type.Optional(
            Type.String({
              description:
                '1 to 255 printable ASCII characters; checked by the handler so that every bad key gets one answer.',
            }),
          ),
        }),
        response: {
          201: StoreSummary,
          400: ErrorRef,
          403: ErrorRef,
          409: ErrorRef,
          422: ErrorRef,
          429: ErrorRef,
          503: ErrorRef,
        },
      },
      config: {
        scope: 'stores:write',
        action: 'store.create',
        ...routeLimit('store creation', ctx.config.rateLimits.create),
      },
      preHandler: idem.preHandler,
      onSend: idem.onSend,
    },
    async (request, reply) => {
      const body = request.body as {
        name?: string;
        displayName: string;
        engine: (typeof engines)[number];
        plan?: (typeof plans)[number];
      };
      const actor = request.actor!;
      const displayNameProblem = displayNameRefusal(body.displayName);
      if (displayNameProblem) throw badRequest(displayNameProblem, { field: 'displayName' });
      const derived = body.name === undefined;
      const name = body.name ?? storeNameFrom(body.displayName);
      if (name === undefined) {
        throw badRequest(
          'No store name can be made from this display name (it needs at least 3 letters or digits a-z, 0-9): give a name.',
          {
            field: 'name',
          },
        );
      }
      const refusal = storeNameRefusal(name);
      if (refusal) throw badRequest(`${refusal[0]!.toUpperCase()}${refusal.slice(1)}.`, { field: 'name' });
      request.auditTarget = `store:${name}`;
      const spec = {
        engine: body.engine,
        displayName: body.displayName,
        owner: actor.user.username,
        plan: body.plan ?? 'small',
      };
      if (!checkSpec.Check(spec)) {
        const problems = [...checkSpec.Errors(spec)].map((e) => `${e.instancePath || 'spec'} ${e.message}`);
        throw badRequest(`Invalid store: ${problems.join('; ')}.`, { problems });
      }
      const store: Store = { apiVersion: storeApiVersion, kind: storeKind, metadata: { name }, spec };

      const created = await ctx.db.withLock('store-create', async () => {
        const counts = countStores(await ctx.cluster.listFresh(), actor.user.username);
        const refused = quotaRefusal(counts, ctx.config.limits, actor.user.storeLimit);
        if (refused) {
          ctx.metrics.quotaRefusals.inc({ limit: String(refused.details?.limit) });
          throw refused;
        }
        try {
          return await ctx.cluster.create(store);
        } catch (err) {
          if ((err as { code?: number }).code === 409) {
            throw conflict(
              'name_taken',
              derived
                ? `The name "${name}" (from the display name) is taken: give another name.`
                : `The name "${name}" is taken: choose another.`,
              { field: 'name' },
            );
          }
          throw err;
        }
      });
      ctx.stores.observe(created);
      request.auditDetails = { engine: spec.engine, plan: spec.plan };
      return reply.code(201).header('location', `/api/v1/stores/${name}`).send(storeSummary(created));
    },
  );

  app.delete(
    '/api/v1/stores/:name',
    {
      schema: {
        tags: ['stores'],
        summary: 'Delete a store and everything it owns. 202: it shows Deleting until its namespace is gone.',
        params: NameParams,
        response: { 202: StoreSummary, 404: ErrorRef },
      },
      config: { scope: 'stores:write', action: 'store.delete' },
    },
    async (request, reply) => {
      const store = visibleStore(request, (request.params as { name: string }).name);
      let left: Store | undefined = store;
      if (!store.metadata.deletionTimestamp) {
        try {
          left = await ctx.cluster.delete(store.metadata.name);
        } catch (err) {
          if ((err as { code?: number }).code !== 404) throw err;
          left = undefined;
        }
        // Held by the operator's finalizer: Deleting from this read on; gone at once (no finalizer
        // yet): gone from this read on. Either way no later read shows the store as it was.
        if (left) ctx.stores.observe(left);
        else ctx.stores.observeDeleted(store);
      }
      const was = left ?? store;
      const deleting = {
        ...was,
        metadata: {
          ...was.metadata,
          deletionTimestamp: was.metadata.deletionTimestamp ?? new Date().toISOString(),
        },
      };
      return reply.code(202).send(storeSummary(deleting));
    },
  );

  app.post(
    '/api/v1/stores/:name/retry',
    {
      schema: {
        tags: ['stores'],
        summary: 'Ask the operator to try again now (a Failed or Stalled store starts a new attempt).',
        params: NameParams,
        response: { 202: StoreSummary, 404: ErrorRef, 409: ErrorRef },
      },
      config: { scope: 'stores:write', action: 'store.retry' },
      preHandler: idem.preHandler,
      onSend: idem.onSend,
    },
    async (request, reply) => {
      const store = visibleStore(request, (request.params as { name: string }).name);
      if (store.metadata.deletionTimestamp)
        throw conflict('store_deleting', 'The store is being deleted; it cannot be retried.');
      const patched = await ctx.cluster.requestRetry(store.metadata.name, new Date().toISOString());
      ctx.stores.observe(patched);
      return reply.code(202).send(storeSummary(patched));
    },
  );

  app.get(
    '/api/v1/stores/:name/events',
    {
      schema: {
        tags: ['stores'],
        summary: 'Kubernetes Events of the store and of its namespace, newest first.',
        params: NameParams,
        response: { 200: EventsView, 404: ErrorRef },
      },
      config: { scope: 'stores:read' },
    },
    async (request) => {
      const store = visibleStore(request, (request.params as { name: string }).name);
      const events = (await ctx.cluster.events(store)).map(eventView);
      events.sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
      return { events: events.slice(0, 200) };
    },
  );

  app.post(
    '/api/v1/stores/:name/credentials/reveal',
    {
      schema: {
        tags: ['stores'],
        summary: 'The store admin’s login. Owner or admin only; audited; rate limited; never cached.',
        params: NameParams,
        response: { 200: CredentialsView, 404: ErrorRef, 409: ErrorRef, 429: ErrorRef },
      },
      config: {
        scope: 'credentials:reveal',
        action: 'store.credentials.reveal',
        ...routeLimit('credential reveals', ctx.config.rateLimits.reveal),
      },
    },
    async (request, reply) => {
      const store = visibleStore(request, (request.params as { name: string }).name);
      reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      const data = await ctx.cluster.credentials(store);
      if (!data?.['admin-password']) {
        throw new ApiError(
          409,
          'credentials_not_ready',
          'The store’s credentials do not exist yet; try again once it is provisioning.',
          {
            retryAfterSeconds: 10,
          },
          { 'retry-after': '10' },
        );
      }
      return {
        username: data['admin-user'] ?? data['admin-email'] ?? '',
        password: data['admin-password'],
        adminUrl: store.status?.adminUrl ?? null,
      };
    },
  );
}

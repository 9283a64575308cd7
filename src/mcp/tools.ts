import Type, { type TSchema } from 'typebox';
import type { StoreplaneClient } from '../api/client/client.ts';
import type { Connection } from '../client/connection.ts';
import { ok } from '../client/connection.ts';
import { ApiFailure } from '../client/failure.ts';
import { allStores } from '../client/stores.ts';
import { type WaitEvent, waitForStore } from '../client/wait.ts';
import { storeNameMax, storeNameMin, storeNamePattern } from '../store/naming.ts';
import { engines, phases, StoreSpec } from '../store/schema.ts';
import { stringEnum } from '../store/schema-kit.ts';

/**
 * The MCP tools: the same operations as the CLI, through the same API (so the same ownership,
 * limits and audit apply). Input schemas are built from the Store schema (src/store/schema.ts)
 * and the naming rules, so an agent is told exactly what the API will accept.
 */
export interface ToolContext {
  client: StoreplaneClient;
  connection: Connection;
  signal: AbortSignal;
  progress: (message: string, step: number) => void;
}

export interface Tool {
  name: string;
  title: string;
  description: string;
  inputSchema: TSchema;
  annotations: {
    readOnlyHint?: boolean;
    destructiveHint?: boolean;
    idempotentHint?: boolean;
    openWorldHint?: boolean;
  };
  run: (args: Record<string, unknown>, ctx: ToolContext) => Promise<unknown>;
}

const storeNameText = `The store's name: a DNS label, ${storeNameMin}-${storeNameMax} lower-case letters, digits and "-".`;
const storeName = Type.String({
  minLength: storeNameMin,
  maxLength: storeNameMax,
  pattern: storeNamePattern,
  description: storeNameText,
});
const { displayName, plan } = StoreSpec.properties;
const engine = stringEnum(engines, {
  description: 'woocommerce (WordPress + WooCommerce) or medusa (MedusaJS v2). Cannot change later.',
});

/** Thrown by a tool for a refusal of its own (the API's come as ApiFailure). */
export class ToolRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const byName = (args: Record<string, unknown>) => ({ params: { path: { name: args.name as string } } });

export const tools: Tool[] = [
  {
    name: 'list_stores',
    title: 'List stores',
    description:
      'The stores this token may see (an admin sees all), with phase, URLs and the last failure. Optional filters.',
    inputSchema: Type.Object(
      {
        phase: Type.Optional(stringEnum(phases, { description: 'Only stores in this phase.' })),
        engine: Type.Optional(engine),
      },
      { additionalProperties: false },
    ),
    annotations: { readOnlyHint: true, openWorldHint: false },
    async run(args, { client }) {
      const stores = await allStores(client, args as Parameters<typeof allStores>[1]);
      return { stores };
    },
  },
  {
    name: 'get_store',
    title: 'Get a store',
    description:
      'One store in full: phase, URLs, the provisioning pipeline (stage by stage), recent activity, release history, and when it failed: the reason and the fix.',
    inputSchema: Type.Object({ name: storeName }, { additionalProperties: false }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    run: (args, { client }) => ok(client.GET('/api/v1/stores/{name}', byName(args))),
  },
  {
    name: 'create_store',
    title: 'Create a store',
    description:
      'Ask for a new store. It is provisioned in the background (namespace, guardrails, Helm release, seed data): call wait_for_store next. Refusals name the limit (stores per user, stores provisioning at once, rate) and when to try again.',
    inputSchema: Type.Object(
      {
        displayName,
        engine,
        name: Type.Optional(
          Type.String({
            ...storeName,
            description: `${storeNameText} Derived from displayName when absent.`,
          }),
        ),
        plan: Type.Optional(plan),
      },
      { additionalProperties: false },
    ),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    async run(args, { client }) {
      const store = await ok(
        client.POST('/api/v1/stores', {
          body: {
            displayName: args.displayName as string,
            engine: args.engine as (typeof engines)[number],
            ...(args.name ? { name: args.name as string } : {}),
            ...(args.plan ? { plan: args.plan as 'small' } : {}),
          },
        }),
      );
      return { store, next: `Provisioning has started. Call wait_for_store with name "${store.name}".` };
    },
  },
  {
    name: 'delete_store',
    title: 'Delete a store',
    description:
      'Delete a store and everything it owns (its data cannot be recovered). To prevent accidents, `confirm` must repeat the store name exactly.',
    inputSchema: Type.Object(
      {
        name: storeName,
        confirm: Type.String({ maxLength: 64, description: 'The store name again, typed exactly.' }),
      },
      { additionalProperties: false },
    ),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    async run(args, { client }) {
      if (args.confirm !== args.name)
        throw new ToolRefusal(
          'confirmation_required',
          `Not deleted: "confirm" must repeat the store name "${String(args.name)}" exactly. Ask the user whether this store should really be deleted.`,
        );
      await ok(client.DELETE('/api/v1/stores/{name}', byName(args)));
      return {
        name: args.name,
        deleting: true,
        next: 'Call wait_for_store with for: "deleted" to know when it is gone.',
      };
    },
  },
  {
    name: 'wait_for_store',
    title: 'Wait for a store',
    description:
      'Wait until a store is Ready (or, with for: "deleted", gone), following its live status. Ends early when the store stalls (it needs a person: the reason and fix are returned, then retry_store). If the time runs out first, outcome is "timeout": call it again.',
    inputSchema: Type.Object(
      {
        name: storeName,
        for: Type.Optional(
          stringEnum(['ready', 'deleted'] as const, { default: 'ready', description: 'What to wait for.' }),
        ),
        timeoutSeconds: Type.Optional(
          Type.Integer({
            minimum: 1,
            maximum: 600,
            default: 50,
            description: 'At most this long (keep it under your client’s request timeout).',
          }),
        ),
      },
      { additionalProperties: false },
    ),
    annotations: { readOnlyHint: true, openWorldHint: false },
    async run(args, { client, connection, signal, progress }) {
      const want = (args.for as 'ready' | 'deleted' | undefined) ?? 'ready';
      const stages: string[] = [];
      // Progress must grow with every notification (MCP): one counter for all of them.
      let step = 0;
      const onEvent = (e: WaitEvent) => {
        if (e.type === 'stage') {
          stages.push(e.step.stage);
          progress(`${e.step.stage} done`, ++step);
        } else if (e.type === 'status')
          progress(`${e.store.phase}${e.store.stage ? ` (${e.store.stage})` : ''}`, ++step);
      };
      const r = await waitForStore({
        client,
        connection,
        name: args.name as string,
        want,
        timeoutMs: ((args.timeoutSeconds as number | undefined) ?? 50) * 1000,
        onEvent,
        signal,
      });
      const outcome = r.verdict === 'done' ? (want === 'ready' ? 'ready' : 'deleted') : r.verdict;
      const advice: Record<string, string> = {
        ready: 'The store is Ready: its url and adminUrl work.',
        deleted: 'The store and everything it owned are gone.',
        stalled:
          'The store failed and the operator stopped trying: apply lastFailure.fix, then call retry_store.',
        gone: 'The store is being deleted or is gone; it will not become Ready.',
        timeout: 'Not there yet; provisioning goes on. Call wait_for_store again.',
      };
      return { outcome, store: r.store ?? null, stagesCompleted: stages, next: advice[outcome] };
    },
  },
  {
    name: 'retry_store',
    title: 'Retry a store',
    description: 'Try a failed or stalled store again, after its cause was fixed. Then call wait_for_store.',
    inputSchema: Type.Object({ name: storeName }, { additionalProperties: false }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    run: async (args, { client }) => ({
      store: await ok(client.POST('/api/v1/stores/{name}/retry', byName(args))),
    }),
  },
  {
    name: 'store_events',
    title: "A store's Kubernetes events",
    description:
      "The Kubernetes events of a store's namespace and resources, newest first: what happened, and warnings that explain a failure.",
    inputSchema: Type.Object({ name: storeName }, { additionalProperties: false }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    run: (args, { client }) => ok(client.GET('/api/v1/stores/{name}/events', byName(args))),
  },
];

/** An error an agent can act on: the code, the words, and for limits which one and when to retry. */
export function errorResult(err: unknown): {
  code: string;
  message: string;
  status?: number;
  limit?: unknown;
  retryAfterSeconds?: number;
  details?: unknown;
} {
  if (err instanceof ApiFailure) {
    return {
      code: err.code,
      message: err.message,
      status: err.status,
      ...(err.details.limit !== undefined ? { limit: err.details.limit } : {}),
      ...(err.retryAfterSeconds !== undefined ? { retryAfterSeconds: err.retryAfterSeconds } : {}),
      ...(Object.keys(err.details).length ? { details: err.details } : {}),
    };
  }
  if (err instanceof ToolRefusal) return { code: err.code, message: err.message };
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}

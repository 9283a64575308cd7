import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { engineDrivers } from '../../store/engines.ts';
import { storeNameRefusal } from '../../store/naming.ts';
import { defaultPlans } from '../../store/plans.ts';
import { engines, plans } from '../../store/schema.ts';
import type { ApiContext } from '../context.ts';
const ErrorRef = { $ref: 'ApiError#' };
import { version } from '../version.ts';
import { Overview, platformOverview } from './overview.ts';

/** What a person sees in the create dialog for each engine. */
const engineBlurbs: Record<(typeof engines)[number], { title: string; description: string }> = {
  woocommerce: {
    title: 'WooCommerce',
    description: 'WordPress with WooCommerce and MariaDB: a classic shop with themes and plugins.',
  },
  medusa: {
    title: 'MedusaJS',
    description: 'Medusa v2 headless commerce on PostgreSQL, with a storefront and an admin app.',
  },
};

export const clusterKinds = ['simulated', 'kubernetes'] as const;

const PlatformInfo = Type.Object({
  version: Type.String(),
  cluster: Type.Object({
    kind: Type.Union(
      clusterKinds.map((k) => Type.Literal(k)),
      {
        description:
          'simulated: the local cluster of fake nodes, where stores become Ready without serving pages; kubernetes: a real cluster.',
      },
    ),
    realNode: Type.Boolean({
      description: 'The simulated cluster has a real node: MedusaJS stores there run for real.',
    }),
  }),
  engines: Type.Array(
    Type.Object({
      engine: Type.String(),
      title: Type.String(),
      description: Type.String(),
      adminPath: Type.String(),
    }),
  ),
  plans: Type.Array(
    Type.Object({ plan: Type.String(), cpu: Type.String(), memory: Type.String(), storage: Type.String() }),
  ),
});

const NameCheck = Type.Object({
  name: Type.String(),
  available: Type.Boolean(),
  problem: Type.Optional(Type.String({ description: 'Why the name cannot be used, in words.' })),
});

/** What the dashboard asks before it shows anything: the platform, a name's availability, the overview. */
export function platformRoutes(app: FastifyInstance, ctx: ApiContext) {
  app.get(
    '/api/v1/platform',
    {
      schema: {
        tags: ['platform'],
        summary: 'The platform: its version, the kind of cluster it runs on, the engines and the plans.',
        response: { 200: PlatformInfo },
      },
      config: { scope: 'stores:read' },
    },
    async () => ({
      version,
      cluster: ctx.config.cluster ?? { kind: 'kubernetes', realNode: false },
      engines: engines.map((engine) => ({
        engine,
        ...engineBlurbs[engine],
        adminPath: engineDrivers[engine].adminPath,
      })),
      plans: plans.map((plan) => {
        const q = defaultPlans[plan].quota;
        return { plan, cpu: q['requests.cpu'], memory: q['requests.memory'], storage: q['requests.storage'] };
      }),
    }),
  );

  app.get(
    '/api/v1/store-names/:name',
    {
      schema: {
        tags: ['stores'],
        summary:
          'Whether a store name can be used now: its format, reserved names, and stores that exist (of any owner, as a create would find).',
        params: Type.Object({ name: Type.String({ maxLength: 64 }) }),
        response: { 200: NameCheck },
      },
      config: { scope: 'stores:read' },
    },
    async (request) => {
      const { name } = request.params as { name: string };
      const refusal = storeNameRefusal(name);
      if (refusal)
        return { name, available: false, problem: `${refusal[0]!.toUpperCase()}${refusal.slice(1)}.` };
      if (ctx.stores.get(name))
        return { name, available: false, problem: `The name "${name}" is taken: choose another.` };
      return { name, available: true };
    },
  );

  app.get(
    '/api/v1/overview',
    {
      schema: {
        tags: ['platform'],
        summary:
          'The fleet at a glance (admins): stores by phase and engine, the cap, recent failures, provisioning times.',
        response: { 200: Overview, 403: ErrorRef },
      },
      config: { scope: 'admin' },
    },
    async () => platformOverview(ctx.stores.list(), ctx.config.limits.globalStoreCap),
  );
}

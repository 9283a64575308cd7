import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ApiContext } from '../context.ts';
import { ApiError, badRequest, conflict, notFound } from '../http/errors.ts';
import { hashPassword, passwordProblem } from './passwords.ts';
import { CreateUserBody, UpdateUserBody, UsernameParams, UserView, userView } from './views.ts';

const ErrorRef = { $ref: 'ApiError#' };

/** Admin endpoints: create, list, disable users and set their store limit. */
export function userRoutes(app: FastifyInstance, ctx: ApiContext) {
  app.get(
    '/api/v1/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Every user (admins).',
        response: { 200: Type.Object({ users: Type.Array(UserView) }), 403: ErrorRef },
      },
      config: { scope: 'admin' },
    },
    async () => ({ users: (await ctx.db.users.list()).map(userView) }),
  );

  app.post(
    '/api/v1/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Create a user (admins). Without a password, one is generated and returned once.',
        body: CreateUserBody,
        response: {
          201: Type.Intersect([UserView, Type.Object({ password: Type.Optional(Type.String()) })]),
          400: ErrorRef,
          409: ErrorRef,
        },
      },
      config: { scope: 'admin', action: 'user.create' },
    },
    async (request, reply) => {
      const body = request.body as {
        username: string;
        role?: 'admin' | 'member';
        password?: string;
        storeLimit?: number | null;
      };
      request.auditTarget = `user:${body.username}`;
      const problem = body.password !== undefined ? passwordProblem(body.password) : undefined;
      if (problem) throw badRequest(problem, { field: 'password' });
      if (await ctx.db.users.byUsername(body.username)) {
        throw conflict('user_exists', `A user named "${body.username}" exists.`, { field: 'username' });
      }
      const generated = body.password === undefined ? randomBytes(18).toString('base64url') : undefined;
      let user;
      try {
        user = await ctx.db.users.create({
          username: body.username,
          role: body.role ?? 'member',
          passwordHash: await hashPassword(body.password ?? generated!),
          storeLimit: body.storeLimit ?? null,
        });
      } catch (err) {
        // Two admins creating one name at once: the unique index decides.
        if (await ctx.db.users.byUsername(body.username)) {
          throw conflict('user_exists', `A user named "${body.username}" exists.`, { field: 'username' });
        }
        throw err;
      }
      request.auditDetails = { role: user.role, storeLimit: user.storeLimit };
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .header('location', `/api/v1/users/${encodeURIComponent(user.username)}`)
        .send({ ...userView(user), ...(generated ? { password: generated } : {}) });
    },
  );

  app.patch(
    '/api/v1/users/:username',
    {
      schema: {
        tags: ['users'],
        summary:
          'Disable or enable a user, change their role or store limit (admins). Disabling ends their sessions.',
        params: UsernameParams,
        body: UpdateUserBody,
        response: { 200: UserView, 400: ErrorRef, 404: ErrorRef },
      },
      config: { scope: 'admin', action: 'user.update' },
    },
    async (request) => {
      const { username } = request.params as { username: string };
      const patch = request.body as {
        disabled?: boolean;
        role?: 'admin' | 'member';
        storeLimit?: number | null;
      };
      request.auditTarget = `user:${username}`;
      request.auditDetails = { ...patch };
      const user = await ctx.db.users.byUsername(username);
      if (!user) throw notFound(`No user named "${username}".`);
      if (user.id === request.actor!.user.id && (patch.disabled || patch.role === 'member')) {
        throw new ApiError(
          400,
          'invalid_request',
          'You cannot disable or demote yourself; ask another admin.',
        );
      }
      const updated = await ctx.db.users.update(user.id, patch);
      if (patch.disabled) request.auditDetails.sessionsEnded = await ctx.db.sessions.destroyForUser(user.id);
      return userView(updated!);
    },
  );
}

import Type, { type Static } from 'typebox';
import { userNamePattern } from '../../store/naming.ts';
import type { ApiToken, User } from '../db/platform-db.ts';
import { passwordMax } from './passwords.ts';
import { tokenScopes } from './tokens.ts';

/** Request and response shapes of the identity routes (they feed the OpenAPI document). */
export const UserView = Type.Object({
  username: Type.String(),
  role: Type.Union([Type.Literal('admin'), Type.Literal('member')]),
  disabled: Type.Boolean(),
  storeLimit: Type.Union([Type.Integer(), Type.Null()], { description: 'Null: the platform default.' }),
  createdAt: Type.String({ format: 'date-time' }),
});
export type UserView = Static<typeof UserView>;

export const userView = (u: User): UserView => ({
  username: u.username,
  role: u.role,
  disabled: u.disabled,
  storeLimit: u.storeLimit,
  createdAt: u.createdAt,
});

export const Username = Type.String({ minLength: 1, maxLength: 64, pattern: `^${userNamePattern}$` });
export const Password = Type.String({ minLength: 1, maxLength: passwordMax });

export const LoginBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 128 }), password: Password },
  {
    additionalProperties: false,
  },
);

export const SessionView = Type.Object({
  user: UserView,
  via: Type.Union([Type.Literal('session'), Type.Literal('token')]),
  scopes: Type.Array(Type.String()),
  csrfToken: Type.Optional(
    Type.String({ description: 'Send as X-CSRF-Token on unsafe requests made with the session cookie.' }),
  ),
  limits: Type.Object({
    storeLimit: Type.Integer(),
    stores: Type.Integer({ description: 'Stores you own now.' }),
  }),
});

export const ScopeSchema = Type.Unsafe<(typeof tokenScopes)[number]>({
  type: 'string',
  enum: [...tokenScopes],
});

export const CreateTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64, pattern: '^[^\\x00-\\x1f\\x7f]+$' }),
    scopes: Type.Array(ScopeSchema, { minItems: 1, maxItems: tokenScopes.length, uniqueItems: true }),
    expiresInDays: Type.Optional(
      Type.Union([Type.Integer({ minimum: 1, maximum: 366 }), Type.Null()], {
        description: 'Days until the token stops working; null: never. Default 30.',
      }),
    ),
  },
  { additionalProperties: false },
);

export const TokenView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export const tokenView = (t: ApiToken) => ({
  id: t.id,
  name: t.name,
  scopes: t.scopes,
  createdAt: t.createdAt,
  expiresAt: t.expiresAt,
  lastUsedAt: t.lastUsedAt,
});

export const CreateUserBody = Type.Object(
  {
    username: Username,
    role: Type.Optional(Type.Union([Type.Literal('admin'), Type.Literal('member')])),
    password: Type.Optional(Password),
    storeLimit: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 10_000 }), Type.Null()])),
  },
  { additionalProperties: false },
);

export const UpdateUserBody = Type.Object(
  {
    disabled: Type.Optional(Type.Boolean()),
    role: Type.Optional(Type.Union([Type.Literal('admin'), Type.Literal('member')])),
    storeLimit: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 10_000 }), Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const UsernameParams = Type.Object({ username: Username });

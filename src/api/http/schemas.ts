import Type from 'typebox';

/** The one error shape, registered once and referenced by every route's 4xx responses. */
export const ApiErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String({
        description: 'Stable, machine-readable: e.g. store_limit_reached, rate_limited, name_taken.',
      }),
      message: Type.String({ description: 'For people: what happened and what to do.' }),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      requestId: Type.String(),
    }),
  },
  { $id: 'ApiError', title: 'ApiError' },
);

import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import {
  AUTHORIZATIONS_LIST_BOUND,
  type AuthorizationView,
  type Authorizations,
} from '../../domain/grants/personGrants.js';
import { Invalid } from '../../platform/errors.js';
import { principalOf } from '../../http/authenticate.js';

const TAGS = ['webex: authorizations'];

/** Every key present (wxc_sdk's pydantic model requires them; null allowed). */
const Authorization = Type.Object({
  id: Type.String(),
  applicationId: Type.String(),
  applicationName: Type.Union([Type.String(), Type.Null()]),
  orgId: Type.String(),
  personId: Type.String(),
  clientId: Type.String(),
  created: Type.String({ format: 'date-time' }),
  type: Type.Union([Type.Literal('refresh'), Type.Literal('access')]),
});

const ListQuery = Type.Object({
  personId: Type.Optional(Type.String({ maxLength: 128 })),
  personEmail: Type.Optional(Type.String({ maxLength: 320 })),
});

const DeleteQuery = Type.Object({
  clientId: Type.Optional(Type.String({ maxLength: 128 })),
  orgId: Type.Optional(Type.String({ maxLength: 128 })),
});

function toWebexAuthorization(view: AuthorizationView): Static<typeof Authorization> {
  return { ...view, created: new Date(view.created).toISOString() };
}

/** Webex /v1/authorizations: list, delete by id, delete by client (and org), tokenExpiry. */
export function authorizationRoutes(app: FastifyInstance, authorizations: Authorizations): void {
  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/v1/authorizations',
    {
      schema: {
        tags: TAGS,
        summary: 'List authorizations for a user',
        description: `Exactly one of personId or personEmail. Not paged: the person's newest ${AUTHORIZATIONS_LIST_BOUND} live grants; X-Keyward-Truncated: true when there are more.`,
        querystring: ListQuery,
        response: { 200: Type.Object({ items: Type.Array(Authorization) }) },
      },
    },
    async (request, reply) => {
      const { items, truncated } = await authorizations.list(principalOf(request), request.query);
      if (truncated) reply.header('X-Keyward-Truncated', 'true');
      return { items: items.map(toWebexAuthorization) };
    },
  );

  app.get(
    '/v1/authorizations/tokenExpiry',
    {
      schema: {
        tags: TAGS,
        summary: 'Get expiration status for a token',
        description: 'When the calling access token expires, epoch milliseconds.',
        response: { 200: Type.Object({ exp: Type.Number() }) },
      },
    },
    async (request) => authorizations.tokenExpiry(principalOf(request)),
  );

  app.delete<{ Params: { authorizationId: string }; Querystring: Static<typeof DeleteQuery> }>(
    '/v1/authorizations/:authorizationId',
    {
      schema: {
        tags: TAGS,
        summary: 'Delete an authorization',
        description:
          'A refresh grant takes every access grant issued under it along; an access grant only itself.',
        params: Type.Object({ authorizationId: Type.String({ maxLength: 128 }) }),
        querystring: DeleteQuery,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      if (request.query.clientId !== undefined || request.query.orgId !== undefined) {
        throw new Invalid(undefined, 'authorizationId cannot be combined with clientId or orgId.');
      }
      await authorizations.delete(principalOf(request), request.params.authorizationId);
      return reply.status(204).send();
    },
  );

  app.delete<{ Querystring: Static<typeof DeleteQuery> }>(
    '/v1/authorizations',
    {
      schema: {
        tags: TAGS,
        summary: 'Delete every authorization of a client in an organization',
        description:
          "clientId is required; orgId defaults to the caller's organization. Revokes the client's people's grants there and every access token issued to it there, client_credentials tokens included.",
        querystring: DeleteQuery,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await authorizations.deleteByClient(principalOf(request), request.query);
      return reply.status(204).send();
    },
  );
}

/**
 * /api/rest/v1/user/{userId}/authorisation/subject|object: the authorisations delegated to a user
 * (subject) or given by them (object). GET takes the list query; POST additionally takes JSON
 * criteria, as in Trivore's example `{"active": true}`.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Principal } from '../../domain/access/principal.js';
import type { AuthorisationServices } from '../../domain/relations/relationServices.js';
import { Invalid } from '../../platform/errors.js';
import { nullable } from '../../http/nullable.js';
import { principalOf } from '../../http/authenticate.js';
import { AuthorisationJson, toAuthorisationJson } from './authorisationSchemas.js';
import { envelope, envelopeSchema, ListQuery, toListRequest } from './paging.js';

const Params = Type.Object({ userId: Type.String({ minLength: 1, maxLength: 255 }) });
type Params = Static<typeof Params>;

const Criteria = nullable(
  Type.Object(
    {
      active: Type.Optional(Type.Boolean()),
      revoked: Type.Optional(Type.Boolean()),
      type: Type.Optional(Type.String({ maxLength: 100 })),
      authType: Type.Optional(Type.String({ maxLength: 100 })),
      authSource: Type.Optional(Type.String({ maxLength: 100 })),
      nsCode: Type.Optional(Type.String({ maxLength: 100 })),
    },
    { additionalProperties: false },
  ),
);
type Criteria = Static<typeof Criteria>;

export function userAuthorisationRoutes(app: FastifyInstance, area: AuthorisationServices): void {
  for (const side of ['subject', 'object'] as const) {
    const url = `/api/rest/v1/user/:userId/authorisation/${side}`;
    const summary =
      side === 'subject'
        ? 'Authorisations delegated to the user (subject.value = userId) (AUTHORISATION_VIEW)'
        : 'Authorisations given by the user (object.value = userId) (AUTHORISATION_VIEW)';
    const tags = ['trivore: authorisations'];
    const response = { 200: envelopeSchema(AuthorisationJson) };

    const handle = async (
      principal: Principal,
      params: Params,
      query: ListQuery,
      criteria: Criteria | undefined,
    ) => {
      const list = toListRequest(query);
      if (
        criteria?.type !== undefined &&
        criteria.authType !== undefined &&
        criteria.type !== criteria.authType
      ) {
        throw new Invalid('authType', 'differs from type; send one of them');
      }
      const { total, items } = await area.queries.listForUser(principal, params.userId, side, list, {
        active: criteria?.active,
        revoked: criteria?.revoked,
        type: criteria?.type ?? criteria?.authType,
        authSource: criteria?.authSource,
        nsCode: criteria?.nsCode,
      });
      return envelope(list, total, items.map(toAuthorisationJson));
    };

    app.get<{ Params: Params; Querystring: ListQuery }>(
      url,
      { schema: { tags, summary, params: Params, querystring: ListQuery, response } },
      async (request) => handle(principalOf(request), request.params, request.query, undefined),
    );
    app.post<{ Params: Params; Querystring: ListQuery; Body: Criteria | undefined }>(
      url,
      {
        schema: {
          tags,
          summary: `${summary}; JSON criteria: active, revoked, type, authSource, nsCode`,
          params: Params,
          querystring: ListQuery,
          body: Criteria,
          response,
        },
      },
      async (request) =>
        handle(principalOf(request), request.params, request.query, request.body ?? undefined),
    );
  }
}

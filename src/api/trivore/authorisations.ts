import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AuthorisationServices } from '../../domain/relations/relationServices.js';
import { nullable } from '../../http/nullable.js';
import { principalOf } from '../../http/authenticate.js';
import {
  AuthorisationBody,
  AuthorisationJson,
  toAuthorisationInput,
  toAuthorisationJson,
} from './authorisationSchemas.js';
import { envelope, envelopeSchema, ListQuery, toListRequest } from './paging.js';

const TAGS = ['trivore: authorisations'];
const BASE = '/api/rest/v1/authorisation';
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });
type IdParams = Static<typeof IdParams>;

const CheckQuery = Type.Object({
  'subject.value': Type.String({ minLength: 1, maxLength: 1000 }),
  'object.value': Type.String({ minLength: 1, maxLength: 1000 }),
  type: Type.String({ minLength: 1, maxLength: 100, description: 'authorisation type code' }),
  at: Type.Optional(Type.String({ maxLength: 100, description: 'ISO 8601 instant; default now' })),
});
type CheckQuery = Static<typeof CheckQuery>;

const RevokeBody = nullable(
  Type.Object(
    { cause: Type.Optional(nullable(Type.String({ maxLength: 1000 }))) },
    { additionalProperties: true },
  ),
);

export function authorisationRoutes(app: FastifyInstance, area: AuthorisationServices): void {
  app.get<{ Querystring: ListQuery }>(
    BASE,
    {
      schema: {
        tags: TAGS,
        summary: 'List authorisations (AUTHORISATION_VIEW)',
        querystring: ListQuery,
        response: { 200: envelopeSchema(AuthorisationJson) },
      },
    },
    async (request) => {
      const list = toListRequest(request.query);
      const { total, items } = await area.queries.list(principalOf(request), list);
      return envelope(list, total, items.map(toAuthorisationJson));
    },
  );

  app.post<{ Body: AuthorisationBody }>(
    BASE,
    {
      schema: {
        tags: TAGS,
        summary: 'Create an authorisation (AUTHORISATION_CREATE)',
        body: AuthorisationBody,
        response: { 201: AuthorisationJson },
      },
    },
    async (request, reply) => {
      const created = await area.records.create(principalOf(request), toAuthorisationInput(request.body));
      return reply.status(201).send(toAuthorisationJson(created));
    },
  );

  // Declared before /:id; Fastify prefers the static segment anyway.
  app.get<{ Querystring: CheckQuery }>(
    `${BASE}/check`,
    {
      schema: {
        tags: TAGS,
        summary:
          'Was an authorisation of this type from object to subject active now, or at `at`? (AUTHORISATION_VIEW)',
        querystring: CheckQuery,
        response: {
          200: Type.Object({
            active: Type.Boolean(),
            authorisationIds: Type.Array(Type.String()),
            at: Type.String({ format: 'date-time' }),
          }),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const result = await area.queries.check(principalOf(request), {
        subjectValue: q['subject.value'],
        objectValue: q['object.value'],
        type: q.type,
        at: q.at,
      });
      return {
        active: result.active,
        authorisationIds: result.authorisationIds,
        at: new Date(result.at).toISOString(),
      };
    },
  );

  app.get<{ Params: IdParams }>(
    `${BASE}/:id`,
    {
      schema: {
        tags: TAGS,
        summary: 'Get an authorisation (AUTHORISATION_VIEW)',
        params: IdParams,
        response: { 200: AuthorisationJson },
      },
    },
    async (request) => toAuthorisationJson(await area.records.get(principalOf(request), request.params.id)),
  );

  app.put<{ Params: IdParams; Body: AuthorisationBody }>(
    `${BASE}/:id`,
    {
      schema: {
        tags: TAGS,
        summary: 'Replace an authorisation (AUTHORISATION_MODIFY); revoked ones cannot change',
        params: IdParams,
        body: AuthorisationBody,
        response: { 200: AuthorisationJson },
      },
    },
    async (request) =>
      toAuthorisationJson(
        await area.records.replace(
          principalOf(request),
          request.params.id,
          toAuthorisationInput(request.body),
        ),
      ),
  );

  app.delete<{ Params: IdParams }>(
    `${BASE}/:id`,
    { schema: { tags: TAGS, summary: 'Delete an authorisation (AUTHORISATION_DELETE)', params: IdParams } },
    async (request, reply) => {
      await area.records.delete(principalOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.post<{ Params: IdParams; Body: Static<typeof RevokeBody> | undefined }>(
    `${BASE}/:id/revoke`,
    {
      schema: {
        tags: TAGS,
        summary:
          'Revoke an authorisation with an optional cause (AUTHORISATION_REVOKE); a second revoke is 409',
        params: IdParams,
        body: RevokeBody,
        response: { 200: AuthorisationJson },
      },
    },
    async (request) => {
      const cause = request.body?.cause ?? undefined;
      return toAuthorisationJson(await area.records.revoke(principalOf(request), request.params.id, cause));
    },
  );
}

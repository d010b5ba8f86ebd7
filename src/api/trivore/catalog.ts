/** /api/rest/v1/authorisation_type and /api/rest/v1/authorisation_source: the same shape and rules. */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AuthorisationCatalog, CatalogEntry, CatalogInput } from '../../domain/relations/catalog.js';
import { Invalid } from '../../platform/errors.js';
import { nullable } from '../../http/nullable.js';
import { principalOf } from '../../http/authenticate.js';
import { envelope, envelopeSchema, ListQuery, toListRequest } from './paging.js';

const iso = (ms: number) => new Date(ms).toISOString();
const LocalizedName = Type.Object({
  locale: Type.String({ maxLength: 35 }),
  value: Type.String({ maxLength: 500 }),
});

export const CatalogJson = Type.Object({
  id: Type.String(),
  nsCode: Type.String(),
  code: Type.String(),
  name: Type.Optional(Type.String()),
  names: Type.Array(LocalizedName),
  description: Type.Optional(Type.String()),
  metadata: Type.Optional(Type.Object({}, { additionalProperties: true })),
  meta: Type.Object({
    created: Type.String({ format: 'date-time' }),
    lastModified: Type.String({ format: 'date-time' }),
  }),
});

const CatalogBody = Type.Object(
  {
    code: Type.Optional(Type.String({ maxLength: 100 })),
    nsCode: Type.Optional(Type.String({ maxLength: 100 })),
    name: Type.Optional(nullable(Type.String({ maxLength: 500 }))),
    names: Type.Optional(nullable(Type.Array(LocalizedName, { maxItems: 50 }))),
    description: Type.Optional(nullable(Type.String({ maxLength: 4000 }))),
    metadata: Type.Optional(nullable(Type.Object({}, { additionalProperties: true }))),
  },
  { additionalProperties: true },
);
type CatalogBody = Static<typeof CatalogBody>;

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });
type IdParams = Static<typeof IdParams>;

function toJson(e: CatalogEntry): Static<typeof CatalogJson> {
  return {
    id: e.id,
    nsCode: e.nsCode,
    code: e.code,
    ...(e.name !== null ? { name: e.name } : {}),
    names: e.names,
    ...(e.description !== null ? { description: e.description } : {}),
    ...(e.metadata !== null ? { metadata: e.metadata } : {}),
    meta: { created: iso(e.created), lastModified: iso(e.lastModified) },
  };
}

function toInput(body: CatalogBody | undefined): CatalogInput {
  if (body === undefined || body === null || typeof body !== 'object') {
    throw new Invalid(undefined, 'The request body must be a JSON object.');
  }
  return {
    code: body.code,
    nsCode: body.nsCode,
    name: body.name,
    names: body.names,
    description: body.description,
    metadata: body.metadata as Record<string, unknown> | null | undefined,
  };
}

/** Registers list/get/create/update/delete for one catalog under `/api/rest/v1/authorisation_<kind>`. */
export function catalogRoutes(app: FastifyInstance, catalog: AuthorisationCatalog): void {
  const kind = catalog.kind;
  const base = `/api/rest/v1/authorisation_${kind}`;
  const perm = `AUTHORISATION_${kind.toUpperCase()}`;
  const tags = [`trivore: authorisation ${kind}s`];

  app.get<{ Querystring: ListQuery }>(
    base,
    {
      schema: {
        tags,
        summary: `List authorisation ${kind}s (${perm}_VIEW); filter on id, code, nsCode, name, description, meta.*`,
        querystring: ListQuery,
        response: { 200: envelopeSchema(CatalogJson) },
      },
    },
    async (request) => {
      const list = toListRequest(request.query);
      const { total, items } = await catalog.list(principalOf(request), list);
      return envelope(list, total, items.map(toJson));
    },
  );

  app.post<{ Body: CatalogBody }>(
    base,
    {
      schema: {
        tags,
        summary: `Create an authorisation ${kind} (${perm}_CREATE)`,
        body: CatalogBody,
        response: { 201: CatalogJson },
      },
    },
    async (request, reply) =>
      reply.status(201).send(toJson(await catalog.create(principalOf(request), toInput(request.body)))),
  );

  app.get<{ Params: IdParams }>(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: `Get an authorisation ${kind} (${perm}_VIEW)`,
        params: IdParams,
        response: { 200: CatalogJson },
      },
    },
    async (request) => toJson(await catalog.get(principalOf(request), request.params.id)),
  );

  app.put<{ Params: IdParams; Body: CatalogBody }>(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: `Replace an authorisation ${kind} (${perm}_MODIFY)`,
        params: IdParams,
        body: CatalogBody,
        response: { 200: CatalogJson },
      },
    },
    async (request) =>
      toJson(await catalog.update(principalOf(request), request.params.id, toInput(request.body))),
  );

  app.delete<{ Params: IdParams }>(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: `Delete an unused authorisation ${kind} (${perm}_DELETE); 409 when in use`,
        params: IdParams,
      },
    },
    async (request, reply) => {
      await catalog.delete(principalOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
}

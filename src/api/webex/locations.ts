import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { LocationRow, Locations } from '../../domain/places/locations.js';
import { principalOf } from '../../http/authenticate.js';
import { nullable } from '../../http/nullable.js';
import { decodeCursor, pageOf } from './paging.js';

const TAGS = ['webex: locations'];

const Address = Type.Object(
  {
    address1: Type.Optional(Type.String({ maxLength: 256 })),
    address2: Type.Optional(Type.String({ maxLength: 256 })),
    city: Type.Optional(Type.String({ maxLength: 256 })),
    state: Type.Optional(Type.String({ maxLength: 256 })),
    postalCode: Type.Optional(Type.String({ maxLength: 64 })),
    country: Type.Optional(Type.String({ maxLength: 2 })),
  },
  { additionalProperties: false },
);

const Location = Type.Object({
  id: Type.String(),
  name: Type.String(),
  orgId: Type.String(),
  address: Address,
  timeZone: Type.Optional(Type.String()),
});

/** Unknown keys (Webex's preferredLanguage, latitude …) are accepted and ignored. */
const LocationBody = Type.Object({
  name: Type.String({ maxLength: 1000 }),
  address: Address,
  timeZone: Type.Optional(nullable(Type.String({ maxLength: 64 }))),
});

const OrgQuery = Type.Object({ orgId: Type.Optional(Type.String({ maxLength: 128 })) });
const ListQuery = Type.Object({
  orgId: Type.Optional(Type.String({ maxLength: 128 })),
  name: Type.Optional(Type.String({ maxLength: 256 })),
  id: Type.Optional(Type.String({ maxLength: 128 })),
  max: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});
const Params = Type.Object({ locationId: Type.String({ maxLength: 128 }) });

export function toWebexLocation(row: LocationRow): Static<typeof Location> {
  return {
    id: row.id,
    name: row.name,
    orgId: row.org_id,
    address: JSON.parse(row.address),
    ...(row.time_zone ? { timeZone: row.time_zone } : {}),
  };
}

/** Webex /v1/locations: list (Link paging), get, create, update (PUT). */
export function locationRoutes(app: FastifyInstance, locations: Locations): void {
  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/v1/locations',
    {
      schema: {
        tags: TAGS,
        summary: 'List locations',
        querystring: ListQuery,
        response: { 200: Type.Object({ items: Type.Array(Location) }) },
      },
    },
    async (request, reply) => {
      const { cursor, max = 100, ...filters } = request.query;
      const rows = await locations.list(principalOf(request), {
        ...filters,
        max,
        after: decodeCursor(cursor),
      });
      return { items: pageOf(request, reply, rows, max, (r) => r.id).map(toWebexLocation) };
    },
  );

  app.post<{ Querystring: Static<typeof OrgQuery>; Body: Static<typeof LocationBody> }>(
    '/v1/locations',
    {
      schema: {
        tags: TAGS,
        summary: 'Create a location',
        querystring: OrgQuery,
        body: LocationBody,
        response: { 200: Location },
      },
    },
    async (request) =>
      toWebexLocation(
        await locations.create(principalOf(request), { ...request.body, orgId: request.query.orgId }),
      ),
  );

  app.get<{ Params: Static<typeof Params>; Querystring: Static<typeof OrgQuery> }>(
    '/v1/locations/:locationId',
    {
      schema: {
        tags: TAGS,
        summary: 'Get a location',
        params: Params,
        querystring: OrgQuery,
        response: { 200: Location },
      },
    },
    async (request) =>
      toWebexLocation(
        await locations.get(principalOf(request), request.params.locationId, request.query.orgId),
      ),
  );

  app.put<{
    Params: Static<typeof Params>;
    Querystring: Static<typeof OrgQuery>;
    Body: Static<typeof LocationBody>;
  }>(
    '/v1/locations/:locationId',
    {
      schema: {
        tags: TAGS,
        summary: 'Update a location (name, address, timeZone)',
        params: Params,
        querystring: OrgQuery,
        body: LocationBody,
        response: { 200: Location },
      },
    },
    async (request) =>
      toWebexLocation(
        await locations.update(principalOf(request), request.params.locationId, {
          ...request.body,
          orgId: request.query.orgId,
        }),
      ),
  );
}

import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { PeopleAdmin } from '../../domain/people/people.js';
import { parseRoles } from '../../domain/access/roles.js';
import type { PersonRow } from '../../store/schema.js';
import { principalOf } from '../../http/authenticate.js';
import { nullable } from '../../http/nullable.js';
import { decodeCursor, pageOf } from './paging.js';

const TAGS = ['webex: people'];

const Person = Type.Object({
  id: Type.String(),
  emails: Type.Array(Type.String()),
  displayName: Type.String(),
  firstName: nullable(Type.String()),
  lastName: nullable(Type.String()),
  orgId: Type.String(),
  roles: Type.Array(Type.String()),
  type: Type.Literal('person'),
  status: Type.String(),
  loginEnabled: Type.Boolean(),
  created: Type.String({ format: 'date-time' }),
  lastModified: Type.String({ format: 'date-time' }),
});

/** Create and PUT body. Unknown keys (a GET result sent back, as Webex clients do) are ignored. */
const PersonBody = Type.Object({
  emails: Type.Array(Type.String({ maxLength: 320 }), { maxItems: 10 }),
  displayName: Type.Optional(nullable(Type.String({ maxLength: 1000 }))),
  firstName: Type.Optional(nullable(Type.String({ maxLength: 1000 }))),
  lastName: Type.Optional(nullable(Type.String({ maxLength: 1000 }))),
  roles: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 20 })),
  orgId: Type.Optional(Type.String({ maxLength: 128 })),
  status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('inactive')])),
});

const ListQuery = Type.Object({
  email: Type.Optional(Type.String({ maxLength: 320 })),
  displayName: Type.Optional(Type.String({ maxLength: 256 })),
  id: Type.Optional(Type.String({ maxLength: 4000 })),
  orgId: Type.Optional(Type.String({ maxLength: 128 })),
  roles: Type.Optional(Type.String({ maxLength: 512 })),
  max: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

const Params = Type.Object({ personId: Type.String({ maxLength: 128 }) });
const NoContent = { 204: Type.Null() };

export function toWebexPerson(row: PersonRow): Static<typeof Person> {
  return {
    id: row.id,
    emails: [row.email],
    displayName: row.display_name ?? row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    orgId: row.org_id,
    roles: parseRoles(row.roles),
    type: 'person',
    status: row.status,
    loginEnabled: row.status === 'active',
    created: new Date(row.created_at).toISOString(),
    lastModified: new Date(row.updated_at).toISOString(),
  };
}

/** Webex /v1/people (list with Link paging, get, create, PUT, delete, me) and Keyward's password extensions. */
export function peopleRoutes(app: FastifyInstance, people: PeopleAdmin): void {
  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/v1/people',
    {
      schema: {
        tags: TAGS,
        summary: 'List people',
        description:
          'Filters: email (exact), displayName (prefix, case-insensitive), id (comma list, ≤85; ids that are no person of the org come back in notFoundIds), roles (any of), orgId (partners). Non-admins must pass email, displayName or id. Next page in the Link header.',
        querystring: ListQuery,
        response: {
          200: Type.Object({
            items: Type.Array(Person),
            notFoundIds: Type.Optional(Type.Array(Type.String())),
          }),
        },
      },
    },
    async (request, reply) => {
      const { cursor, max = 100, ...filters } = request.query;
      const { rows, notFoundIds } = await people.list(principalOf(request), {
        ...filters,
        max,
        after: decodeCursor(cursor),
      });
      const items = pageOf(request, reply, rows, max, (r) => r.id).map(toWebexPerson);
      return notFoundIds ? { items, notFoundIds } : { items };
    },
  );

  app.post<{ Body: Static<typeof PersonBody> }>(
    '/v1/people',
    {
      schema: {
        tags: TAGS,
        summary: 'Create a person',
        body: PersonBody,
        response: { 200: Person },
      },
    },
    async (request) => toWebexPerson(await people.create(principalOf(request), request.body)),
  );

  app.get(
    '/v1/people/me',
    { schema: { tags: TAGS, summary: 'The calling person', response: { 200: Person } } },
    async (request) => toWebexPerson(await people.me(principalOf(request))),
  );

  app.post<{ Body: { currentPassword: string; newPassword: string } }>(
    '/v1/people/me/password',
    {
      schema: {
        tags: TAGS,
        summary: 'Change one’s own password (Keyward extension)',
        body: Type.Object(
          {
            currentPassword: Type.String({ maxLength: 1024 }),
            newPassword: Type.String({ maxLength: 1024 }),
          },
          { additionalProperties: false },
        ),
        response: NoContent,
      },
    },
    async (request, reply) => {
      await people.changeOwnPassword(
        principalOf(request),
        request.body.currentPassword,
        request.body.newPassword,
      );
      return reply.status(204).send();
    },
  );

  app.get<{ Params: Static<typeof Params> }>(
    '/v1/people/:personId',
    { schema: { tags: TAGS, summary: 'Get a person', params: Params, response: { 200: Person } } },
    async (request) => toWebexPerson(await people.get(principalOf(request), request.params.personId)),
  );

  app.put<{ Params: Static<typeof Params>; Body: Static<typeof PersonBody> }>(
    '/v1/people/:personId',
    {
      schema: {
        tags: TAGS,
        summary: 'Replace a person (full replace: fields left out are removed; status left out is kept)',
        params: Params,
        body: PersonBody,
        response: { 200: Person },
      },
    },
    async (request) =>
      toWebexPerson(await people.replace(principalOf(request), request.params.personId, request.body)),
  );

  app.delete<{ Params: Static<typeof Params> }>(
    '/v1/people/:personId',
    { schema: { tags: TAGS, summary: 'Delete a person', params: Params, response: NoContent } },
    async (request, reply) => {
      await people.delete(principalOf(request), request.params.personId);
      return reply.status(204).send();
    },
  );

  app.put<{ Params: Static<typeof Params>; Body: { password: string } }>(
    '/v1/people/:personId/password',
    {
      schema: {
        tags: TAGS,
        summary: 'Set a person’s password (Keyward extension, admins)',
        params: Params,
        body: Type.Object({ password: Type.String({ maxLength: 1024 }) }, { additionalProperties: false }),
        response: NoContent,
      },
    },
    async (request, reply) => {
      await people.setPassword(principalOf(request), request.params.personId, request.body.password);
      return reply.status(204).send();
    },
  );
}

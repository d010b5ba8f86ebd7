import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { authorize } from '../../domain/access/matrix.js';
import type { CustomerOrganizations } from '../../domain/organizations/customerOrganizations.js';
import type { Organizations } from '../../domain/organizations/organizations.js';
import type { OrganizationRow } from '../../store/schema.js';
import { principalOf } from '../../http/authenticate.js';
import { decodeCursor, pageOf } from './paging.js';

const Organization = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  code: Type.String(),
  parentId: Type.Optional(Type.String()),
  created: Type.String({ format: 'date-time' }),
});

export function toWebexOrganization(row: OrganizationRow): Static<typeof Organization> {
  return {
    id: row.id,
    displayName: row.name,
    code: row.code,
    ...(row.parent_id ? { parentId: row.parent_id } : {}),
    created: new Date(row.created_at).toISOString(),
  };
}

const ListQuery = Type.Object({
  max: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

export function organizationRoutes(app: FastifyInstance, organizations: Organizations): void {
  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/v1/organizations',
    {
      schema: {
        tags: ['webex: organizations'],
        summary: 'List organizations visible to the caller',
        querystring: ListQuery,
        response: { 200: Type.Object({ items: Type.Array(Organization) }) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      authorize(principal, 'organizations.read');
      const max = request.query.max ?? 100;
      // One row more than the page: the next page is announced only when it exists.
      const rows = await organizations.list(principal, {
        after: decodeCursor(request.query.cursor),
        max: max + 1,
      });
      return { items: pageOf(request, reply, rows, max, (r) => r.id).map(toWebexOrganization) };
    },
  );

  app.get<{ Params: { orgId: string } }>(
    '/v1/organizations/:orgId',
    {
      schema: {
        tags: ['webex: organizations'],
        summary: 'Get an organization',
        params: Type.Object({ orgId: Type.String({ maxLength: 128 }) }),
        response: { 200: Organization },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      authorize(principal, 'organizations.read');
      return toWebexOrganization(await organizations.get(principal, request.params.orgId));
    },
  );
}

const NewOrganization = Type.Object({
  displayName: Type.String({ maxLength: 1000 }),
  code: Type.Optional(Type.String({ maxLength: 63 })),
});

/** Keyward extension: a partner's full admin creates a customer organization under its own org. */
export function organizationCreateRoute(app: FastifyInstance, customers: CustomerOrganizations): void {
  app.post<{ Body: Static<typeof NewOrganization> }>(
    '/v1/organizations',
    {
      schema: {
        tags: ['webex: organizations'],
        summary: 'Create a customer organization (Keyward extension, partner full admins)',
        body: NewOrganization,
        response: { 201: Organization },
      },
    },
    async (request, reply) => {
      const org = await customers.createCustomer(principalOf(request), {
        name: request.body.displayName,
        code: request.body.code,
      });
      return reply.status(201).send(toWebexOrganization(org));
    },
  );
}

import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { WorkspaceRow, Workspaces } from '../../domain/places/workspaces.js';
import { principalOf } from '../../http/authenticate.js';
import { nullable } from '../../http/nullable.js';
import { decodeCursor, pageOf } from './paging.js';

const TAGS = ['webex: workspaces'];

const Workspace = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  orgId: Type.String(),
  locationId: Type.Optional(Type.String()),
  created: Type.String({ format: 'date-time' }),
});

const WorkspaceBody = Type.Object({
  displayName: Type.String({ maxLength: 1000 }),
  locationId: Type.Optional(nullable(Type.String({ maxLength: 128 }))),
  orgId: Type.Optional(Type.String({ maxLength: 128 })),
});

const ListQuery = Type.Object({
  orgId: Type.Optional(Type.String({ maxLength: 128 })),
  displayName: Type.Optional(Type.String({ maxLength: 256 })),
  locationId: Type.Optional(Type.String({ maxLength: 128 })),
  max: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});
const Params = Type.Object({ workspaceId: Type.String({ maxLength: 128 }) });

export function toWebexWorkspace(row: WorkspaceRow): Static<typeof Workspace> {
  return {
    id: row.id,
    displayName: row.display_name,
    orgId: row.org_id,
    ...(row.location_id ? { locationId: row.location_id } : {}),
    created: new Date(row.created_at).toISOString(),
  };
}

/** Webex /v1/workspaces: list (Link paging), get, create, delete. */
export function workspaceRoutes(app: FastifyInstance, workspaces: Workspaces): void {
  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/v1/workspaces',
    {
      schema: {
        tags: TAGS,
        summary: 'List workspaces',
        querystring: ListQuery,
        response: { 200: Type.Object({ items: Type.Array(Workspace) }) },
      },
    },
    async (request, reply) => {
      const { cursor, max = 100, ...filters } = request.query;
      const rows = await workspaces.list(principalOf(request), {
        ...filters,
        max,
        after: decodeCursor(cursor),
      });
      return { items: pageOf(request, reply, rows, max, (r) => r.id).map(toWebexWorkspace) };
    },
  );

  app.post<{ Body: Static<typeof WorkspaceBody> }>(
    '/v1/workspaces',
    {
      schema: {
        tags: TAGS,
        summary: 'Create a workspace',
        body: WorkspaceBody,
        response: { 200: Workspace },
      },
    },
    async (request) => toWebexWorkspace(await workspaces.create(principalOf(request), request.body)),
  );

  app.get<{ Params: Static<typeof Params> }>(
    '/v1/workspaces/:workspaceId',
    { schema: { tags: TAGS, summary: 'Get a workspace', params: Params, response: { 200: Workspace } } },
    async (request) =>
      toWebexWorkspace(await workspaces.get(principalOf(request), request.params.workspaceId)),
  );

  app.delete<{ Params: Static<typeof Params> }>(
    '/v1/workspaces/:workspaceId',
    {
      schema: { tags: TAGS, summary: 'Delete a workspace', params: Params, response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      await workspaces.delete(principalOf(request), request.params.workspaceId);
      return reply.status(204).send();
    },
  );
}

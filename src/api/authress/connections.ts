import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ConnectionServices } from '../../domain/connections/connectionServices.js';
import type { SecretBox } from '../../platform/crypto/masterKey.js';
import { Invalid } from '../../platform/errors.js';
import { principalOf } from '../../http/authenticate.js';
import {
  ConnectionBody,
  ConnectionCollection,
  ConnectionJson,
  toConnectionInput,
  toConnectionJson,
} from './connectionSchemas.js';
import { decodeCursor, DEFAULT_LIMIT, encodeCursor, MAX_LIMIT, pageLinks } from './paging.js';

const TAGS = ['authress: connections'];
const BASE = '/v1/connections';
/** Authress answers with application/links+json (its SDKs ask for it). */
const LINKS_JSON = 'application/links+json; charset=utf-8';
const OrgQuery = Type.Object({
  orgId: Type.Optional(
    Type.String({
      maxLength: 128,
      description: 'Keyward: act in a customer organization (partner full admins)',
    }),
  ),
});
type OrgQuery = Static<typeof OrgQuery>;
const IdParams = Type.Object({ connectionId: Type.String({ minLength: 1, maxLength: 64 }) });
type IdParams = Static<typeof IdParams>;
const ListQuery = Type.Object({
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: MAX_LIMIT, description: `page size, default ${DEFAULT_LIMIT}` }),
  ),
  cursor: Type.Optional(
    Type.String({ maxLength: 2048, description: 'pagination.next.cursor of the previous page' }),
  ),
  filter: Type.Optional(
    Type.String({ maxLength: 256, description: 'case-insensitive text matched in every text field' }),
  ),
  orgId: OrgQuery.properties.orgId,
});
type ListQuery = Static<typeof ListQuery>;

const serialise = (c: Parameters<typeof toConnectionJson>[0]) => JSON.stringify(toConnectionJson(c));

export function connectionRoutes(app: FastifyInstance, area: ConnectionServices, box: SecretBox): void {
  // The JS SDK's getConnections() sends GET /v1/connections/ (ignoreTrailingSlash matches it).
  app.get<{ Querystring: ListQuery }>(
    BASE,
    {
      schema: {
        tags: TAGS,
        summary: 'List SSO connections (connections:read)',
        querystring: ListQuery,
        response: { 200: ConnectionCollection },
      },
    },
    async (request, reply) => {
      const { limit = DEFAULT_LIMIT, filter, orgId } = request.query;
      const cursor = decodeCursor(box, request.query.cursor);
      const text = (filter ?? cursor?.filter ?? '').trim();
      if (cursor && cursor.filter !== text)
        throw new Invalid('cursor', 'belongs to a listing with another filter');
      const page = await area.records.list(principalOf(request), {
        orgId,
        after: cursor?.after,
        limit,
        filter: text,
      });
      if (cursor && cursor.orgId !== page.orgId)
        throw new Invalid('cursor', 'belongs to a listing of another organization');
      const next =
        page.nextAfter === undefined
          ? undefined
          : encodeCursor(box, { after: page.nextAfter, orgId: page.orgId, filter: text });
      return reply.type(LINKS_JSON).send({
        connections: page.connections.map(toConnectionJson),
        pagination: next ? { next: { cursor: next } } : {},
        links: pageLinks(request, next, limit),
      });
    },
  );

  app.post<{ Body: ConnectionBody; Querystring: OrgQuery }>(
    BASE,
    {
      schema: {
        tags: TAGS,
        summary: 'Create an SSO connection (connections:write)',
        body: ConnectionBody,
        querystring: OrgQuery,
        response: { 201: ConnectionJson },
      },
    },
    async (request, reply) => {
      // The body is serialised inside the transaction, before COMMIT (Connections.create): the SDK
      // retries POST on any 5xx, so nothing that could fail may run after the commit.
      const body = await area.records.create(
        principalOf(request),
        toConnectionInput(request.body),
        request.query.orgId,
        serialise,
      );
      return reply.status(201).type(LINKS_JSON).send(body);
    },
  );

  app.get<{ Params: IdParams; Querystring: OrgQuery }>(
    `${BASE}/:connectionId`,
    {
      schema: {
        tags: TAGS,
        summary: 'Get an SSO connection (connections:read)',
        params: IdParams,
        querystring: OrgQuery,
        response: { 200: ConnectionJson },
      },
    },
    async (request, reply) => {
      const connection = await area.records.get(
        principalOf(request),
        request.params.connectionId,
        request.query.orgId,
      );
      return reply.type(LINKS_JSON).send(toConnectionJson(connection));
    },
  );

  app.put<{ Params: IdParams; Body: ConnectionBody; Querystring: OrgQuery }>(
    `${BASE}/:connectionId`,
    {
      schema: {
        tags: TAGS,
        summary: 'Replace an SSO connection (connections:write); an absent clientSecret keeps the stored one',
        params: IdParams,
        body: ConnectionBody,
        querystring: OrgQuery,
        response: { 200: ConnectionJson },
      },
    },
    async (request, reply) => {
      // Serialised before COMMIT, as for POST: the SDK retries PUT on any 5xx.
      const body = await area.records.replace(
        principalOf(request),
        request.params.connectionId,
        toConnectionInput(request.body),
        request.query.orgId,
        serialise,
      );
      return reply.type(LINKS_JSON).send(body);
    },
  );

  app.delete<{ Params: IdParams; Querystring: OrgQuery }>(
    `${BASE}/:connectionId`,
    {
      schema: {
        tags: TAGS,
        summary: "Delete an SSO connection and its users' stored credentials (connections:write)",
        params: IdParams,
        querystring: OrgQuery,
      },
    },
    async (request, reply) => {
      await area.records.delete(principalOf(request), request.params.connectionId, request.query.orgId);
      return reply.status(204).send();
    },
  );

  const CredentialParams = Type.Object({
    connectionId: Type.String({ minLength: 1, maxLength: 64 }),
    userId: Type.String({ minLength: 1, maxLength: 64 }),
  });
  app.get<{ Params: Static<typeof CredentialParams>; Querystring: OrgQuery }>(
    `${BASE}/:connectionId/users/:userId/credentials`,
    {
      schema: {
        tags: TAGS,
        summary:
          "A person's current upstream access token, refreshed when expired (the person, or connections:read + full/user admin)",
        params: CredentialParams,
        querystring: OrgQuery,
        response: { 200: Type.Object({ accessToken: Type.String() }) },
      },
    },
    async (request, reply) => {
      const { connectionId, userId } = request.params;
      const credentials = await area.credentials.current(
        principalOf(request),
        connectionId,
        userId,
        request.query.orgId,
      );
      return reply.header('Cache-Control', 'no-store').type(LINKS_JSON).send(credentials);
    },
  );
}

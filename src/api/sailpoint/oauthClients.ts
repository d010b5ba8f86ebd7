import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ClientSort } from '../../domain/clients/clientListing.js';
import type { OAuthClients } from '../../domain/clients/oauthClients.js';
import { Invalid } from '../../platform/errors.js';
import { parseSailPointFilter } from '../../platform/filters/sailpoint.js';
import { principalOf } from '../../http/authenticate.js';
import {
  CreateOAuthClientRequest,
  CreateOAuthClientResponse,
  CreateQuery,
  GetOAuthClientResponse,
  IdParams,
  JsonPatch,
  ListQuery,
  toSailPointClient,
  toSailPointClientWithSecret,
} from './schemas.js';

/** The same five operations (plus secret rotation) under each API version SailPoint serves. */
const PATHS = { beta: '/beta/oauth-clients', v3: '/v3/oauth-clients' } as const;
export type SailPointVersion = keyof typeof PATHS;

const DEFAULT_LIMIT = 250;

/** `sorters=name,-lastUsed`: comma-separated fields, `-` for descending. */
export function parseSorters(text: string | undefined): ClientSort[] {
  if (text === undefined || text.trim() === '') return [];
  return text.split(',').map((part) => {
    const item = part.trim();
    const descending = item.startsWith('-');
    const field = descending ? item.slice(1) : item;
    if (!field) throw new Invalid('sorters', `empty sorter in '${text}'`);
    return { field, descending };
  });
}

export function oauthClientRoutes(
  app: FastifyInstance,
  clients: OAuthClients,
  version: SailPointVersion,
): void {
  const base = PATHS[version];
  const tags = [`sailpoint ${version}: oauth clients`];
  const read = 'sp:oauth-client:read or sp:oauth-client:manage';
  const manage = 'sp:oauth-client:manage';

  app.get<{ Querystring: ListQuery }>(
    base,
    {
      schema: {
        tags,
        summary: `List OAuth clients (${read})`,
        querystring: ListQuery,
        response: { 200: Type.Array(GetOAuthClientResponse) },
      },
    },
    async (request, reply) => {
      const { filters, sorters, limit, offset, count, orgId } = request.query;
      const text = filters?.trim();
      const { items, total } = await clients.list(principalOf(request), {
        orgId,
        filter: text ? parseSailPointFilter(text) : undefined,
        sort: parseSorters(sorters),
        limit: limit ?? DEFAULT_LIMIT,
        offset: offset ?? 0,
        count: count === true,
      });
      if (total !== undefined) reply.header('X-Total-Count', String(total));
      return items.map(toSailPointClient);
    },
  );

  app.post<{ Body: CreateOAuthClientRequest; Querystring: CreateQuery }>(
    base,
    {
      schema: {
        tags,
        summary: `Create an OAuth client; the secret is in this response only (${manage})`,
        querystring: CreateQuery,
        body: CreateOAuthClientRequest,
        response: { 200: CreateOAuthClientResponse },
      },
    },
    async (request) => {
      const created = await clients.create(principalOf(request), request.body, request.query.orgId);
      return toSailPointClientWithSecret(created);
    },
  );

  app.get<{ Params: IdParams }>(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: `Get an OAuth client (${read})`,
        params: IdParams,
        response: { 200: GetOAuthClientResponse },
      },
    },
    async (request) => toSailPointClient(await clients.get(principalOf(request), request.params.id)),
  );

  app.patch<{ Params: IdParams; Body: JsonPatch }>(
    `${base}/:id`,
    {
      // A patch that sets every field of a client at its limits fits in well under 256 KiB.
      bodyLimit: 262_144,
      schema: {
        tags,
        summary: `Patch an OAuth client with RFC 6902 operations, all or nothing (${manage})`,
        description:
          'Content-Type application/json-patch+json (or application/json). Patchable: businessName, ' +
          'homepageUrl, name, description, accessTokenValiditySeconds, refreshTokenValiditySeconds, ' +
          'redirectUris, grantTypes, accessType, enabled, strongAuthSupported, claimsSupported, and ' +
          '(Keyward) scope and roles.',
        params: IdParams,
        body: JsonPatch,
        response: { 200: GetOAuthClientResponse },
      },
    },
    async (request) =>
      toSailPointClient(await clients.patch(principalOf(request), request.params.id, request.body)),
  );

  app.delete<{ Params: IdParams }>(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: `Delete an OAuth client; its tokens stop working at once (${manage})`,
        params: IdParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await clients.delete(principalOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.post<{ Params: IdParams }>(
    `${base}/:id/secret`,
    {
      schema: {
        tags,
        summary: `Keyward: rotate the client secret; the new one is in this response only (${manage})`,
        params: IdParams,
        response: { 200: CreateOAuthClientResponse },
      },
    },
    async (request) =>
      toSailPointClientWithSecret(await clients.rotateSecret(principalOf(request), request.params.id)),
  );
}

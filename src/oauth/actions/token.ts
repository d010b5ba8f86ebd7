import type { FastifyInstance } from 'fastify';
import { authenticateClient, type TokenRequestBody } from '../clientAuthentication.js';
import type { OAuthContext } from '../context.js';
import { invalidRequest, unsupportedGrantType } from '../errors.js';
import { authorizationCodeGrant } from '../grants/authorizationCode.js';
import { clientCredentialsGrant } from '../grants/clientCredentials.js';
import { refreshTokenGrant } from '../grants/refreshToken.js';
import type { FastifyRequest } from 'fastify';
import type { ClientRecord } from '../../domain/clients/clientRecord.js';

type GrantHandler = (
  ctx: OAuthContext,
  client: ClientRecord,
  body: TokenRequestBody,
) => unknown | Promise<unknown>;

/** One handler per grant type (src/oauth/grants/); later grants add themselves here. */
export const grantHandlers: Record<string, GrantHandler> = {
  client_credentials: clientCredentialsGrant,
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
};

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/** Flattens a parsed form body into single string values; repeated parameters are an error (§3.1). */
export function formParameters(body: unknown): TokenRequestBody {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object') throw invalidRequest('The request body must be form-encoded.');
  const out: TokenRequestBody = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (Array.isArray(value)) throw invalidRequest(`The parameter ${key} is repeated.`);
    if (typeof value !== 'string') throw invalidRequest(`The parameter ${key} must be a text field.`);
    out[key] = value;
  }
  return out;
}

/** The token, revocation and introspection endpoints take form bodies only. */
export function requireForm(request: FastifyRequest): void {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!FORM_TYPES.includes(type)) {
    throw invalidRequest(
      'The request body must be application/x-www-form-urlencoded or multipart/form-data.',
    );
  }
}

export function tokenAction(app: FastifyInstance, ctx: OAuthContext): void {
  app.post(
    '/oauth/token',
    { schema: { hide: false, tags: ['oauth'], summary: 'OAuth 2.0 token endpoint (RFC 6749)' } },
    async (request, reply) => {
      const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (!FORM_TYPES.includes(type)) {
        throw invalidRequest(
          'The token request must be application/x-www-form-urlencoded or multipart/form-data.',
        );
      }
      const body = formParameters(request.body);
      const grantType = body.grant_type;
      if (!grantType) throw invalidRequest('grant_type is required.');
      const handler = grantHandlers[grantType];
      if (!handler)
        throw unsupportedGrantType(`The grant type ${JSON.stringify(grantType)} is not supported.`);
      const { client } = await authenticateClient(request, body, ctx.clients);
      const result = await handler(ctx, client, body);
      reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
      return result;
    },
  );
}

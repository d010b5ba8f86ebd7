import type { FastifyInstance } from 'fastify';
import type { ClientRecord } from '../../domain/clients/clientRecord.js';
import { decodeJwt } from '../../domain/tokens/jwt.js';
import { authenticateClient } from '../clientAuthentication.js';
import type { OAuthContext } from '../context.js';
import { invalidClient, invalidRequest } from '../errors.js';
import { formParameters, requireForm } from './token.js';

const INACTIVE = { active: false } as const;

/** A client may introspect its own tokens; an admin client with identity:tokens_read, its org's. */
function mayInspect(caller: ClientRecord, tokenClientId: string, tokenOrg: string): boolean {
  return (
    caller.id === tokenClientId ||
    (caller.orgId === tokenOrg && caller.scopes.includes('identity:tokens_read'))
  );
}

async function introspectAccessToken(ctx: OAuthContext, caller: ClientRecord, token: string) {
  let claims;
  try {
    claims = await ctx.tokens.verify(token);
  } catch {
    return INACTIVE;
  }
  if (ctx.revocations.isRevoked(claims) || !mayInspect(caller, claims.client_id, claims.org)) return INACTIVE;
  const client = await ctx.clients.find(claims.client_id);
  if (!client?.enabled) return INACTIVE;
  if (claims.person_id && !(await ctx.people.access(claims.person_id))) return INACTIVE;
  return {
    active: true,
    token_type: 'Bearer',
    scope: claims.scope,
    client_id: claims.client_id,
    sub: claims.sub,
    aud: claims.aud,
    iss: claims.iss,
    exp: claims.exp,
    iat: claims.iat,
    jti: claims.jti,
    org: claims.org,
  };
}

async function introspectRefreshToken(ctx: OAuthContext, caller: ClientRecord, token: string) {
  const grant = await ctx.grants.findRefresh(ctx.db, token);
  if (!grant || grant.revoked_at !== null || grant.rotated_at !== null || grant.expires_at <= Date.now())
    return INACTIVE;
  if (!mayInspect(caller, grant.client_id, grant.org_id)) return INACTIVE;
  return {
    active: true,
    token_type: 'refresh_token',
    scope: grant.scope,
    client_id: grant.client_id,
    sub: grant.person_id,
    iss: ctx.issuer,
    exp: Math.floor(grant.expires_at / 1000),
    iat: Math.floor(grant.created_at / 1000),
    org: grant.org_id,
  };
}

/** RFC 7662. Confidential clients only; anything not verifiably live answers `{active: false}`. */
export function introspectAction(app: FastifyInstance, ctx: OAuthContext): void {
  app.post(
    '/oauth/introspect',
    { schema: { tags: ['oauth'], summary: 'Token introspection (RFC 7662)' } },
    async (request, reply) => {
      requireForm(request);
      const body = formParameters(request.body);
      const { client, method } = await authenticateClient(request, body, ctx.clients);
      if (method === 'none') throw invalidClient('Introspection requires client authentication.', false);
      if (!body.token) throw invalidRequest('token is required.');
      reply.header('Cache-Control', 'no-store');
      const looksLikeJwt = decodeJwt(body.token) !== undefined;
      return looksLikeJwt
        ? introspectAccessToken(ctx, client, body.token)
        : introspectRefreshToken(ctx, client, body.token);
    },
  );
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { activePersonById } from '../../domain/people/personLookup.js';
import { personClaims, requestedClaimNames } from '../../domain/identity/claims.js';
import { claimsRequestOfAccess } from '../../domain/identity/grantClaims.js';
import type { OAuthContext } from '../context.js';

function refuse(reply: FastifyReply, status: number, error: string, description: string) {
  return reply
    .status(status)
    .header('WWW-Authenticate', `Bearer error="${error}", error_description="${description}"`)
    .send({ error, error_description: description });
}

/**
 * The access token from the Authorization header, or (RFC 6750 §2.2) from the `access_token` field of
 * a form-encoded POST body. Both at once is refused (§2: one method only).
 */
function bearerToken(request: FastifyRequest): string | 'both' | undefined {
  const header = request.headers.authorization ?? '';
  const fromHeader = /^bearer /i.test(header) ? header.slice(7).trim() : undefined;
  const form = /^application\/x-www-form-urlencoded/i.test(request.headers['content-type'] ?? '');
  const body = request.body as Record<string, unknown> | undefined;
  const fromBody =
    request.method === 'POST' && form && typeof body?.access_token === 'string'
      ? body.access_token
      : undefined;
  if (fromHeader && fromBody) return 'both';
  return fromHeader || fromBody || undefined;
}

/** OIDC Core §5.3: claims of the person a live access token with `openid` was issued for. */
export function userinfoAction(app: FastifyInstance, ctx: OAuthContext): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const token = bearerToken(request);
    if (token === 'both')
      return refuse(reply, 400, 'invalid_request', 'Send the access token one way only (header or body).');
    if (!token) return refuse(reply, 401, 'invalid_token', 'A Bearer access token is required.');
    let claims;
    try {
      claims = await ctx.tokens.verify(token);
      ctx.revocations.check(claims);
    } catch {
      return refuse(reply, 401, 'invalid_token', 'The access token is invalid, expired or revoked.');
    }
    const scopes = claims.scope.split(' ');
    if (!claims.person_id || !scopes.includes('openid'))
      return refuse(reply, 403, 'insufficient_scope', 'The token has no openid scope for a person.');
    const person = await activePersonById(ctx.db, claims.person_id);
    if (!person) return refuse(reply, 401, 'invalid_token', 'The person is no longer active.');
    reply.header('Cache-Control', 'no-store');
    const requested = await claimsRequestOfAccess(ctx.db, claims.jti);
    return personClaims(person, scopes, requestedClaimNames(requested, 'userinfo'));
  };
  const schema = { tags: ['oauth'], summary: 'UserInfo (OpenID Connect)' };
  app.get('/oauth/userinfo', { schema }, handler);
  app.post('/oauth/userinfo', { schema }, handler);
}

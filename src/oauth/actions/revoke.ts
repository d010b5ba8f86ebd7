import type { FastifyInstance } from 'fastify';
import type { ClientRecord } from '../../domain/clients/clientRecord.js';
import type { RevokedAccess } from '../../domain/grants/grants.js';
import { decodeJwt } from '../../domain/tokens/jwt.js';
import { authenticateClient } from '../clientAuthentication.js';
import type { OAuthContext } from '../context.js';
import { invalidRequest } from '../errors.js';
import { formParameters, requireForm } from './token.js';

const notYours = () => invalidRequest('The token was not issued to this client.');

async function revokeAccessToken(
  ctx: OAuthContext,
  client: ClientRecord,
  token: string,
): Promise<RevokedAccess[]> {
  let claims;
  try {
    claims = await ctx.tokens.verify(token);
  } catch {
    return []; // invalid or expired: nothing to revoke (RFC 7009 §2.2)
  }
  if (claims.client_id !== client.id) throw notYours();
  return ctx.db.transaction().execute(async (trx) => {
    const grant = await trx
      .selectFrom('token_grants')
      .selectAll()
      .where('jti', '=', claims.jti)
      .executeTakeFirst();
    if (!grant) return ctx.grants.revokeMachineToken(trx, claims);
    // An access token alone: its refresh token (if any) stays usable, as RFC 7009 allows.
    await trx
      .updateTable('token_grants')
      .set({ revoked_at: Date.now() })
      .where('id', '=', grant.id)
      .where('revoked_at', 'is', null)
      .execute();
    return [{ jti: grant.jti, expires_at: grant.expires_at }];
  });
}

async function revokeRefreshToken(
  ctx: OAuthContext,
  client: ClientRecord,
  token: string,
): Promise<RevokedAccess[]> {
  const grant = await ctx.grants.findRefresh(ctx.db, token);
  if (!grant) return [];
  if (grant.client_id !== client.id) throw notYours();
  // Revoking a refresh token revokes the access tokens of the same grant (RFC 7009 §2.1).
  return ctx.db.transaction().execute((trx) => ctx.grants.revokeFamily(trx, grant.family_id ?? grant.id));
}

/** RFC 7009: 200 for unknown tokens; takes effect on every API and node once answered. */
export function revokeAction(app: FastifyInstance, ctx: OAuthContext): void {
  app.post(
    '/oauth/revoke',
    { schema: { tags: ['oauth'], summary: 'Token revocation (RFC 7009)' } },
    async (request, reply) => {
      requireForm(request);
      const body = formParameters(request.body);
      const { client } = await authenticateClient(request, body, ctx.clients);
      if (!body.token) throw invalidRequest('token is required.');
      const revoked = decodeJwt(body.token)
        ? await revokeAccessToken(ctx, client, body.token)
        : await revokeRefreshToken(ctx, client, body.token);
      await ctx.grants.publish(revoked);
      return reply.status(200).header('Cache-Control', 'no-store').send();
    },
  );
}

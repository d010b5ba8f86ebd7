import type { ClientRecord } from '../../domain/clients/clientRecord.js';
import { activePersonById } from '../../domain/people/personLookup.js';
import { claimAuthorizationCode, findAuthorizationCode, pkceMatches } from '../../domain/grants/codes.js';
import type { RevokedAccess } from '../../domain/grants/grants.js';
import type { TokenRequestBody } from '../clientAuthentication.js';
import type { OAuthContext } from '../context.js';
import { invalidGrant, invalidRequest, unauthorizedClient } from '../errors.js';
import { parseStoredClaims, personTokenResponse } from './personTokenResponse.js';

/**
 * RFC 6749 §4.1.3 with PKCE: the code is single use and bound to its client, redirect URI and
 * verifier. A replayed code revokes everything it was exchanged for (RFC 6749 §4.1.2).
 */
export async function authorizationCodeGrant(
  ctx: OAuthContext,
  client: ClientRecord,
  body: TokenRequestBody,
) {
  if (!client.grantTypes.includes('AUTHORIZATION_CODE'))
    throw unauthorizedClient('This client may not use the authorization_code grant.');
  if (!body.code) throw invalidRequest('code is required.');
  if (!body.redirect_uri) throw invalidRequest('redirect_uri is required.');
  const code = await findAuthorizationCode(ctx.db, body.code);
  if (!code || code.client_id !== client.id) throw invalidGrant('The authorization code is invalid.');
  if (code.used_at !== null) {
    await revokeWhatTheCodeIssued(ctx, code.grant_id);
    throw invalidGrant('The authorization code was already used; the tokens it issued are revoked.');
  }
  if (code.expires_at <= Date.now()) throw invalidGrant('The authorization code has expired.');
  if (code.redirect_uri !== body.redirect_uri)
    throw invalidGrant('redirect_uri does not match the authorization request.');
  if (code.code_challenge) {
    if (!body.code_verifier) throw invalidGrant('code_verifier is required (PKCE).');
    if (
      !/^[A-Za-z0-9._~-]{43,128}$/.test(body.code_verifier) ||
      !pkceMatches(body.code_verifier, code.code_challenge)
    ) {
      throw invalidGrant('code_verifier does not match the code challenge.');
    }
  } else if (body.code_verifier) {
    throw invalidGrant('code_verifier sent, but the authorization request had no code_challenge.');
  }
  const person = await activePersonById(ctx.db, code.person_id);
  if (!person) throw invalidGrant('The person is no longer active.');
  const scopes = code.scope.split(' ').filter(Boolean);
  const issued = await ctx.db.transaction().execute(async (trx) => {
    if (!(await claimAuthorizationCode(trx, code.code_hash))) return undefined;
    const tokens = await ctx.grants.issueForPerson(trx, {
      client,
      personId: person.id,
      orgId: code.org_id,
      scopes,
      authTime: code.auth_time,
      claims: code.claims,
      withRefresh: client.accessType === 'OFFLINE' && client.grantTypes.includes('REFRESH_TOKEN'),
    });
    await trx
      .updateTable('authorization_codes')
      .set({ grant_id: tokens.refreshGrantId ?? tokens.accessGrantId })
      .where('code_hash', '=', code.code_hash)
      .execute();
    return tokens;
  });
  if (!issued) throw invalidGrant('The authorization code was already used.'); // lost a concurrent race
  ctx.clients.markUsed(client.id);
  return personTokenResponse(ctx, client, person, issued, scopes, code.auth_time, code.nonce, {
    claims: parseStoredClaims(code.claims),
    acr: code.acr,
    sid: code.sid,
  });
}

async function revokeWhatTheCodeIssued(ctx: OAuthContext, grantId: string | null): Promise<void> {
  if (!grantId) return;
  const revoked: RevokedAccess[] = await ctx.db.transaction().execute(async (trx) => {
    const grant = await trx
      .selectFrom('token_grants')
      .selectAll()
      .where('id', '=', grantId)
      .executeTakeFirst();
    return grant ? ctx.grants.revokeGrant(trx, grant) : [];
  });
  await ctx.grants.publish(revoked);
}

import type { ClientRecord } from '../../domain/clients/clientRecord.js';
import { parseScope } from '../../domain/access/scopes.js';
import { activePersonById } from '../../domain/people/personLookup.js';
import type { TokenRequestBody } from '../clientAuthentication.js';
import type { OAuthContext } from '../context.js';
import { invalidGrant, invalidRequest, invalidScope, unauthorizedClient } from '../errors.js';
import { parseStoredClaims, personTokenResponse } from './personTokenResponse.js';

/**
 * RFC 6749 §6 with rotation on every use (RFC 9700 §4.14.2): the presented token is retired and a
 * new one issued in the same family, keeping the family's expiry. Presenting a retired token again
 * means it leaked: the whole family is revoked, unless the same client presents it within the
 * reuse grace window (KEYWARD_REFRESH_REUSE_GRACE_SECONDS; two tabs refreshing at once): then it
 * gets the same successor refresh token and a fresh access token under it.
 */
export async function refreshTokenGrant(ctx: OAuthContext, client: ClientRecord, body: TokenRequestBody) {
  if (client.accessType !== 'OFFLINE' || !client.grantTypes.includes('REFRESH_TOKEN')) {
    throw unauthorizedClient(
      'This client may not use refresh tokens (it needs accessType OFFLINE and the REFRESH_TOKEN grant).',
    );
  }
  if (!body.refresh_token) throw invalidRequest('refresh_token is required.');
  const grant = await ctx.grants.findRefresh(ctx.db, body.refresh_token);
  if (!grant || grant.client_id !== client.id || grant.person_id === null)
    throw invalidGrant('The refresh token is invalid.');
  if (grant.revoked_at !== null) throw invalidGrant('The refresh token has been revoked.');
  if (grant.expires_at <= Date.now()) throw invalidGrant('The refresh token has expired.');
  const authTime = grant.auth_time ?? grant.created_at;
  const again = () => withinGrace(ctx, client, grant.person_id!, body.refresh_token!, authTime);
  if (grant.rotated_at !== null) return again();
  const granted = grant.scope.split(' ').filter(Boolean);
  const requested = parseScope(body.scope);
  const beyond = requested.filter((s) => !granted.includes(s));
  if (beyond.length) throw invalidScope(`Beyond the original grant: ${beyond.join(' ')}.`);
  const scopes = requested.length ? requested : granted;
  const person = await activePersonById(ctx.db, grant.person_id);
  if (!person) throw invalidGrant('The person is no longer active.');

  const issued = await ctx.db.transaction().execute(async (trx) => {
    const claimed = await trx
      .updateTable('token_grants')
      .set({ rotated_at: Date.now() })
      .where('id', '=', grant.id)
      .where('rotated_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return undefined;
    return ctx.grants.issueForPerson(trx, {
      client,
      personId: person.id,
      orgId: grant.org_id,
      scopes,
      authTime: grant.auth_time ?? grant.created_at,
      withRefresh: true,
      familyId: grant.family_id!,
      refreshExpiresAt: grant.expires_at,
      predecessor: body.refresh_token,
      claims: grant.claims,
    });
  });
  if (!issued) return again(); // a concurrent use got there first
  ctx.clients.markUsed(client.id);
  return personTokenResponse(ctx, client, person, issued, scopes, authTime, null, {
    claims: parseStoredClaims(grant.claims),
  });
}

/** A rotated token presented again: its successor within the grace window, else reuse detected. */
async function withinGrace(
  ctx: OAuthContext,
  client: ClientRecord,
  personId: string,
  refreshToken: string,
  authTime: number,
) {
  const grant = await ctx.grants.findRefresh(ctx.db, refreshToken);
  if (!grant || grant.revoked_at !== null) throw invalidGrant('The refresh token has been revoked.');
  const successor = await ctx.grants.graceSuccessor(ctx.db, grant, refreshToken);
  if (!successor) return reuseDetected(ctx, grant.family_id!);
  const person = await activePersonById(ctx.db, personId);
  if (!person) throw invalidGrant('The person is no longer active.');
  const scopes = successor.row.scope.split(' ').filter(Boolean);
  const tokens = await ctx.grants.issueAccessUnder(
    ctx.db,
    {
      client,
      personId,
      orgId: successor.row.org_id,
      scopes,
      authTime,
      familyId: successor.row.family_id!,
      claims: successor.row.claims,
    },
    successor,
  );
  ctx.clients.markUsed(client.id);
  return personTokenResponse(ctx, client, person, tokens, scopes, authTime, null, {
    claims: parseStoredClaims(successor.row.claims),
  });
}

async function reuseDetected(ctx: OAuthContext, familyId: string): Promise<never> {
  const revoked = await ctx.db.transaction().execute((trx) => ctx.grants.revokeFamily(trx, familyId));
  await ctx.grants.publish(revoked);
  throw invalidGrant('The refresh token was already used; every token of this grant has been revoked.');
}

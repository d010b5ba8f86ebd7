import type { ClientRecord } from '../../domain/clients/clientRecord.js';
import { parseScope } from '../../domain/access/scopes.js';
import type { OAuthContext } from '../context.js';
import { invalidScope, unauthorizedClient } from '../errors.js';
import type { TokenRequestBody } from '../clientAuthentication.js';

/** RFC 6749 §4.4. No database write: lastUsed is coalesced by the client directory. */
export function clientCredentialsGrant(ctx: OAuthContext, client: ClientRecord, body: TokenRequestBody) {
  if (client.type === 'PUBLIC' || !client.grantTypes.includes('CLIENT_CREDENTIALS')) {
    throw unauthorizedClient('This client may not use the client_credentials grant.');
  }
  const scopes = grantedScopes(client, body.scope);
  const { token, claims } = ctx.tokens.issue({
    subject: client.id,
    clientId: client.id,
    orgId: client.orgId,
    scopes,
    ttlSeconds: client.accessTokenTtl,
  });
  ctx.clients.markUsed(client.id);
  return {
    access_token: token,
    token_type: 'Bearer',
    expires_in: client.accessTokenTtl,
    scope: claims.scope,
    jti: claims.jti,
    org: client.orgId,
  };
}

/** The requested scopes, each of which the client must hold; all of the client's by default. */
export function grantedScopes(client: ClientRecord, requested: string | undefined): string[] {
  const wanted = parseScope(requested);
  if (wanted.length === 0) return [...client.scopes];
  const beyond = wanted.filter((s) => !client.scopes.includes(s));
  if (beyond.length) throw invalidScope(`The client may not request: ${beyond.join(' ')}.`);
  return wanted;
}

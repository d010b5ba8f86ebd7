import type { ClientRecord } from '../../domain/clients/clientRecord.js';
import { parseClaimsRequest, type ClaimsRequest } from '../../domain/identity/claims.js';
import type { ActivePerson } from '../../domain/people/personLookup.js';
import type { PersonTokens } from '../../domain/grants/grants.js';
import type { OAuthContext } from '../context.js';

/** The token response of the person grants (code and refresh): RFC 6749 §5.1 plus the ID token. */
export function personTokenResponse(
  ctx: OAuthContext,
  client: ClientRecord,
  person: ActivePerson,
  tokens: PersonTokens,
  scopes: readonly string[],
  authTime: number,
  nonce: string | null,
  oidc: { claims?: ClaimsRequest; acr?: string | null; sid?: string | null } = {},
) {
  return {
    access_token: tokens.accessToken,
    token_type: 'Bearer',
    expires_in: client.accessTokenTtl,
    scope: tokens.claims.scope,
    ...(tokens.refreshToken
      ? {
          refresh_token: tokens.refreshToken,
          // Webex clients read this one.
          refresh_token_expires_in: Math.max(0, Math.floor((tokens.refreshExpiresAt! - Date.now()) / 1000)),
        }
      : {}),
    ...(scopes.includes('openid')
      ? {
          id_token: ctx.idTokens.issue({
            clientId: client.id,
            person,
            scopes,
            authTime,
            nonce,
            claims: oidc.claims,
            acr: oidc.acr,
            sid: oidc.sid,
            accessToken: tokens.accessToken,
            ttlSeconds: client.accessTokenTtl,
          }),
        }
      : {}),
  };
}

/** A claims request stored with a code or grant (validated when it was made). */
export function parseStoredClaims(text: string | null | undefined): ClaimsRequest | undefined {
  try {
    return parseClaimsRequest(text);
  } catch {
    return undefined;
  }
}

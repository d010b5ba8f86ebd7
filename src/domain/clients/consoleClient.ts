import { upsertConsoleClient } from '../../store/consoleClient.js';
import type { Db } from '../../store/dialect.js';
import { MANAGEMENT_SCOPES } from '../access/scopes.js';
import { ROOT_ORG_CODE } from '../bootstrap.js';

/** The admin console's client_id: a public client (code + PKCE), the same on every installation. */
export const CONSOLE_CLIENT_ID = 'keyward-console';

/** Where the console is served, its sign-in callback and where sign-out lands, from the issuer. */
export function consoleUris(issuer: string) {
  return {
    home: `${issuer}/console/`,
    callback: `${issuer}/console/callback`,
    signedOut: `${issuer}/console/signed-out`,
  };
}

/**
 * Registers the console as an OAuth client of this Keyward (at every start: a new database gets it
 * right after bootstrap, an existing one gets it or has its redirect URIs follow KEYWARD_ISSUER).
 * What an admin may do through it is still decided per request by their roles. With the console
 * turned off (KEYWARD_CONSOLE=false) the client is not created, and an existing one is disabled.
 */
export async function registerConsoleClient(db: Db, issuer: string, enabled = true): Promise<boolean> {
  const uris = consoleUris(issuer);
  return upsertConsoleClient(db, ROOT_ORG_CODE, enabled, {
    id: CONSOLE_CLIENT_ID,
    name: 'Keyward admin console',
    description: 'The built-in admin console (/console).',
    grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'],
    redirectUris: [uris.callback, uris.signedOut],
    postLogoutRedirectUris: [uris.signedOut],
    // openid: the ID token is the console's id_token_hint at sign-out.
    scope: ['openid', ...MANAGEMENT_SCOPES],
    accessTokenTtl: 900,
    refreshTokenTtl: 28_800,
  });
}

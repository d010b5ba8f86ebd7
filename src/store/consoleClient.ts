import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { isUniqueViolation } from './db.js';

export interface ConsoleClientRow {
  id: string;
  name: string;
  description: string;
  grantTypes: string[];
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  scope: string[];
  accessTokenTtl: number;
  refreshTokenTtl: number;
}

/**
 * Inserts the console's OAuth client in the root organization, or brings its redirect URIs, scopes
 * and enabled flag up to date (KEYWARD_ISSUER may have changed; the console may be turned off). Idempotent and safe when nodes race.
 * Returns false when there is no root organization yet.
 */
export async function upsertConsoleClient(
  db: Kysely<Database>,
  rootOrgCode: string,
  enabled: boolean,
  client: ConsoleClientRow,
): Promise<boolean> {
  const root = await db
    .selectFrom('organizations')
    .select('id')
    .where('code', '=', rootOrgCode)
    .executeTakeFirst();
  if (!root) return false;
  const now = Date.now();
  const settings = {
    redirect_uris: JSON.stringify(client.redirectUris),
    post_logout_redirect_uris: JSON.stringify(client.postLogoutRedirectUris),
    scope: JSON.stringify(client.scope),
    grant_types: JSON.stringify(client.grantTypes),
  };
  const existing = await db
    .selectFrom('oauth_clients')
    .select('id')
    .where('id', '=', client.id)
    .executeTakeFirst();
  if (existing) {
    await db
      .updateTable('oauth_clients')
      .set({ ...settings, enabled: enabled ? 1 : 0, updated_at: now })
      .where('id', '=', client.id)
      .execute();
    return true;
  }
  if (!enabled) return false;
  try {
    await db
      .insertInto('oauth_clients')
      .values({
        id: client.id,
        org_id: root.id,
        secret_hash: '',
        name: client.name,
        description: client.description,
        business_name: null,
        homepage_url: null,
        type: 'PUBLIC',
        access_type: 'OFFLINE',
        ...settings,
        roles: '[]',
        access_token_ttl: client.accessTokenTtl,
        refresh_token_ttl: client.refreshTokenTtl,
        internal: 1,
        enabled: 1,
        strong_auth_supported: 0,
        claims_supported: 0,
        metadata: null,
        created_by: 'system',
        created_at: now,
        updated_at: now,
        last_used_at: null,
      })
      .execute();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error; // another node registered it first
  }
  return true;
}

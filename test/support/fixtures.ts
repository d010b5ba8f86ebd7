/** Rows the token-service tests need, written through the real store (no mocks). */
import { hashSecret, newSecret } from '../../src/platform/crypto/secrets.js';
import { newClientId, newId } from '../../src/platform/ids.js';
import { hashPassword } from '../../src/domain/people/passwords.js';
import type { Harness } from './harness.js';

export interface TestClient {
  id: string;
  secret?: string;
}

export async function insertClient(
  k: Harness,
  options: {
    orgId?: string;
    type?: 'CONFIDENTIAL' | 'PUBLIC';
    accessType?: 'ONLINE' | 'OFFLINE';
    grantTypes?: string[];
    redirectUris?: string[];
    postLogoutRedirectUris?: string[];
    scopes?: string[];
    name?: string;
    accessTokenTtl?: number;
    refreshTokenTtl?: number;
  } = {},
): Promise<TestClient> {
  const id = newClientId();
  const type = options.type ?? 'CONFIDENTIAL';
  const secret = type === 'PUBLIC' ? undefined : newSecret();
  const now = Date.now();
  await k.services.store.db
    .insertInto('oauth_clients')
    .values({
      id,
      org_id: options.orgId ?? k.admin.orgId,
      secret_hash: secret ? hashSecret(secret) : null,
      name: options.name ?? 'Test application',
      description: null,
      business_name: null,
      homepage_url: null,
      type,
      access_type: options.accessType ?? 'OFFLINE',
      grant_types: JSON.stringify(options.grantTypes ?? ['AUTHORIZATION_CODE', 'REFRESH_TOKEN']),
      redirect_uris: JSON.stringify(options.redirectUris ?? ['http://127.0.0.1:9/callback']),
      post_logout_redirect_uris: JSON.stringify(options.postLogoutRedirectUris ?? []),
      scope: JSON.stringify(options.scopes ?? ['spark-admin:organizations_read', 'identity:tokens_read']),
      roles: '[]',
      access_token_ttl: options.accessTokenTtl ?? 600,
      refresh_token_ttl: options.refreshTokenTtl ?? 86_400,
      internal: 0,
      enabled: 1,
      strong_auth_supported: 0,
      claims_supported: 0,
      metadata: null,
      created_by: 'test',
      created_at: now,
      updated_at: now,
      last_used_at: null,
    })
    .execute();
  return { id, secret };
}

export async function insertPerson(
  k: Harness,
  options: { email?: string; password?: string; orgId?: string; roles?: string[]; displayName?: string } = {},
): Promise<{ id: string; email: string; password: string }> {
  const id = newId();
  const email = options.email ?? `person-${id}@example.test`;
  const password = options.password ?? `pw-${newSecret()}`;
  const now = Date.now();
  await k.services.store.db
    .insertInto('people')
    .values({
      id,
      org_id: options.orgId ?? k.admin.orgId,
      email,
      display_name: options.displayName ?? 'Test Person',
      first_name: 'Test',
      last_name: 'Person',
      password_hash: await hashPassword(password),
      roles: JSON.stringify(options.roles ?? []),
      status: 'active',
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { id, email, password };
}

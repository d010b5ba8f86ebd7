/** Shared pieces of the connections (Authress-style) tests. */
import { newId } from '../../../src/platform/ids.js';
import { insertClient } from '../../support/fixtures.js';
import type { Harness } from '../../support/harness.js';

export const CERT_PEM = `-----BEGIN CERTIFICATE-----
MIIBkjCCATegAwIBAgIUO/AAvROTOJmO27ZcenVS+F8VZYkwCgYIKoZIzj0EAwIw
HTEbMBkGA1UEAwwSc2FtbC51cHN0cmVhbS50ZXN0MCAXDTI2MTEyMzA4MTYyOFoY
DzIxMjYxMDMwMDgxNjI4WjAdMRswGQYDVQQDDBJzYW1sLnVwc3RyZWFtLnRlc3Qw
WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATTVtaLCESk0buB3piM4HDOl+509quk
QlOhRIR9L1pltG3I7Pe/q/i7aUd1+MLzwR0LyHAXa9qa9bD2NjrCJ6Qjo1MwUTAd
BgNVHQ4EFgQUK/Pc1TUXuoTLwWTUHyT5fdw+UKIwHwYDVR0jBBgwFoAUK/Pc1TUX
uoTLwWTUHyT5fdw+UKIwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNJADBG
AiEAxnDadccKbS26LAbEVQWro+XNCqiGQuKM5ebkXqn9GIYCIQDjukvHfRY6iUbY
t1Rb80/HOzbknl61gpHZW7pIPDh6Kg==
-----END CERTIFICATE-----
`;

export function oauthConnection(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'OAUTH2',
    authenticationUrl: 'https://idp.example.com/oauth/authorize',
    tokenUrl: 'https://idp.example.com/oauth/token',
    issuerUrl: 'https://idp.example.com',
    clientId: 'keyward-at-idp',
    clientSecret: 'very-secret-upstream-value',
    data: {
      tenantId: 'tenant-1',
      name: 'Example IdP',
      supportedContentType: 'application/x-www-form-urlencoded',
    },
    defaultConnectionProperties: { scope: 'openid email profile' },
    ...overrides,
  };
}

export interface Call {
  status: number;
  body: any;
  headers: Record<string, unknown>;
}

/** JSON calls through app.inject with a bearer token. */
export function caller(k: Harness, token: string) {
  return async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown): Promise<Call> => {
    const res = await k.app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${token}`,
        ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}),
    });
    return {
      status: res.statusCode,
      body: res.body ? JSON.parse(res.body) : undefined,
      headers: res.headers,
    };
  };
}

/** A second organization with a full-admin service client holding the given scopes; returns its token. */
export async function otherOrgAdmin(
  k: Harness,
  scopes = ['connections:read', 'connections:write', 'sp:oauth-client:manage', 'sp:oauth-client:read'],
  code = `org-${newId().slice(-6)}`,
) {
  const orgId = newId();
  const now = Date.now();
  await k.services.store.db
    .insertInto('organizations')
    .values({ id: orgId, code, name: `Org ${code}`, parent_id: null, created_at: now, updated_at: now })
    .execute();
  const client = await serviceClient(k, { orgId, scopes, roles: ['full_admin'] });
  return { orgId, code, client, token: await clientToken(k, client.id, client.secret!) };
}

export async function serviceClient(
  k: Harness,
  options: { orgId?: string; scopes: string[]; roles: string[] },
) {
  const client = await insertClient(k, {
    orgId: options.orgId,
    grantTypes: ['CLIENT_CREDENTIALS'],
    scopes: options.scopes,
    redirectUris: [],
  });
  await k.services.store.db
    .updateTable('oauth_clients')
    .set({ roles: JSON.stringify(options.roles) })
    .where('id', '=', client.id)
    .execute();
  await k.services.clients.changed(client.id);
  return client;
}

export async function clientToken(
  k: Harness,
  clientId: string,
  secret: string,
  scope?: string,
): Promise<string> {
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: secret,
  });
  if (scope) body.set('scope', scope);
  const res = await k.app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: body.toString(),
  });
  if (res.statusCode !== 200) throw new Error(`token request failed: ${res.statusCode} ${res.body}`);
  return res.json().access_token;
}

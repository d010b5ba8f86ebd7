/** Helpers for the SailPoint-style OAuth client tests: real HTTP through the harness, no mocks. */
import type { LightMyRequestResponse } from 'fastify';
import { newId } from '../../src/platform/ids.js';
import { insertClient } from '../support/fixtures.js';
import type { Harness } from '../support/harness.js';

export const VERSIONS = ['beta', 'v3'] as const;
export type Version = (typeof VERSIONS)[number];

/** A valid create body (a machine client); override any field. */
export function clientBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Reporting job',
    description: 'Nightly export',
    accessTokenValiditySeconds: 750,
    grantTypes: ['CLIENT_CREDENTIALS'],
    accessType: 'ONLINE',
    enabled: true,
    ...overrides,
  };
}

/** An authorization-code application with refresh tokens. */
export function appBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return clientBody({
    name: 'Web portal',
    grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'],
    accessType: 'OFFLINE',
    redirectUris: ['https://portal.example/callback'],
    ...overrides,
  });
}

export interface Caller {
  token: string;
  version?: Version;
}

export function api(k: Harness) {
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  return {
    create: (token: string, body: unknown, version: Version = 'beta', query = '') =>
      k.app.inject({
        method: 'POST',
        url: `/${version}/oauth-clients${query}`,
        headers: auth(token),
        payload: body as object,
      }),
    get: (token: string, id: string, version: Version = 'beta') =>
      k.app.inject({
        method: 'GET',
        url: `/${version}/oauth-clients/${encodeURIComponent(id)}`,
        headers: auth(token),
      }),
    list: (token: string, query: Record<string, string> = {}, version: Version = 'beta') =>
      k.app.inject({
        method: 'GET',
        url: `/${version}/oauth-clients${Object.keys(query).length ? `?${new URLSearchParams(query)}` : ''}`,
        headers: auth(token),
      }),
    patch: (
      token: string,
      id: string,
      ops: unknown,
      version: Version = 'beta',
      contentType = 'application/json-patch+json',
    ) =>
      k.app.inject({
        method: 'PATCH',
        url: `/${version}/oauth-clients/${encodeURIComponent(id)}`,
        headers: { ...auth(token), 'content-type': contentType },
        payload: typeof ops === 'string' ? ops : JSON.stringify(ops),
      }),
    remove: (token: string, id: string, version: Version = 'beta') =>
      k.app.inject({
        method: 'DELETE',
        url: `/${version}/oauth-clients/${encodeURIComponent(id)}`,
        headers: auth(token),
      }),
    rotate: (token: string, id: string, version: Version = 'beta') =>
      k.app.inject({
        method: 'POST',
        url: `/${version}/oauth-clients/${encodeURIComponent(id)}/secret`,
        headers: auth(token),
      }),
  };
}

/** Creates a client through the API and returns its id and secret (asserting success). */
export async function createdClient(
  k: Harness,
  token: string,
  body: Record<string, unknown> = clientBody(),
): Promise<{ id: string; secret: string }> {
  const res = await api(k).create(token, body);
  if (res.statusCode !== 200) throw new Error(`create failed: ${res.statusCode} ${res.body}`);
  return { id: res.json().id, secret: res.json().secret };
}

/** client_credentials at the token endpoint; returns the raw response. */
export function tokenRequest(k: Harness, clientId: string, secret: string, scope?: string) {
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: secret,
  });
  if (scope) body.set('scope', scope);
  return k.app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: body.toString(),
  });
}

export async function clientToken(
  k: Harness,
  clientId: string,
  secret: string,
  scope?: string,
): Promise<string> {
  const res = await tokenRequest(k, clientId, secret, scope);
  if (res.statusCode !== 200) throw new Error(`token failed: ${res.statusCode} ${res.body}`);
  return res.json().access_token;
}

/** Asserts-free view of a SailPoint ErrorResponseDto's text. */
export function errorText(res: LightMyRequestResponse): string {
  return res.json().messages?.[0]?.text ?? '';
}

/** A new organization (optionally a customer of `parentId`) with a service client acting in it. */
export async function orgWithClient(
  k: Harness,
  options: { parentId?: string | null; roles?: string[]; scopes?: string[] } = {},
): Promise<{ orgId: string; clientId: string; secret: string; token: string }> {
  const orgId = newId();
  const now = Date.now();
  await k.services.store.db
    .insertInto('organizations')
    .values({
      id: orgId,
      code: `org-${orgId}`,
      name: `Org ${orgId}`,
      parent_id: options.parentId ?? null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const client = await insertClient(k, {
    orgId,
    grantTypes: ['CLIENT_CREDENTIALS'],
    redirectUris: [],
    scopes: options.scopes ?? ['sp:oauth-client:read', 'sp:oauth-client:manage'],
  });
  await k.services.store.db
    .updateTable('oauth_clients')
    .set({ roles: JSON.stringify(options.roles ?? ['full_admin']) })
    .where('id', '=', client.id)
    .execute();
  return {
    orgId,
    clientId: client.id,
    secret: client.secret!,
    token: await clientToken(k, client.id, client.secret!),
  };
}

/** Helpers of the Webex authorizations tests: orgs, people with tokens, wxc_sdk-shaped requests. */
import { randomUUID } from 'node:crypto';
import { newId } from '../../src/platform/ids.js';
import { insertClient, insertPerson, type TestClient } from '../support/fixtures.js';
import type { Harness } from '../support/harness.js';

export const TOKEN_SCOPES = [
  'identity:tokens_read',
  'identity:tokens_write',
  'spark-admin:organizations_read',
];

export async function insertOrg(
  k: Harness,
  options: { parentId?: string; name?: string } = {},
): Promise<string> {
  const id = newId();
  const now = Date.now();
  await k.services.store.db
    .insertInto('organizations')
    .values({
      id,
      code: `org-${id}`,
      name: options.name ?? 'Test org',
      parent_id: options.parentId ?? null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/** An application people sign in to, holding the authorizations scopes. */
export function insertApp(
  k: Harness,
  options: { orgId?: string; name?: string; scopes?: string[]; grantTypes?: string[] } = {},
) {
  return insertClient(k, {
    orgId: options.orgId,
    name: options.name ?? 'Token manager',
    scopes: options.scopes ?? TOKEN_SCOPES,
    grantTypes: options.grantTypes ?? ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'],
  });
}

export interface IssuedTokens {
  accessToken: string;
  accessGrantId: string;
  refreshToken?: string;
  refreshGrantId?: string;
  jti: string;
  exp: number;
}

/** Real grants and tokens through the token service's own issuing code (the code flow ends here). */
export async function issueTokens(
  k: Harness,
  app: TestClient,
  person: { id: string },
  options: { orgId?: string; scopes?: string[]; withRefresh?: boolean; familyId?: string } = {},
): Promise<IssuedTokens> {
  const client = await k.services.clients.find(app.id);
  if (!client) throw new Error('no such client');
  const row = await k.services.store.db
    .selectFrom('people')
    .select('org_id')
    .where('id', '=', person.id)
    .executeTakeFirstOrThrow();
  const issued = await k.services.grants.issueForPerson(k.services.store.db, {
    client,
    personId: person.id,
    orgId: options.orgId ?? row.org_id,
    scopes: options.scopes ?? client.scopes.filter((s) => TOKEN_SCOPES.includes(s)),
    authTime: Date.now(),
    withRefresh: options.withRefresh ?? true,
    familyId: options.familyId,
  });
  return {
    accessToken: issued.accessToken,
    accessGrantId: issued.accessGrantId,
    refreshToken: issued.refreshToken,
    refreshGrantId: issued.refreshGrantId,
    jti: issued.claims.jti,
    exp: issued.claims.exp,
  };
}

/** A person in `orgId` with `roles` and a live token of `app`. */
export async function personWithToken(
  k: Harness,
  app: TestClient,
  options: { orgId?: string; roles?: string[]; scopes?: string[] } = {},
) {
  const person = await insertPerson(k, { orgId: options.orgId, roles: options.roles ?? [] });
  const tokens = await issueTokens(k, app, person, { scopes: options.scopes });
  return { ...person, tokens, token: tokens.accessToken };
}

/** The headers wxc_sdk sends on every request (sdk-clients.md §5), GET and DELETE included. */
export function wxcHeaders(token: string): Record<string, string> {
  return {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json;charset=utf-8',
    trackingid: `SIMPLE_${randomUUID()}`,
    accept: '*/*',
    'user-agent': 'python-requests/2.34.2',
  };
}

/** One request as wxc_sdk would send it, through inject (no body; DELETE gets Content-Length: 0). */
export function wxc(k: Harness, method: 'GET' | 'DELETE', url: string, token: string) {
  const headers = wxcHeaders(token);
  if (method === 'DELETE') headers['content-length'] = '0';
  return k.app.inject({ method, url, headers, ...(method === 'DELETE' ? { payload: '' } : {}) });
}

/** 401 from a management API: the token is refused. */
export async function organizationsStatus(k: Harness, token: string): Promise<number> {
  const res = await k.app.inject({
    method: 'GET',
    url: '/v1/organizations',
    headers: { authorization: `Bearer ${token}` },
  });
  return res.statusCode;
}

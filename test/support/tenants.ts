/**
 * Tenants for cross-organization tests: an unrelated organization with a full-admin service client
 * holding every management scope, a partner/customer pair, and admins with a chosen role.
 */
import { MANAGEMENT_SCOPES } from '../../src/domain/access/scopes.js';
import { newId } from '../../src/platform/ids.js';
import { insertClient } from './fixtures.js';
import type { Harness } from './harness.js';

export interface Tenant {
  orgId: string;
  code: string;
  clientId: string;
  clientSecret: string;
  /** A client_credentials token of the tenant's service client (every scope it holds). */
  token: string;
}

export interface Call {
  status: number;
  body: any;
  headers: Record<string, unknown>;
}

export type Caller = (method: string, url: string, payload?: unknown) => Promise<Call>;

/** JSON calls through app.inject with a bearer token. */
export function callerWith(k: Harness, token: string): Caller {
  return async (method, url, payload) => {
    const res = await k.app.inject({
      method: method as 'GET',
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

export async function insertOrganization(
  k: Harness,
  options: { parentId?: string | null; name?: string } = {},
): Promise<{ orgId: string; code: string }> {
  const orgId = newId();
  const code = `org-${orgId.slice(-8)}`;
  const now = Date.now();
  await k.services.store.db
    .insertInto('organizations')
    .values({
      id: orgId,
      code,
      name: options.name ?? `Org ${code}`,
      parent_id: options.parentId ?? null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { orgId, code };
}

export async function clientCredentialsToken(k: Harness, clientId: string, secret: string): Promise<string> {
  const res = await k.app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: secret,
    }).toString(),
  });
  if (res.statusCode !== 200) throw new Error(`token request failed: ${res.statusCode} ${res.body}`);
  return res.json().access_token;
}

/** A service client of `orgId` acting with `roles`, holding `scopes` (default: every management scope). */
export async function adminClient(
  k: Harness,
  orgId: string,
  roles: string[] = ['full_admin'],
  scopes: readonly string[] = MANAGEMENT_SCOPES,
): Promise<{ clientId: string; clientSecret: string; token: string }> {
  const client = await insertClient(k, {
    orgId,
    grantTypes: ['CLIENT_CREDENTIALS'],
    scopes: [...scopes],
    redirectUris: [],
    name: `admin client (${roles.join(',') || 'no roles'})`,
  });
  await k.services.store.db
    .updateTable('oauth_clients')
    .set({ roles: JSON.stringify(roles) })
    .where('id', '=', client.id)
    .execute();
  await k.services.clients.changed(client.id);
  return {
    clientId: client.id,
    clientSecret: client.secret!,
    token: await clientCredentialsToken(k, client.id, client.secret!),
  };
}

/** An organization unrelated to every other (no parent, no customers) with a full-admin client. */
export async function unrelatedTenant(k: Harness, scopes?: readonly string[]): Promise<Tenant> {
  const org = await insertOrganization(k, { name: 'Unrelated org' });
  return { ...org, ...(await adminClient(k, org.orgId, ['full_admin'], scopes)) };
}

/** A partner organization and one customer of it, each with a full-admin client. */
export async function partnerAndCustomer(k: Harness): Promise<{ partner: Tenant; customer: Tenant }> {
  const partnerOrg = await insertOrganization(k, { name: 'Partner org' });
  const customerOrg = await insertOrganization(k, { parentId: partnerOrg.orgId, name: 'Customer org' });
  return {
    partner: { ...partnerOrg, ...(await adminClient(k, partnerOrg.orgId)) },
    customer: { ...customerOrg, ...(await adminClient(k, customerOrg.orgId)) },
  };
}

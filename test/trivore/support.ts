/** Helpers shared by the Trivore-style authorisation tests. */
import { hashSecret } from '../../src/platform/crypto/secrets.js';
import type { Harness } from '../support/harness.js';

export const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

/** The seed's two users, as ids of people in the root namespace. */
export const SEED_SUBJECT = '58cfb7353874e103fc81ec5f';
export const SEED_OBJECT = '5a325c543874e16a85710c5e';

export async function addPerson(k: Harness, id: string, orgId = k.admin.orgId): Promise<void> {
  const now = Date.now();
  await k.services.store.db
    .insertInto('people')
    .values({
      id,
      org_id: orgId,
      email: `${id}@example.test`,
      display_name: id,
      first_name: null,
      last_name: null,
      password_hash: null,
      roles: '[]',
      status: 'active',
      created_at: now,
      updated_at: now,
    })
    .execute();
}

/** An HTTP caller with fixed credentials: `call('POST', url, body)` → {status, body}. */
export function caller(k: Harness, authorization: string) {
  return async (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) => {
    const res = await k.app.inject({
      method: method as 'GET',
      url,
      headers: {
        authorization,
        accept: 'application/json',
        ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      payload:
        payload === undefined ? undefined : typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
    let body: any;
    try {
      body = res.body ? JSON.parse(res.body) : undefined;
    } catch {
      body = res.body;
    }
    return { status: res.statusCode, body, headers: res.headers };
  };
}

export async function addCatalogEntry(
  call: ReturnType<typeof caller>,
  kind: 'type' | 'source',
  code: string,
  nsCode?: string,
) {
  const res = await call('POST', `/api/rest/v1/authorisation_${kind}`, { code, nsCode, name: code });
  if (res.status !== 201)
    throw new Error(`creating ${kind} ${code}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; code: string };
}

export async function addOrg(k: Harness, code: string, parentId: string | null): Promise<string> {
  const now = Date.now();
  const id = `org-${code}`;
  await k.services.store.db
    .insertInto('organizations')
    .values({ id, code, name: code, parent_id: parentId, created_at: now, updated_at: now })
    .execute();
  return id;
}

/** A service client in `orgId` with the given scopes and admin roles; returns its Basic header. */
export async function addClient(
  k: Harness,
  orgId: string,
  scopes: string[],
  roles: string[] = ['full_admin'],
  credentials: { id?: string; secret?: string } = {},
): Promise<string> {
  const now = Date.now();
  const id = credentials.id ?? `client-${orgId}-${Math.random().toString(36).slice(2, 10)}`;
  const secret = credentials.secret ?? `secret-${Math.random().toString(36).slice(2)}`;
  await k.services.store.db
    .insertInto('oauth_clients')
    .values({
      id,
      org_id: orgId,
      secret_hash: hashSecret(secret),
      name: id,
      description: null,
      business_name: null,
      homepage_url: null,
      type: 'CONFIDENTIAL',
      access_type: 'OFFLINE',
      grant_types: JSON.stringify(['CLIENT_CREDENTIALS']),
      redirect_uris: '[]',
      scope: JSON.stringify(scopes),
      roles: JSON.stringify(roles),
      access_token_ttl: 3600,
      refresh_token_ttl: 86_400,
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
  return basic(id, secret);
}

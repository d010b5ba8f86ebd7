/**
 * Every route that changes or yields a credential or power of a principal, for the privilege-ceiling
 * test (privilegeCeiling.test.ts). Each row names the kind of target it acts on; the test makes a
 * fresh target of that kind (with a known power) for every call, and calls the route as a weaker, an
 * equal and a stronger caller than the target. New routes of this kind: add them here.
 */
import { MANAGEMENT_SCOPES } from '../../src/domain/access/scopes.js';

export type Family = 'webex' | 'sailpoint' | 'authress';
export type TargetKind = 'client' | 'person' | 'connection' | 'credential';

/** Ids of the fresh target a row acts on. */
export interface Target {
  id: string;
  /** The access key of a client target (for revocation rows). */
  keyId?: string;
  /** The person whose upstream credential a connection holds (credential rows; `id` is the connection). */
  personId?: string;
}

export interface CeilingRoute {
  family: Family;
  target: TargetKind;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: (t: Target) => string;
  body?: (t: Target) => unknown;
  /** The status the route answers when allowed. */
  ok: number;
  contentType?: string;
}

export interface Power {
  roles: string[];
  scopes: readonly string[];
}

/**
 * Target powers, and the callers below, equal to and above them. Every caller holds the scope and
 * role the route needs by the permission matrix; the weaker one lacks some power of the target.
 */
export const LEVELS: Record<TargetKind, { target: Power; weaker: Power; equal: Power; stronger: Power }> = {
  // A client whose extra scope (people_write) the weaker manager lacks: the attack.
  client: {
    target: {
      roles: ['full_admin'],
      scopes: ['sp:oauth-client:read', 'sp:oauth-client:manage', 'spark-admin:people_write'],
    },
    weaker: { roles: ['full_admin'], scopes: ['sp:oauth-client:read', 'sp:oauth-client:manage'] },
    equal: {
      roles: ['full_admin'],
      scopes: ['sp:oauth-client:read', 'sp:oauth-client:manage', 'spark-admin:people_write'],
    },
    stronger: { roles: ['full_admin'], scopes: MANAGEMENT_SCOPES },
  },
  // A full admin person: a user admin may not take them over.
  person: {
    target: { roles: ['full_admin'], scopes: [] },
    weaker: { roles: ['user_admin'], scopes: ['spark-admin:people_read', 'spark-admin:people_write'] },
    equal: { roles: ['full_admin'], scopes: ['spark-admin:people_read', 'spark-admin:people_write'] },
    stronger: { roles: ['full_admin'], scopes: MANAGEMENT_SCOPES },
  },
  // A connection signs in anyone of its org, full admins included.
  connection: {
    target: { roles: ['full_admin', 'user_admin', 'device_admin', 'read_only_admin'], scopes: [] },
    weaker: { roles: ['user_admin'], scopes: ['connections:read', 'connections:write'] },
    equal: { roles: ['full_admin'], scopes: ['connections:read', 'connections:write'] },
    stronger: { roles: ['full_admin'], scopes: MANAGEMENT_SCOPES },
  },
  // A full admin's upstream token, read by another admin.
  credential: {
    target: { roles: ['full_admin'], scopes: [] },
    weaker: { roles: ['user_admin'], scopes: ['connections:read'] },
    equal: { roles: ['full_admin'], scopes: ['connections:read'] },
    stronger: { roles: ['full_admin'], scopes: MANAGEMENT_SCOPES },
  },
};

const OAUTH2 = {
  type: 'OAUTH2',
  authenticationUrl: 'https://idp.example.com/oauth/authorize',
  tokenUrl: 'https://idp.example.com/oauth/token',
  clientId: 'upstream-client',
};

const clientRoutes: CeilingRoute[] = (['v3', 'beta'] as const).flatMap((v): CeilingRoute[] => [
  {
    family: 'sailpoint',
    target: 'client',
    method: 'POST',
    url: (t) => `/${v}/oauth-clients/${t.id}/secret`,
    ok: 200,
  },
  {
    family: 'sailpoint',
    target: 'client',
    method: 'PATCH',
    url: (t) => `/${v}/oauth-clients/${t.id}`,
    body: () => [{ op: 'replace', path: '/redirectUris', value: ['https://attacker.example.com/cb'] }],
    contentType: 'application/json-patch+json',
    ok: 200,
  },
  {
    family: 'sailpoint',
    target: 'client',
    method: 'PATCH',
    url: (t) => `/${v}/oauth-clients/${t.id}`,
    body: () => [{ op: 'replace', path: '/enabled', value: false }],
    contentType: 'application/json-patch+json',
    ok: 200,
  },
  {
    family: 'sailpoint',
    target: 'client',
    method: 'DELETE',
    url: (t) => `/${v}/oauth-clients/${t.id}`,
    ok: 204,
  },
]);

export const CEILING_ROUTES: CeilingRoute[] = [
  ...clientRoutes,
  // Authress access keys: a key is the client's whole power.
  {
    family: 'authress',
    target: 'client',
    method: 'POST',
    url: (t) => `/v1/clients/${t.id}/access-keys`,
    ok: 201,
  },
  {
    family: 'authress',
    target: 'client',
    method: 'DELETE',
    url: (t) => `/v1/clients/${t.id}/access-keys/${t.keyId}`,
    ok: 204,
  },
  // Webex people: update, role changes, delete, password reset by an admin; creating a full admin.
  {
    family: 'webex',
    target: 'person',
    method: 'PUT',
    url: (t) => `/v1/people/${t.id}`,
    body: (t) => ({ emails: [`${t.id}@example.com`], displayName: 'Renamed', roles: ['full_admin'] }),
    ok: 200,
  },
  {
    family: 'webex',
    target: 'person',
    method: 'PUT',
    url: (t) => `/v1/people/${t.id}`,
    body: (t) => ({ emails: [`${t.id}@example.com`], displayName: 'Demoted', roles: [] }),
    ok: 200,
  },
  { family: 'webex', target: 'person', method: 'DELETE', url: (t) => `/v1/people/${t.id}`, ok: 204 },
  {
    family: 'webex',
    target: 'person',
    method: 'PUT',
    url: (t) => `/v1/people/${t.id}/password`,
    body: () => ({ password: 'a-new-password-1234' }),
    ok: 204,
  },
  {
    family: 'webex',
    target: 'person',
    method: 'POST',
    url: () => '/v1/people',
    body: (t) => ({ emails: [`new-${t.id}@example.com`], displayName: 'New admin', roles: ['full_admin'] }),
    ok: 200,
  },
  // Authress connections: they can sign people of the org in.
  {
    family: 'authress',
    target: 'connection',
    method: 'POST',
    url: () => '/v1/connections',
    body: (t) => ({ ...OAUTH2, connectionId: `new-${t.id}` }),
    ok: 201,
  },
  {
    family: 'authress',
    target: 'connection',
    method: 'PUT',
    url: (t) => `/v1/connections/${t.id}`,
    body: () => ({ ...OAUTH2, tokenUrl: 'https://attacker.example.com/token' }),
    ok: 200,
  },
  {
    family: 'authress',
    target: 'connection',
    method: 'DELETE',
    url: (t) => `/v1/connections/${t.id}`,
    ok: 204,
  },
  // Another person's upstream token (Authress connection credentials).
  {
    family: 'authress',
    target: 'credential',
    method: 'GET',
    url: (t) => `/v1/connections/${t.id}/users/${t.personId}/credentials`,
    ok: 200,
  },
];

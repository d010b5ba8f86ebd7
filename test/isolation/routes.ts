/**
 * Every management route of every family, as a table for the cross-tenant isolation test
 * (tenantIsolation.test.ts). Each row is called by a full admin (every management scope) of an
 * unrelated organization B with the ids of organization A's rows; `allowed` lists the statuses it may
 * answer. Whatever the status, no response may carry A's data (the test checks A's ids and a
 * marker string). Later families: add your routes here and, if they need rows, seed them in
 * `seedVictim` (tenantIsolation.test.ts).
 */

/** Rows of the victim organization A that routes refer to. */
export interface Victim {
  orgId: string;
  personId: string;
  personEmail: string;
  locationId: string;
  workspaceId: string;
  /** A customer org of A (A is a partner). */
  customerOrgId: string;
  /** Authress-style connection and the access key of A's service client. */
  connectionId: string;
  clientId: string;
  keyId: string;
  /** SailPoint-style OAuth client of A. */
  oauthClientId: string;
  /** Trivore-style authorisation, type and source of A. */
  authorisationId: string;
  authorisationTypeId: string;
  authorisationSourceId: string;
  /** Webex authorizations: A's person's refresh and access grants, and the application. */
  refreshGrantId: string;
  accessGrantId: string;
  appClientId: string;
  /** Webex license of A, assigned to A's person and workspace (issue 7). */
  licenseId: string;
}

export interface IsolationRoute {
  family: 'webex' | 'sailpoint' | 'trivore' | 'authress' | 'keyward';
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: (a: Victim) => string;
  body?: (a: Victim) => unknown;
  /** Statuses B may get: 404 (not found), 403, 400 (orgId B may not use), or 200 for B's own, empty results. */
  allowed: number[];
  contentType?: string;
}

const person = (a: Victim) => ({
  emails: [`b-${a.personId}@example.com`],
  displayName: 'Intruder',
  roles: ['full_admin'],
});
const OAUTH2 = {
  type: 'OAUTH2',
  authenticationUrl: 'https://idp.example.com/oauth/authorize',
  tokenUrl: 'https://idp.example.com/oauth/token',
  clientId: 'x',
};

export const ISOLATION_ROUTES: IsolationRoute[] = [
  // Webex people (issue 3)
  { family: 'webex', method: 'GET', url: () => '/v1/people', allowed: [200] },
  {
    family: 'webex',
    method: 'GET',
    url: (a) => `/v1/people?email=${encodeURIComponent(a.personEmail)}`,
    allowed: [200],
  },
  { family: 'webex', method: 'GET', url: (a) => `/v1/people?id=${a.personId}`, allowed: [200] },
  { family: 'webex', method: 'GET', url: () => '/v1/people?displayName=Victim', allowed: [200] },
  { family: 'webex', method: 'GET', url: (a) => `/v1/people?orgId=${a.orgId}`, allowed: [400, 403] },
  { family: 'webex', method: 'GET', url: (a) => `/v1/people?orgId=${a.customerOrgId}`, allowed: [400, 403] },
  {
    family: 'webex',
    method: 'POST',
    url: () => '/v1/people',
    body: (a) => ({ ...person(a), orgId: a.orgId }),
    allowed: [400, 403],
  },
  {
    family: 'webex',
    method: 'POST',
    url: () => '/v1/people',
    body: (a) => ({ ...person(a), orgId: a.customerOrgId }),
    allowed: [400, 403],
  },
  { family: 'webex', method: 'GET', url: (a) => `/v1/people/${a.personId}`, allowed: [404] },
  { family: 'webex', method: 'PUT', url: (a) => `/v1/people/${a.personId}`, body: person, allowed: [404] },
  { family: 'webex', method: 'DELETE', url: (a) => `/v1/people/${a.personId}`, allowed: [404] },
  {
    family: 'webex',
    method: 'PUT',
    url: (a) => `/v1/people/${a.personId}/password`,
    body: () => ({ password: 'taken over by B!' }),
    allowed: [404],
  },
  // Webex organizations, roles, locations, workspaces, admin audit (issue 3)
  { family: 'webex', method: 'GET', url: () => '/v1/organizations', allowed: [200] },
  { family: 'webex', method: 'GET', url: (a) => `/v1/organizations/${a.orgId}`, allowed: [404] },
  { family: 'webex', method: 'GET', url: (a) => `/v1/organizations/${a.customerOrgId}`, allowed: [404] },
  { family: 'webex', method: 'GET', url: () => '/v1/roles', allowed: [200] },
  { family: 'webex', method: 'GET', url: () => '/v1/locations', allowed: [200] },
  { family: 'webex', method: 'GET', url: (a) => `/v1/locations?orgId=${a.orgId}`, allowed: [400, 403] },
  { family: 'webex', method: 'GET', url: (a) => `/v1/locations?id=${a.locationId}`, allowed: [200] },
  {
    family: 'webex',
    method: 'POST',
    url: (a) => `/v1/locations?orgId=${a.orgId}`,
    body: () => ({ name: 'B HQ', address: {} }),
    allowed: [400, 403],
  },
  { family: 'webex', method: 'GET', url: (a) => `/v1/locations/${a.locationId}`, allowed: [404] },
  {
    family: 'webex',
    method: 'GET',
    url: (a) => `/v1/locations/${a.locationId}?orgId=${a.orgId}`,
    allowed: [404],
  },
  {
    family: 'webex',
    method: 'PUT',
    url: (a) => `/v1/locations/${a.locationId}`,
    body: () => ({ name: 'Renamed by B', address: {} }),
    allowed: [404],
  },
  { family: 'webex', method: 'GET', url: () => '/v1/workspaces', allowed: [200] },
  { family: 'webex', method: 'GET', url: (a) => `/v1/workspaces?locationId=${a.locationId}`, allowed: [200] },
  { family: 'webex', method: 'GET', url: (a) => `/v1/workspaces?orgId=${a.orgId}`, allowed: [400, 403] },
  {
    family: 'webex',
    method: 'POST',
    url: () => '/v1/workspaces',
    body: (a) => ({ displayName: 'B room', locationId: a.locationId }),
    allowed: [400],
  },
  {
    family: 'webex',
    method: 'POST',
    url: () => '/v1/workspaces',
    body: (a) => ({ displayName: 'B room', orgId: a.orgId }),
    allowed: [400, 403],
  },
  { family: 'webex', method: 'GET', url: (a) => `/v1/workspaces/${a.workspaceId}`, allowed: [404] },
  { family: 'webex', method: 'DELETE', url: (a) => `/v1/workspaces/${a.workspaceId}`, allowed: [404] },
  { family: 'webex', method: 'GET', url: () => '/v1/adminAudit/events', allowed: [200] },
  {
    family: 'webex',
    method: 'GET',
    url: (a) => `/v1/adminAudit/events?orgId=${a.orgId}`,
    allowed: [400, 403],
  },
  // The rest of issue 3's routes: B's own caller, B's own org, or filters that match only A's rows.
  { family: 'webex', method: 'GET', url: () => '/v1/people/me', allowed: [404] },
  {
    family: 'webex',
    method: 'POST',
    url: () => '/v1/people/me/password',
    body: () => ({ currentPassword: 'not the password', newPassword: 'taken over by B!' }),
    allowed: [404],
  },
  { family: 'webex', method: 'GET', url: () => '/v1/people?roles=user_admin', allowed: [200] },
  { family: 'webex', method: 'GET', url: () => '/v1/people?displayName=VICTIM-SECRET', allowed: [200] },
  { family: 'webex', method: 'GET', url: () => '/v1/roles/user_admin', allowed: [200] },
  {
    family: 'webex',
    method: 'POST',
    url: () => '/v1/organizations',
    body: () => ({ displayName: 'B customer' }),
    allowed: [201],
  },
  { family: 'webex', method: 'GET', url: () => '/v1/locations?name=VICTIM-SECRET', allowed: [200] },
  {
    family: 'webex',
    method: 'GET',
    url: (a) => `/v1/locations/${a.locationId}?orgId=${a.customerOrgId}`,
    allowed: [404],
  },
  { family: 'webex', method: 'GET', url: () => '/v1/workspaces?displayName=VICTIM-SECRET', allowed: [200] },
  {
    family: 'webex',
    method: 'GET',
    url: () => `/v1/adminAudit/events?from=2000-01-01T00:00:00Z&max=1000`,
    allowed: [200],
  },
  // Webex authorizations (issue 6; rows from test/authorizations/isolation.test.ts)
  { family: 'webex', method: 'GET', url: (a) => `/v1/authorizations?personId=${a.personId}`, allowed: [200] },
  {
    family: 'webex',
    method: 'GET',
    url: (a) => `/v1/authorizations?personEmail=${encodeURIComponent(a.personEmail)}`,
    allowed: [200],
  },
  { family: 'webex', method: 'DELETE', url: (a) => `/v1/authorizations/${a.refreshGrantId}`, allowed: [404] },
  { family: 'webex', method: 'DELETE', url: (a) => `/v1/authorizations/${a.accessGrantId}`, allowed: [404] },
  {
    family: 'webex',
    method: 'DELETE',
    url: (a) => `/v1/authorizations?clientId=${a.appClientId}`,
    allowed: [404],
  },
  {
    family: 'webex',
    method: 'DELETE',
    url: (a) => `/v1/authorizations?clientId=${a.appClientId}&orgId=${a.orgId}`,
    allowed: [400, 403, 404],
  },
  // Authress connections and access keys (issue 9; rows from test/connections/isolation.test.ts)
  { family: 'authress', method: 'GET', url: (a) => `/v1/connections/${a.connectionId}`, allowed: [404] },
  {
    family: 'authress',
    method: 'PUT',
    url: (a) => `/v1/connections/${a.connectionId}`,
    body: () => OAUTH2,
    allowed: [404],
  },
  { family: 'authress', method: 'DELETE', url: (a) => `/v1/connections/${a.connectionId}`, allowed: [404] },
  {
    family: 'authress',
    method: 'GET',
    url: (a) => `/v1/connections/${a.connectionId}/users/${a.personId}/credentials`,
    allowed: [404],
  },
  { family: 'authress', method: 'GET', url: () => '/v1/connections', allowed: [200] },
  { family: 'authress', method: 'GET', url: (a) => `/v1/connections?orgId=${a.orgId}`, allowed: [400] },
  {
    family: 'authress',
    method: 'POST',
    url: (a) => `/v1/connections?orgId=${a.orgId}`,
    body: () => OAUTH2,
    allowed: [400],
  },
  {
    family: 'authress',
    method: 'GET',
    url: (a) => `/v1/connections/${a.connectionId}?orgId=${a.orgId}`,
    allowed: [400],
  },
  { family: 'authress', method: 'POST', url: (a) => `/v1/clients/${a.clientId}/access-keys`, allowed: [404] },
  { family: 'authress', method: 'GET', url: (a) => `/v1/clients/${a.clientId}/access-keys`, allowed: [404] },
  {
    family: 'authress',
    method: 'DELETE',
    url: (a) => `/v1/clients/${a.clientId}/access-keys/${a.keyId}`,
    allowed: [404],
  },
  // SailPoint OAuth clients (issue 4; as in test/sailpoint/access.test.ts), both versions
  ...(['beta', 'v3'] as const).flatMap((v): IsolationRoute[] => [
    { family: 'sailpoint', method: 'GET', url: () => `/${v}/oauth-clients`, allowed: [200] },
    // A create lands in B's own organization (the body has no org to point at A's): B's own client.
    {
      family: 'sailpoint',
      method: 'POST',
      url: () => `/${v}/oauth-clients`,
      body: () => ({
        name: `B app ${v}`,
        description: null,
        accessTokenValiditySeconds: 3600,
        grantTypes: ['CLIENT_CREDENTIALS'],
        accessType: 'ONLINE',
        enabled: true,
      }),
      allowed: [200],
    },
    {
      family: 'sailpoint',
      method: 'GET',
      url: (a) => `/${v}/oauth-clients?orgId=${a.orgId}`,
      allowed: [400, 403],
    },
    {
      family: 'sailpoint',
      method: 'GET',
      url: (a) => `/${v}/oauth-clients/${a.oauthClientId}`,
      allowed: [404],
    },
    {
      family: 'sailpoint',
      method: 'PATCH',
      url: (a) => `/${v}/oauth-clients/${a.oauthClientId}`,
      body: () => [{ op: 'replace', path: '/name', value: 'Renamed by B' }],
      contentType: 'application/json-patch+json',
      allowed: [404],
    },
    {
      family: 'sailpoint',
      method: 'DELETE',
      url: (a) => `/${v}/oauth-clients/${a.oauthClientId}`,
      allowed: [404],
    },
    {
      family: 'sailpoint',
      method: 'POST',
      url: (a) => `/${v}/oauth-clients/${a.oauthClientId}/secret`,
      allowed: [404],
    },
  ]),
  // Trivore authorisations (issue 8; as in test/trivore/authorisationTenancy.test.ts)
  { family: 'trivore', method: 'GET', url: () => '/api/rest/v1/authorisation', allowed: [200] },
  {
    family: 'trivore',
    method: 'GET',
    url: (a) => `/api/rest/v1/authorisation/${a.authorisationId}`,
    allowed: [404],
  },
  {
    family: 'trivore',
    method: 'PUT',
    url: (a) => `/api/rest/v1/authorisation/${a.authorisationId}`,
    body: () => ({
      type: 'victim-type',
      subject: { type: 'String', value: 'b' },
      object: { type: 'String', value: 'b' },
    }),
    allowed: [404],
  },
  {
    family: 'trivore',
    method: 'POST',
    url: (a) => `/api/rest/v1/authorisation/${a.authorisationId}/revoke`,
    body: () => ({ cause: 'B' }),
    allowed: [404],
  },
  {
    family: 'trivore',
    method: 'DELETE',
    url: (a) => `/api/rest/v1/authorisation/${a.authorisationId}`,
    allowed: [404],
  },
  {
    family: 'trivore',
    method: 'GET',
    url: (a) =>
      `/api/rest/v1/authorisation/check?subject.value=${a.personId}&object.value=victim-object&type=victim-type`,
    allowed: [200, 400, 404],
  },
  {
    family: 'trivore',
    method: 'GET',
    url: (a) => `/api/rest/v1/user/${a.personId}/authorisation/subject`,
    allowed: [200, 404],
  },
  { family: 'trivore', method: 'GET', url: () => '/api/rest/v1/authorisation_type', allowed: [200] },
  {
    family: 'trivore',
    method: 'GET',
    url: (a) => `/api/rest/v1/authorisation_type/${a.authorisationTypeId}`,
    allowed: [404],
  },
  {
    family: 'trivore',
    method: 'DELETE',
    url: (a) => `/api/rest/v1/authorisation_type/${a.authorisationTypeId}`,
    allowed: [404],
  },
  {
    family: 'trivore',
    method: 'GET',
    url: (a) => `/api/rest/v1/authorisation_source/${a.authorisationSourceId}`,
    allowed: [404],
  },
  {
    family: 'trivore',
    method: 'DELETE',
    url: (a) => `/api/rest/v1/authorisation_source/${a.authorisationSourceId}`,
    allowed: [404],
  },
  {
    family: 'trivore',
    method: 'POST',
    url: () => '/api/rest/v1/authorisation',
    body: () => ({
      type: 'victim-type',
      nsCode: 'root',
      subject: { type: 'String', value: 'b' },
      object: { type: 'String', value: 'b' },
    }),
    allowed: [400, 403],
  },
  // Trivore authorisations, more routes (issue 8)
  {
    family: 'trivore',
    method: 'GET',
    url: () => `/api/rest/v1/authorisation?filter=${encodeURIComponent('nsCode eq "root" or type pr')}`,
    allowed: [200],
  },
  {
    family: 'trivore',
    method: 'GET',
    url: (a) => `/api/rest/v1/authorisation?filter=${encodeURIComponent(`id eq "${a.authorisationId}"`)}`,
    allowed: [200],
  },
  {
    family: 'trivore',
    method: 'POST',
    url: (a) => `/api/rest/v1/user/${a.personId}/authorisation/subject`,
    body: () => ({ active: true }),
    allowed: [404],
  },
  {
    family: 'trivore',
    method: 'GET',
    url: (a) => `/api/rest/v1/user/${a.personId}/authorisation/object`,
    allowed: [404],
  },
  {
    family: 'trivore',
    method: 'PUT',
    url: (a) => `/api/rest/v1/authorisation_type/${a.authorisationTypeId}`,
    body: () => ({ code: 'taken-by-b' }),
    allowed: [404],
  },
  {
    family: 'trivore',
    method: 'PUT',
    url: (a) => `/api/rest/v1/authorisation_source/${a.authorisationSourceId}`,
    body: () => ({ code: 'taken-by-b' }),
    allowed: [404],
  },
  { family: 'trivore', method: 'GET', url: () => '/api/rest/v1/authorisation_source', allowed: [200] },
  {
    family: 'trivore',
    method: 'POST',
    url: () => '/api/rest/v1/authorisation_type',
    body: () => ({ code: 'b-type', nsCode: 'root' }),
    allowed: [403],
  },
  {
    family: 'trivore',
    method: 'POST',
    url: () => '/api/rest/v1/authorisation_source',
    body: () => ({ code: 'b-source', nsCode: 'root' }),
    allowed: [403],
  },
  {
    family: 'trivore',
    method: 'POST',
    url: (a) => `/api/rest/v1/user/${a.personId}/authorisation/object`,
    body: () => ({ active: true }),
    allowed: [404],
  },
  // Webex licenses (issue 7)
  { family: 'webex', method: 'GET', url: () => '/v1/licenses', allowed: [200] },
  { family: 'webex', method: 'GET', url: (a) => `/v1/licenses?orgId=${a.orgId}`, allowed: [400, 403] },
  {
    family: 'webex',
    method: 'GET',
    url: (a) => `/v1/licenses?orgId=${a.customerOrgId}`,
    allowed: [400, 403],
  },
  { family: 'webex', method: 'GET', url: (a) => `/v1/licenses/${a.licenseId}`, allowed: [404] },
  {
    family: 'webex',
    method: 'GET',
    url: (a) => `/v1/licenses/${a.licenseId}?includeAssignedTo=user&max=1`,
    allowed: [404],
  },
  {
    family: 'webex',
    method: 'PUT',
    url: (a) => `/v1/licenses/${a.licenseId}`,
    body: () => ({ totalUnits: 100000 }),
    allowed: [404],
  },
  {
    family: 'webex',
    method: 'POST',
    url: () => '/v1/licenses',
    body: (a) => ({ orgId: a.orgId, name: 'Webex Calling - Professional', totalUnits: 5 }),
    allowed: [400, 403],
  },
  {
    family: 'webex',
    method: 'PATCH',
    url: () => '/v1/licenses/users',
    body: (a) => ({ personId: a.personId, licenses: [{ id: a.licenseId, operation: 'remove' }] }),
    allowed: [404],
  },
  {
    family: 'webex',
    method: 'PATCH',
    url: () => '/v1/licenses/users',
    body: (a) => ({ email: a.personEmail, licenses: [{ id: a.licenseId, operation: 'remove' }] }),
    allowed: [400, 404],
  },
  {
    family: 'webex',
    method: 'PATCH',
    url: () => '/v1/licenses/users',
    body: (a) => ({
      personId: a.personId,
      orgId: a.orgId,
      licenses: [{ id: a.licenseId, operation: 'remove' }],
    }),
    allowed: [400, 403],
  },
  { family: 'webex', method: 'GET', url: (a) => `/v1/workspaces/${a.workspaceId}/licenses`, allowed: [404] },
  {
    family: 'webex',
    method: 'PATCH',
    url: (a) => `/v1/workspaces/${a.workspaceId}/licenses`,
    body: (a) => ({ licenses: [{ id: a.licenseId, operation: 'remove' }] }),
    allowed: [404],
  },
  {
    family: 'webex',
    method: 'POST',
    url: () => '/v1/licenses/pending/decline',
    body: () => ({}),
    allowed: [403],
  },
  {
    family: 'webex',
    method: 'POST',
    url: () => '/v1/licenses/pending/accept',
    body: () => ({}),
    allowed: [403],
  },
  // Webex authorizations: the expiry of the caller's own token, never another's.
  { family: 'webex', method: 'GET', url: () => '/v1/authorizations/tokenExpiry', allowed: [200] },
  // Keyward admin API: B sees itself; signing keys are the server's (no tenant's data); only a full
  // admin of the root organization rotates them.
  { family: 'keyward', method: 'GET', url: () => '/admin/v1/me', allowed: [200] },
  { family: 'keyward', method: 'GET', url: () => '/admin/v1/signingKeys', allowed: [200, 403] },
  {
    family: 'keyward',
    method: 'GET',
    url: () => '/admin/v1/signingKeys?includeRetired=true',
    allowed: [200, 403],
  },
  {
    family: 'keyward',
    method: 'POST',
    url: () => '/admin/v1/signingKeys/rotate',
    body: () => ({ alg: 'EdDSA' }),
    allowed: [403],
  },
  // A person's licenses and sessions (admin console): another organization's person does not exist for B.
  { family: 'keyward', method: 'GET', url: (a) => `/admin/v1/people/${a.personId}/licenses`, allowed: [404] },
  { family: 'keyward', method: 'GET', url: (a) => `/admin/v1/people/${a.personId}/sessions`, allowed: [404] },
  {
    family: 'keyward',
    method: 'DELETE',
    url: (a) => `/admin/v1/people/${a.personId}/sessions`,
    allowed: [404],
  },
  // Activity counts: B's own, never A's.
  { family: 'keyward', method: 'GET', url: () => '/admin/v1/stats', allowed: [200] },
  {
    family: 'keyward',
    method: 'GET',
    url: (a) => `/admin/v1/stats?orgId=${a.orgId}`,
    allowed: [400, 403, 404],
  },
];

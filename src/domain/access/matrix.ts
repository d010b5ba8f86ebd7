import { Forbidden } from '../../platform/errors.js';
import type { Principal } from './principal.js';
import { ADMIN_ROLES, type AdminRole } from './roles.js';

/**
 * Who may do what: the one place every family's permission checks come from (README renders it).
 * An operation is allowed when the caller holds at least one of `scopes` (the family's vocabulary,
 * carried by its token) AND at least one of `roles` in the target organization. `roles: 'self'`
 * marks operations any authenticated person may do on their own data.
 */
export interface OperationRule {
  scopes: readonly string[];
  roles: readonly AdminRole[] | 'any';
  describe: string;
}

const ANY_ADMIN = ADMIN_ROLES;
const WRITERS: readonly AdminRole[] = ['full_admin'];

export const OPERATIONS = {
  'organizations.read': {
    scopes: ['spark-admin:organizations_read'],
    roles: ANY_ADMIN,
    describe: 'read organizations (own; a partner full admin also its customers)',
  },
  'organizations.create': {
    scopes: ['spark-admin:organizations_write'],
    roles: WRITERS,
    describe: 'create a customer organization under a partner',
  },
  // Webex people, roles, locations, workspaces and admin audit (issue 3). Read-only admins read,
  // never write; granting admin roles is for full admins only (a user admin could else promote itself).
  'people.search': {
    scopes: ['spark:people_read', 'spark-admin:people_read'],
    roles: 'any',
    describe: 'look people up (non-admins: own org, filtered by email, displayName or id) and get one by id',
  },
  'people.read': {
    scopes: ['spark-admin:people_read'],
    roles: ANY_ADMIN,
    describe: 'list a whole org without filters, filter by roles',
  },
  'people.readSelf': {
    scopes: ['spark:people_read', 'spark-admin:people_read'],
    roles: 'any',
    describe: 'GET /v1/people/me and one’s own person by id',
  },
  'people.write': {
    scopes: ['spark-admin:people_write'],
    roles: ['full_admin', 'user_admin'],
    describe: 'create and update (PUT) people without changing admin roles',
  },
  'people.assignRoles': {
    scopes: ['spark-admin:people_write'],
    roles: WRITERS,
    describe: 'give or take admin roles (create or PUT with roles)',
  },
  'people.delete': {
    scopes: ['spark-admin:people_write'],
    roles: ['full_admin', 'user_admin'],
    describe: 'delete a person (revokes their grants and sessions)',
  },
  'people.setPassword': {
    scopes: ['spark-admin:people_write'],
    roles: ['full_admin', 'user_admin'],
    describe: 'set a person’s password (Keyward extension)',
  },
  'people.changeOwnPassword': {
    scopes: ['spark:people_read', 'spark-admin:people_read', 'spark-admin:people_write'],
    roles: 'any',
    describe: 'change one’s own password, given the current one (Keyward extension)',
  },
  'roles.read': {
    scopes: ['spark-admin:roles_read', 'spark-admin:people_read'],
    roles: ANY_ADMIN,
    describe: 'list the admin roles',
  },
  'locations.read': {
    scopes: ['spark-admin:locations_read', 'spark-admin:people_read'],
    roles: ANY_ADMIN,
    describe: 'list and get locations',
  },
  'locations.write': {
    scopes: ['spark-admin:locations_write'],
    roles: WRITERS,
    describe: 'create and update locations',
  },
  'workspaces.read': {
    scopes: ['spark-admin:workspaces_read'],
    roles: ANY_ADMIN,
    describe: 'list and get workspaces',
  },
  'workspaces.write': {
    scopes: ['spark-admin:workspaces_write'],
    roles: ['full_admin', 'device_admin'],
    describe: 'create and delete workspaces',
  },
  'audit.read': {
    scopes: ['audit:events_read'],
    roles: ['full_admin', 'read_only_admin'],
    describe: 'list admin audit events (Keyward extension)',
  },
  // SailPoint-style OAuth clients (issue 4): reads for any admin, writes for full admins.
  'oauthClients.read': {
    scopes: ['sp:oauth-client:read', 'sp:oauth-client:manage'],
    roles: ANY_ADMIN,
    describe: 'list and get OAuth clients',
  },
  'oauthClients.manage': {
    scopes: ['sp:oauth-client:manage'],
    roles: WRITERS,
    describe: 'create, patch, delete OAuth clients and rotate their secrets',
  },
  // Trivore-style authorisations (issue 8): reads for any admin, writes for full and user admins.
  'authorisations.read': {
    scopes: ['AUTHORISATION_VIEW'],
    roles: ANY_ADMIN,
    describe: 'list, get and check authorisations in accessible namespaces',
  },
  'authorisations.create': {
    scopes: ['AUTHORISATION_CREATE'],
    roles: ['full_admin', 'user_admin'],
    describe: 'create an authorisation',
  },
  'authorisations.modify': {
    scopes: ['AUTHORISATION_MODIFY'],
    roles: ['full_admin', 'user_admin'],
    describe: 'replace an authorisation (PUT)',
  },
  'authorisations.delete': {
    scopes: ['AUTHORISATION_DELETE'],
    roles: ['full_admin', 'user_admin'],
    describe: 'delete an authorisation',
  },
  'authorisations.revoke': {
    scopes: ['AUTHORISATION_REVOKE'],
    roles: ['full_admin', 'user_admin'],
    describe: 'revoke an authorisation',
  },
  'authorisationTypes.read': {
    scopes: ['AUTHORISATION_TYPE_VIEW'],
    roles: ANY_ADMIN,
    describe: 'list and get authorisation types',
  },
  'authorisationTypes.create': {
    scopes: ['AUTHORISATION_TYPE_CREATE'],
    roles: WRITERS,
    describe: 'create an authorisation type',
  },
  'authorisationTypes.modify': {
    scopes: ['AUTHORISATION_TYPE_MODIFY'],
    roles: WRITERS,
    describe: 'replace an authorisation type',
  },
  'authorisationTypes.delete': {
    scopes: ['AUTHORISATION_TYPE_DELETE'],
    roles: WRITERS,
    describe: 'delete an unused authorisation type',
  },
  'authorisationSources.read': {
    scopes: ['AUTHORISATION_SOURCE_VIEW'],
    roles: ANY_ADMIN,
    describe: 'list and get authorisation sources',
  },
  'authorisationSources.create': {
    scopes: ['AUTHORISATION_SOURCE_CREATE'],
    roles: WRITERS,
    describe: 'create an authorisation source',
  },
  'authorisationSources.modify': {
    scopes: ['AUTHORISATION_SOURCE_MODIFY'],
    roles: WRITERS,
    describe: 'replace an authorisation source',
  },
  'authorisationSources.delete': {
    scopes: ['AUTHORISATION_SOURCE_DELETE'],
    roles: WRITERS,
    describe: 'delete an unused authorisation source',
  },
  // Webex-style authorizations (issue 6, seed 000): full, user and device admins of the person's org
  // (a partner's customers: full admins only); read-only admins are refused even for reads.
  'authorizations.read': {
    scopes: ['identity:tokens_read'],
    roles: ['full_admin', 'user_admin', 'device_admin'],
    describe: "list a person's token grants (authorizations)",
  },
  'authorizations.delete': {
    scopes: ['identity:tokens_write'],
    roles: ['full_admin', 'user_admin', 'device_admin'],
    describe: "revoke a person's grant, or every grant of a client in an org (?clientId)",
  },
  'authorizations.readOwn': {
    scopes: ['identity:tokens_read'],
    roles: 'any',
    describe: 'list one’s own token grants (ordinary users; not read-only admins)',
  },
  'authorizations.deleteOwn': {
    scopes: ['identity:tokens_write'],
    roles: 'any',
    describe: 'revoke one’s own token grant (ordinary users; not read-only admins)',
  },
  // Webex-style licenses (issue 7, seed 001): admins only. Provisioning the inventory is a Keyward
  // extension for full admins (own org, or a partner's customers).
  'licenses.read': {
    scopes: ['spark-admin:licenses_read'],
    roles: ANY_ADMIN,
    describe: 'list licenses, get one and its assigned users',
  },
  'licenses.assign': {
    scopes: ['spark-admin:people_write'],
    roles: ['full_admin', 'user_admin'],
    describe: 'assign and remove licenses and attendee site URLs of people (PATCH /v1/licenses/users)',
  },
  'licenses.assignWorkspaces': {
    scopes: ['spark-admin:workspaces_write', 'spark-admin:people_write'],
    roles: ['full_admin', 'device_admin'],
    describe: 'assign and remove licenses of workspaces (Keyward extension)',
  },
  'licenses.provision': {
    scopes: ['spark-admin:organizations_write'],
    roles: WRITERS,
    describe: 'create licenses and change their totalUnits (Keyward extension)',
  },
  'licenses.respond': {
    scopes: ['spark:people_read', 'spark-admin:people_read', 'spark-admin:people_write'],
    roles: 'any',
    describe: 'accept or decline one’s own pending licenses from another organization (Keyward extension)',
  },
  // Authress-style connections (issue 9): reads for any admin, writes for full admins; upstream
  // credentials of other people only for full and user admins (they impersonate upstream).
  'connections.read': {
    scopes: ['connections:read'],
    roles: ANY_ADMIN,
    describe: 'list and get SSO connections',
  },
  'connections.write': {
    scopes: ['connections:write'],
    roles: WRITERS,
    describe: 'create, replace and delete SSO connections',
  },
  'connections.credentials': {
    scopes: ['connections:read'],
    roles: ['full_admin', 'user_admin'],
    describe: "read another person's upstream access token (a person may always read their own)",
  },
  // Keyward admin API (issue 17): the installation's signing keys.
  'signingKeys.read': {
    scopes: ['spark-admin:organizations_read'],
    roles: ANY_ADMIN,
    describe: 'list signing keys and their state (GET /admin/v1/signingKeys)',
  },
  'signingKeys.rotate': {
    scopes: ['spark-admin:organizations_write'],
    roles: WRITERS,
    describe: 'rotate a signing key (root organization only; POST /admin/v1/signingKeys/rotate)',
  },
  // Access keys mint a credential of a client: the same power as managing the client itself.
  'accessKeys.read': {
    scopes: ['sp:oauth-client:read', 'sp:oauth-client:manage'],
    roles: ANY_ADMIN,
    describe: "list a service client's access keys",
  },
  'accessKeys.write': {
    scopes: ['sp:oauth-client:manage'],
    roles: WRITERS,
    describe: 'create or revoke an access key of a service client',
  },
} satisfies Record<string, OperationRule>;

export type Operation = keyof typeof OPERATIONS;

/** Extension point for later families: `registerOperations({...})` at module load. */
const registry: Record<string, OperationRule> = { ...OPERATIONS };

export function registerOperations(rules: Record<string, OperationRule>): void {
  Object.assign(registry, rules);
}

export function operationRules(): Readonly<Record<string, OperationRule>> {
  return registry;
}

export function hasScopeFor(principal: Principal, operation: string): boolean {
  const rule = registry[operation];
  if (!rule) throw new Error(`unknown operation ${operation}`);
  return rule.scopes.some((s) => principal.scopes.has(s));
}

export function hasRoleFor(principal: Principal, operation: string): boolean {
  const rule = registry[operation];
  if (!rule) throw new Error(`unknown operation ${operation}`);
  return rule.roles === 'any' || rule.roles.some((r) => principal.roles.includes(r));
}

/** Throws Forbidden naming what is missing. */
export function authorize(principal: Principal, operation: string): void {
  const rule = registry[operation]!;
  if (!hasScopeFor(principal, operation)) {
    throw new Forbidden(`This operation requires one of the scopes: ${rule.scopes.join(', ')}.`);
  }
  if (!hasRoleFor(principal, operation)) {
    throw new Forbidden(
      `This operation requires one of the roles: ${(rule.roles as AdminRole[]).join(', ')}.`,
    );
  }
}

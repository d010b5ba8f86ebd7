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
  'authorisationTypes.read': { scopes: ['AUTHORISATION_TYPE_VIEW'], roles: ANY_ADMIN, describe: 'list and get authorisation types' },
  'authorisationTypes.create': { scopes: ['AUTHORISATION_TYPE_CREATE'], roles: WRITERS, describe: 'create an authorisation type' },
  'authorisationTypes.modify': { scopes: ['AUTHORISATION_TYPE_MODIFY'], roles: WRITERS, describe: 'replace an authorisation type' },
  'authorisationTypes.delete': { scopes: ['AUTHORISATION_TYPE_DELETE'], roles: WRITERS, describe: 'delete an unused authorisation type' },
  'authorisationSources.read': { scopes: ['AUTHORISATION_SOURCE_VIEW'], roles: ANY_ADMIN, describe: 'list and get authorisation sources' },
  'authorisationSources.create': { scopes: ['AUTHORISATION_SOURCE_CREATE'], roles: WRITERS, describe: 'create an authorisation source' },
  'authorisationSources.modify': { scopes: ['AUTHORISATION_SOURCE_MODIFY'], roles: WRITERS, describe: 'replace an authorisation source' },
  'authorisationSources.delete': { scopes: ['AUTHORISATION_SOURCE_DELETE'], roles: WRITERS, describe: 'delete an unused authorisation source' },
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

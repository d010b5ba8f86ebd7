import { Forbidden } from '../../platform/errors.js';
import type { Principal } from './principal.js';
import { ADMIN_ROLES, type AdminRole } from './roles.js';
import { MANAGEMENT_SCOPES } from './scopes.js';

/**
 * The privilege ceiling (issue 13): a caller may act on a principal (client, access key, person,
 * role assignment, connection) only if the target's power is within its own. Otherwise a weak
 * credential that may "manage clients" could rotate the secret of a stronger client and become it.
 *
 * Power = management scopes ∪ admin roles ∪ organization reach:
 * - scopes: every management scope of the target must be held by the caller (its token's scope;
 *   identity scopes such as `openid` carry no power and are ignored);
 * - roles: every admin role of the target must be the caller's, `full_admin` covering them all;
 * - reach: the target's organization must be one the caller may act in (own, or a partner full
 *   admin's customer: services check it first and answer 404 otherwise); a target full admin, whose
 *   reach spans its organization's customers, needs a caller full admin (the role rule).
 */
export interface Power {
  /** The target's organization (its reach; the caller's reach over it is checked by the service). */
  orgId: string;
  scopes: readonly string[];
  roles: readonly AdminRole[];
}

const MANAGEMENT = new Set(MANAGEMENT_SCOPES);

/** What the caller lacks of the target's power (empty lists: within the ceiling). */
export function powerBeyond(caller: Principal, target: Power): { scopes: string[]; roles: AdminRole[] } {
  const scopes = [...new Set(target.scopes)].filter((s) => MANAGEMENT.has(s) && !caller.scopes.has(s));
  const roles = caller.roles.includes('full_admin')
    ? []
    : [...new Set(target.roles)].filter((r) => !caller.roles.includes(r));
  return { scopes, roles };
}

export function withinCeiling(caller: Principal, target: Power): boolean {
  const beyond = powerBeyond(caller, target);
  return beyond.scopes.length === 0 && beyond.roles.length === 0;
}

/** Throws Forbidden naming the power the caller lacks. `what` names the target, e.g. "client x". */
export function assertWithinCeiling(caller: Principal, target: Power, what: string): void {
  const beyond = powerBeyond(caller, target);
  if (beyond.scopes.length === 0 && beyond.roles.length === 0) return;
  const lacks = [
    beyond.roles.length ? `roles ${beyond.roles.join(', ')}` : '',
    beyond.scopes.length ? `scopes ${beyond.scopes.join(', ')}` : '',
  ].filter(Boolean);
  throw new Forbidden(
    `The caller may not act on ${what}: it holds power the caller lacks (${lacks.join('; ')}).`,
  );
}

/**
 * A connection links and signs in any person of its organization by verified email, full admins
 * included: its power is every admin role there (people's scopes come from the application).
 */
export function connectionPower(orgId: string): Power {
  return { orgId, scopes: [], roles: ADMIN_ROLES };
}

import { sql, type Kysely } from 'kysely';
import { Forbidden } from '../../platform/errors.js';
import type { Dialect } from '../../store/db.js';
import type { Database, PersonRow } from '../../store/schema.js';
import { authorize, hasRoleFor, hasScopeFor } from '../access/matrix.js';
import type { Principal } from '../access/principal.js';
import type { Organizations } from '../organizations/organizations.js';
import { idList, normaliseEmail, roleList } from './personRules.js';

export interface PeopleQuery {
  email?: string;
  /** Prefix, case-insensitive. */
  displayName?: string;
  /** Comma-separated ids (≤ 85). */
  id?: string;
  orgId?: string;
  /** Comma-separated roles: people holding at least one. */
  roles?: string;
  max: number;
  /** Keyset: the last id of the previous page. */
  after?: string;
}

/** Admins (people_read scope and an admin role) may list a whole org and filter by roles. */
export function isPeopleAdmin(principal: Principal): boolean {
  return hasScopeFor(principal, 'people.read') && hasRoleFor(principal, 'people.read');
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The least string above every string that starts with `prefix`, in code point order: the last
 * code point that can be incremented, incremented (past the surrogates). Undefined when there is none
 * or the prefix is not well-formed UTF-16 (then the LIKE alone decides).
 */
export function prefixUpperBound(prefix: string): string | undefined {
  if (/\p{Cs}/u.test(prefix)) return undefined; // a lone surrogate
  const points = Array.from(prefix);
  while (points.length > 0) {
    let next = points.pop()!.codePointAt(0)! + 1;
    if (next === 0xd800) next = 0xe000;
    if (next <= 0x10ffff) return points.join('') + String.fromCodePoint(next);
  }
  return undefined;
}

export interface PeopleListing {
  /** Up to `max + 1` rows, so the caller knows whether another page exists. */
  rows: PersonRow[];
  /** With an `id` filter: the ids that are no person of the target org (Webex `notFoundIds`). */
  notFoundIds?: string[];
}

/**
 * The people list: every filter and the keyset page in one SQL query, inside one org (the caller's,
 * or a customer's for a partner full admin).
 */
export async function listPeople(
  db: Kysely<Database>,
  dialect: Dialect,
  organizations: Organizations,
  principal: Principal,
  query: PeopleQuery,
): Promise<PeopleListing> {
  authorize(principal, 'people.search');
  const admin = isPeopleAdmin(principal);
  const ids = idList(query.id);
  const roles = roleList(query.roles);
  const email = query.email ? normaliseEmail('email', query.email) : undefined;
  const displayName = query.displayName?.trim().toLowerCase() || undefined;
  if (!admin) {
    if (!email && !displayName && !ids) {
      throw new Forbidden('Only admins may list a whole organization: pass email, displayName or id.');
    }
    if (roles) authorize(principal, 'people.read');
  }
  const orgId = await organizations.resolveTarget(principal, query.orgId);
  let q = db.selectFrom('people').selectAll().where('org_id', '=', orgId);
  if (email) q = q.where('email', '=', email);
  if (displayName) {
    const pattern = `${escapeLike(displayName)}%`;
    q = q.where(sql<boolean>`lower(display_name) like ${pattern} escape ${'\\'}`);
    // SQLite never uses an index for LIKE on an expression: the same prefix as a range on
    // lower(display_name) (bytewise = code point order) reads only the matches from 0007's index.
    // PostgreSQL derives that range from the LIKE itself (0009's "C"-collated index).
    const upper = dialect === 'sqlite' ? prefixUpperBound(displayName) : undefined;
    if (upper !== undefined) {
      q = q
        .where(sql<boolean>`lower(display_name) >= ${displayName}`)
        .where(sql<boolean>`lower(display_name) < ${upper}`);
    }
  }
  if (ids) q = q.where('id', 'in', ids);
  if (roles) q = q.where((eb) => eb.or(roles.map((r) => eb('roles', 'like', `%"${r}"%`))));
  if (query.after) q = q.where('id', '>', query.after);
  const rows = await q
    .orderBy('id')
    .limit(query.max + 1)
    .execute();
  if (!ids) return { rows };
  // Existence in the target org only (≤ 85 ids, primary key): another org's person is "not found" too.
  const found = await db
    .selectFrom('people')
    .select('id')
    .where('org_id', '=', orgId)
    .where('id', 'in', ids)
    .execute();
  const present = new Set(found.map((r) => r.id));
  return { rows, notFoundIds: ids.filter((id) => !present.has(id)) };
}

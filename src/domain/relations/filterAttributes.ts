/**
 * The SCIM attributes an authorisation list can filter and sort on, over `authorisations as a`.
 * `type`, `authSource` and `nsCode` are codes of other rows (see codeLookups.ts); `active` and
 * `revoked` are computed from time and revocation, never stored flags.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { CustomCompile, FilterAttributes } from '../../platform/filters/scim.js';
import { byCode, CODE_TABLES, type ResolvedCodes } from './codeLookups.js';
import type { SortColumn } from './listing.js';

/** A boolean computed by `condition`; both values and `pr` are meaningful, null never matches. */
function computedFlag(condition: Expression<SqlBool>): CustomCompile {
  return (op, value) => {
    if (op === 'pr' || (op === 'ne' && value === null)) return sql<SqlBool>`1 = 1`;
    if (op === 'isnull' || (op === 'eq' && value === null)) return sql<SqlBool>`1 = 0`;
    const wanted = op === 'eq' ? value === true : value !== true;
    return wanted ? condition : sql<SqlBool>`(not ${condition})`;
  };
}

/** SQL for "active at `at`" over a table alias with valid_from/valid_to/revoked_at columns. */
export function activeAt(alias: string, at: number): Expression<SqlBool> {
  const c = (name: string) => sql.ref(`${alias}.${name}`);
  return sql<SqlBool>`(${c('revoked_at')} is null and ${c('valid_from')} <= ${at} and (${c('valid_to')} is null or ${c('valid_to')} > ${at}))`;
}

/** `resolved`: the code lookups done for this filter (see codeLookups.ts). */
export function authorisationAttributes(now: number, resolved: ResolvedCodes = new Map()): FilterAttributes {
  const type = { type: 'string', compile: byCode(CODE_TABLES.type!, resolved) } as const;
  const source = { type: 'string', compile: byCode(CODE_TABLES.authsource!, resolved) } as const;
  return {
    id: { column: 'a.id', type: 'string', caseExact: true },
    type,
    authtype: type,
    authsource: source,
    source,
    nscode: { type: 'string', compile: byCode(CODE_TABLES.nscode!, resolved) },
    'subject.type': { column: 'a.subject_type', type: 'string' },
    'subject.value': { column: 'a.subject_value', type: 'string', caseExact: true },
    'object.type': { column: 'a.object_type', type: 'string' },
    'object.value': { column: 'a.object_value', type: 'string', caseExact: true },
    'creator.type': { column: 'a.creator_type', type: 'string' },
    'creator.id': { column: 'a.creator_id', type: 'string', caseExact: true },
    validfrom: { column: 'a.valid_from', type: 'datetime' },
    validto: { column: 'a.valid_to', type: 'datetime' },
    revokedat: { column: 'a.revoked_at', type: 'datetime' },
    'revocationdetails.cause': { column: 'a.revocation_cause', type: 'string' },
    revoked: { type: 'boolean', compile: computedFlag(sql<SqlBool>`(a.revoked_at is not null)`) },
    active: { type: 'boolean', compile: computedFlag(activeAt('a', now)) },
    'meta.created': { column: 'a.created_at', type: 'datetime' },
    'meta.lastmodified': { column: 'a.updated_at', type: 'datetime' },
  };
}

export const AUTHORISATION_SORTABLE: Record<string, SortColumn> = {
  id: { column: 'a.id' },
  validfrom: { column: 'a.valid_from' },
  validto: { column: 'a.valid_to', nullable: true },
  revokedat: { column: 'a.revoked_at', nullable: true },
  'meta.created': { column: 'a.created_at' },
  'meta.lastmodified': { column: 'a.updated_at' },
  'subject.type': { column: 'a.subject_type', text: true },
  'subject.value': { column: 'a.subject_value', text: true },
  'object.type': { column: 'a.object_type', text: true },
  'object.value': { column: 'a.object_value', text: true },
};

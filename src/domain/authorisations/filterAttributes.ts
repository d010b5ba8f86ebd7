/**
 * The SCIM attributes an authorisation list can filter and sort on, over `authorisations as a`.
 * `type`, `authSource` and `nsCode` are codes of other rows, compiled as subqueries on their
 * tables; `active` and `revoked` are computed from time and revocation, never stored flags.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import { Invalid } from '../../platform/errors.js';
import { compileComparison } from '../../platform/filters/compare.js';
import type { CustomCompile, FilterAttributes } from '../../platform/filters/scim.js';
import type { SortColumn } from './listing.js';

const fail = (reason: string): never => {
  throw new Invalid('filter', reason, { scimType: 'invalidFilter' });
};

/**
 * `fk` refers to `table.id`; compares `table.code` (case-exact: codes are identifiers). Absent
 * (null) foreign keys are "not equal" to every code and fail every other comparison.
 */
function byCode(name: string, fk: string, table: string, alias: string, nullable: boolean): CustomCompile {
  return (op, value) => {
    const ref = sql.ref(fk);
    if (op === 'pr' || (op === 'ne' && value === null)) return sql<SqlBool>`(${ref} is not null)`;
    if (op === 'isnull' || (op === 'eq' && value === null)) return sql<SqlBool>`(${ref} is null)`;
    const cmp = compileComparison({ column: `${alias}.code`, type: 'string', caseExact: true }, name, op, value, fail);
    const ids = sql<SqlBool>`${ref} in (select ${sql.ref(`${alias}.id`)} from ${sql.table(table)} ${sql.raw(alias)} where ${cmp})`;
    if (op === 'ne' && nullable) return sql<SqlBool>`(${ref} is null or ${ids})`;
    return sql<SqlBool>`(${ref} is not null and ${ids})`;
  };
}

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

export function authorisationAttributes(now: number): FilterAttributes {
  const type = { type: 'string', compile: byCode('type', 'a.type_id', 'authorisation_types', 'kt', false) } as const;
  const source = {
    type: 'string',
    compile: byCode('authSource', 'a.source_id', 'authorisation_sources', 'ks', true),
  } as const;
  return {
    id: { column: 'a.id', type: 'string', caseExact: true },
    type,
    authtype: type,
    authsource: source,
    source,
    nscode: { type: 'string', compile: byCode('nsCode', 'a.org_id', 'organizations', 'ko', false) },
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

/**
 * `type`, `authSource` and `nsCode` filters compare codes stored in other tables. Before a list
 * query, each such comparison is looked up once (`select id … where code …`, limited to the
 * caller's namespaces) and the list query gets the matching ids as literals. PostgreSQL's planner
 * then sees real values and walks the id-ordered index for a page instead of sorting every match
 * (340 ms → 0.3 ms at 1M rows). Lookups with too many ids fall back to a subquery.
 */
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import { Invalid } from '../../platform/errors.js';
import { compileComparison, type FilterOp } from '../../platform/filters/compare.js';
import type { CustomCompile, ScimFilter, ScimValue } from '../../platform/filters/scim.js';
import type { Database } from '../../store/schema.js';

const MAX_IDS = 500;

export interface CodeTable {
  /** SCIM attribute name for messages. */
  name: string;
  /** The referring column of `authorisations as a`. */
  fk: string;
  table: 'authorisation_types' | 'authorisation_sources' | 'organizations';
  alias: string;
  /** Whether the referring column may be null (a source is optional). */
  nullable: boolean;
  /** The column of `table` restricted to the caller's namespaces. */
  orgColumn: string;
}

export const CODE_TABLES: Record<string, CodeTable> = {};
const types: CodeTable = {
  name: 'type',
  fk: 'a.type_id',
  table: 'authorisation_types',
  alias: 'kt',
  nullable: false,
  orgColumn: 'kt.org_id',
};
const sources: CodeTable = {
  name: 'authSource',
  fk: 'a.source_id',
  table: 'authorisation_sources',
  alias: 'ks',
  nullable: true,
  orgColumn: 'ks.org_id',
};
const namespaces: CodeTable = {
  name: 'nsCode',
  fk: 'a.org_id',
  table: 'organizations',
  alias: 'ko',
  nullable: false,
  orgColumn: 'ko.id',
};
Object.assign(CODE_TABLES, {
  type: types,
  authtype: types,
  authsource: sources,
  source: sources,
  nscode: namespaces,
});

/** Ids per looked-up comparison, keyed by `lookupKey`. */
export type ResolvedCodes = Map<string, string[]>;

const fail = (reason: string): never => {
  throw new Invalid('filter', reason, { scimType: 'invalidFilter' });
};

function lookupKey(table: CodeTable, op: FilterOp, value: unknown): string {
  return `${table.table}\u0000${op}\u0000${String(value)}`;
}

function codeComparison(table: CodeTable, op: FilterOp, value: ScimValue) {
  const spec = { column: `${table.alias}.code`, type: 'string', caseExact: true } as const;
  return compileComparison(spec, table.name, op, value, fail);
}

/**
 * Looks up every code comparison of `filter` (string values only; anything malformed is left for
 * the compiler to reject with its position).
 */
export async function resolveCodes(
  db: Kysely<Database>,
  filter: ScimFilter | undefined,
  scope: (column: string) => Expression<SqlBool>,
): Promise<ResolvedCodes> {
  const resolved: ResolvedCodes = new Map();
  const visit = async (node: ScimFilter): Promise<void> => {
    if (node.type === 'and' || node.type === 'or') {
      for (const f of node.filters) await visit(f);
      return;
    }
    if (node.type === 'not') return visit(node.filter);
    if (node.type !== 'compare' || typeof node.value !== 'string' || node.attr.uri !== undefined) return;
    const path = (
      node.attr.subAttr ? `${node.attr.name}.${node.attr.subAttr}` : node.attr.name
    ).toLowerCase();
    const table = Object.hasOwn(CODE_TABLES, path) ? CODE_TABLES[path]! : undefined;
    if (!table) return;
    const key = lookupKey(table, node.op, node.value);
    if (resolved.has(key)) return;
    const rows = await db
      .selectFrom(`${table.table} as ${table.alias}` as 'organizations')
      .select(sql<string>`${sql.ref(`${table.alias}.id`)}`.as('id'))
      .where(codeComparison(table, node.op, node.value))
      .where(scope(table.orgColumn))
      .limit(MAX_IDS + 1)
      .execute();
    if (rows.length <= MAX_IDS) resolved.set(key, rows.map((r) => r.id).sort());
  };
  if (filter) await visit(filter);
  return resolved;
}

/**
 * Compiles a comparison on a code: with the looked-up ids when there are some, else as a
 * subquery. Absent (null) references are "not equal" to every code and fail every other test.
 */
export function byCode(table: CodeTable, resolved: ResolvedCodes): CustomCompile {
  return (op, value) => {
    const ref = sql.ref(table.fk);
    if (op === 'pr' || (op === 'ne' && value === null)) return sql<SqlBool>`(${ref} is not null)`;
    if (op === 'isnull' || (op === 'eq' && value === null)) return sql<SqlBool>`(${ref} is null)`;
    const ids = resolved.get(lookupKey(table, op, value));
    let matches: Expression<SqlBool>;
    if (ids === undefined) {
      const cmp = codeComparison(table, op, value as ScimValue);
      matches = sql<SqlBool>`${ref} in (select ${sql.ref(`${table.alias}.id`)} from ${sql.table(table.table)} ${sql.raw(table.alias)} where ${cmp})`;
    } else {
      matches = ids.length ? sql<SqlBool>`${ref} in (${sql.join(ids)})` : sql<SqlBool>`1 = 0`;
    }
    if (op === 'ne' && table.nullable) return sql<SqlBool>`(${ref} is null or ${matches})`;
    return sql<SqlBool>`(${ref} is not null and ${matches})`;
  };
}

/**
 * True when `filter` is, or is an `and` of, a looked-up `nsCode` comparison: it then already
 * limits rows to namespaces the caller may access (lookups are scoped), so the list query can
 * leave out its own namespace condition, which otherwise costs a test per counted row.
 */
export function restrictsNamespaces(filter: ScimFilter | undefined, resolved: ResolvedCodes): boolean {
  if (!filter) return false;
  const conjuncts = filter.type === 'and' ? filter.filters : [filter];
  return conjuncts.some(
    (c) =>
      c.type === 'compare' &&
      typeof c.value === 'string' &&
      c.attr.uri === undefined &&
      c.attr.subAttr === undefined &&
      c.attr.name.toLowerCase() === 'nscode' &&
      resolved.has(lookupKey(namespaces, c.op, c.value)),
  );
}

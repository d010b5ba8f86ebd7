/**
 * What the authorisation lists share: a SCIM filter compiled over declared attributes, an offset
 * page and a sort on a declared column, all in SQL.
 */
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { Invalid } from '../../platform/errors.js';
import { compileScimFilter, type FilterAttributes, type ScimFilter } from '../../platform/filters/scim.js';

export interface ListRequest {
  /** A parsed SCIM filter (the API layer parses the text, so syntax errors carry positions). */
  filter?: ScimFilter;
  /** 0-based row offset and page size (0 = count only). */
  offset: number;
  limit: number;
  sortBy?: string;
  sortOrder?: 'ascending' | 'descending';
}

export interface ListResult<T> {
  total: number;
  items: T[];
}

export interface SortColumn {
  column: string;
  nullable?: boolean;
  /** Text columns sort by code point on both databases (PostgreSQL otherwise uses its locale). */
  text?: boolean;
}

export function whereOf(conditions: Expression<SqlBool>[]): Expression<SqlBool> {
  if (conditions.length === 0) return sql<SqlBool>`1 = 1`;
  return sql<SqlBool>`${sql.join(conditions, sql` and `)}`;
}

export function compileFilter(
  filter: ScimFilter | undefined,
  attributes: FilterAttributes,
): Expression<SqlBool>[] {
  return filter ? [compileScimFilter(filter, attributes)] : [];
}

/**
 * ORDER BY for `sortBy` (a declared attribute path, case-insensitive) then the id, so pages are
 * stable. Absent values sort last ascending and first descending, as PostgreSQL does by default.
 */
export function orderBy(
  request: ListRequest,
  sortable: Readonly<Record<string, SortColumn>>,
  idColumn: string,
  postgres: boolean,
): RawBuilder<unknown> {
  const dir = sql.raw(request.sortOrder === 'descending' ? 'desc' : 'asc');
  const id = sql`${sql.ref(idColumn)} ${dir}`;
  if (request.sortBy === undefined || request.sortBy === '') return id;
  const key = request.sortBy.toLowerCase();
  const spec = Object.hasOwn(sortable, key) ? sortable[key] : undefined;
  if (!spec) {
    throw new Invalid(
      'sortBy',
      `cannot sort by '${request.sortBy}'; sortable: ${Object.keys(sortable).join(', ')}`,
      {
        scimType: 'invalidValue',
      },
    );
  }
  if (spec.column === idColumn) return id;
  const col = sql.ref(spec.column);
  const value = spec.text && postgres ? sql`${col} collate "C"` : sql`${col}`;
  const parts = [sql`${value} ${dir}`, id];
  if (spec.nullable) parts.unshift(sql`(case when ${col} is null then 1 else 0 end) ${dir}`);
  return sql.join(parts);
}

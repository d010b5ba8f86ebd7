/**
 * What an OAuth client list can filter and sort on, in SQL over `oauth_clients`. SailPoint documents
 * `lastUsed` (le, isnull) for this endpoint; the other fields and operators are Keyward extensions.
 */
import { sql, type RawBuilder } from 'kysely';
import { Invalid } from '../../platform/errors.js';
import type { SailPointFields } from '../../platform/filters/sailpoint.js';

export const CLIENT_FILTER_FIELDS: SailPointFields = {
  id: { column: 'oauth_clients.id', type: 'string', caseExact: true, ops: ['eq', 'ne', 'in'] },
  name: { column: 'oauth_clients.name', type: 'string', ops: ['eq', 'ne', 'co', 'sw', 'in'] },
  type: { column: 'oauth_clients.type', type: 'string', ops: ['eq', 'ne', 'in'] },
  accessType: { column: 'oauth_clients.access_type', type: 'string', ops: ['eq', 'ne', 'in'] },
  enabled: { column: 'oauth_clients.enabled', type: 'boolean', ops: ['eq', 'ne'] },
  internal: { column: 'oauth_clients.internal', type: 'boolean', ops: ['eq', 'ne'] },
  created: { column: 'oauth_clients.created_at', type: 'datetime', ops: ['gt', 'ge', 'lt', 'le'] },
  modified: { column: 'oauth_clients.updated_at', type: 'datetime', ops: ['gt', 'ge', 'lt', 'le'] },
  lastUsed: {
    column: 'oauth_clients.last_used_at',
    type: 'datetime',
    ops: ['le', 'lt', 'ge', 'gt', 'isnull', 'pr'],
  },
};

interface SortColumn {
  column: string;
  nullable?: boolean;
  caseFolded?: boolean;
}

const SORTABLE: Readonly<Record<string, SortColumn>> = {
  id: { column: 'oauth_clients.id' },
  name: { column: 'oauth_clients.name', caseFolded: true },
  created: { column: 'oauth_clients.created_at' },
  modified: { column: 'oauth_clients.updated_at' },
  lastUsed: { column: 'oauth_clients.last_used_at', nullable: true },
};

export interface ClientSort {
  field: string;
  descending: boolean;
}

/**
 * ORDER BY for `sorters`, then creation order and id so pages are stable. Never-used clients sort
 * last ascending, first descending (PostgreSQL's default, made explicit for SQLite).
 */
export function clientOrder(sorts: readonly ClientSort[], postgres: boolean): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  const seen = new Set<string>();
  for (const { field, descending } of sorts) {
    const spec = Object.hasOwn(SORTABLE, field) ? SORTABLE[field] : undefined;
    if (!spec) {
      throw new Invalid(
        'sorters',
        `cannot sort by '${field}'; sortable: ${Object.keys(SORTABLE).join(', ')}`,
      );
    }
    if (seen.has(field)) throw new Invalid('sorters', `'${field}' is listed twice`);
    seen.add(field);
    const dir = sql.raw(descending ? 'desc' : 'asc');
    const col = sql.ref(spec.column);
    if (spec.nullable) parts.push(sql`(case when ${col} is null then 1 else 0 end) ${dir}`);
    // Code-point order on both databases (PostgreSQL would otherwise use its locale's collation).
    const value = spec.caseFolded
      ? postgres
        ? sql`lower(${col}) collate "C"`
        : sql`lower(${col})`
      : sql`${col}`;
    parts.push(sql`${value} ${dir}`);
  }
  parts.push(sql`${sql.ref('oauth_clients.created_at')} asc`, sql`${sql.ref('oauth_clients.id')} asc`);
  return sql.join(parts);
}

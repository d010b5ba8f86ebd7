/**
 * Reading authorisations: filtered, sorted, offset-paged lists (all in SQL), the per-user lists
 * and the point-in-time check. Every query is limited to the namespaces the caller may access.
 */
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import { Invalid, NotFound } from '../../platform/errors.js';
import type { ScimFilter, ScimValue } from '../../platform/filters/scim.js';
import type { Dialect } from '../../store/db.js';
import type { Database } from '../../store/schema.js';
import type { AuthorisationRow } from '../../store/tables/authorisations.js';
import { authorize } from '../access/matrix.js';
import type { Principal } from '../access/principal.js';
import { resolveCodes, restrictsNamespaces } from './codeLookups.js';
import { AUTHORISATION_SORTABLE, authorisationAttributes } from './filterAttributes.js';
import { activeAt } from './history.js';
import { compileFilter, orderBy, whereOf, type ListRequest, type ListResult } from './listing.js';
import { parseInstant, toAuthorisation, type Authorisation } from './model.js';
import type { Namespaces } from './namespaces.js';

/** The JSON criteria the per-user POST lists accept (Trivore's `{"active": true}`). */
export interface UserListCriteria {
  active?: boolean;
  revoked?: boolean;
  type?: string;
  authSource?: string;
  nsCode?: string;
}

export interface CheckRequest {
  subjectValue?: string;
  objectValue?: string;
  type?: string;
  /** ISO 8601; default now. */
  at?: string;
}

export interface CheckResult {
  active: boolean;
  authorisationIds: string[];
  at: number;
}

/** Result sizes up to which a page is taken by sorting all matches (see page()). */
const SORT_MATCHES_UP_TO = 1000;

export class AuthorisationQueries {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly namespaces: Namespaces,
    private readonly now: () => number = Date.now,
  ) {}

  async list(principal: Principal, request: ListRequest): Promise<ListResult<Authorisation>> {
    authorize(principal, 'authorisations.read');
    return this.page(principal, request, []);
  }

  /**
   * Authorisations in which person `userId` is the subject (delegated to them) or the object
   * (given by them). The person must exist in a namespace the caller may access.
   */
  async listForUser(
    principal: Principal,
    userId: string,
    side: 'subject' | 'object',
    request: ListRequest,
    criteria: UserListCriteria = {},
  ): Promise<ListResult<Authorisation>> {
    authorize(principal, 'authorisations.read');
    const person = await this.db
      .selectFrom('people')
      .select('id')
      .where('id', '=', userId)
      .where(this.namespaces.scope(principal, 'people.org_id'))
      .executeTakeFirst();
    if (!person) throw new NotFound(`User ${userId} was not found.`);
    const filters = [...criteriaFilters(criteria), ...(request.filter ? [request.filter] : [])];
    const filter: ScimFilter | undefined =
      filters.length === 0 ? undefined : filters.length === 1 ? filters[0] : { type: 'and', filters };
    const typeColumn = sql.ref(`a.${side}_type`);
    const valueColumn = sql.ref(`a.${side}_value`);
    return this.page(principal, { ...request, filter }, [
      sql<SqlBool>`${valueColumn} = ${userId}`,
      sql<SqlBool>`${typeColumn} = 'User'`,
    ]);
  }

  /** Was any authorisation of `type` from object to subject active at `at` (default now)? */
  async check(principal: Principal, request: CheckRequest): Promise<CheckResult> {
    authorize(principal, 'authorisations.read');
    const required = (field: string, value: string | undefined): string => {
      if (value === undefined || value === '') throw new Invalid(field, 'is required');
      return value;
    };
    const subjectValue = required('subject.value', request.subjectValue);
    const objectValue = required('object.value', request.objectValue);
    const typeCode = required('type', request.type);
    const at = request.at === undefined || request.at === '' ? this.now() : parseInstant('at', request.at);
    const ids = await activeAt(this.db, {
      subjectValue,
      objectValue,
      typeCode,
      at,
      scope: this.namespaces.scope(principal, 'h.org_id'),
    });
    return { active: ids.length > 0, authorisationIds: ids, at };
  }

  private async page(
    principal: Principal,
    request: ListRequest,
    extra: Expression<SqlBool>[],
  ): Promise<ListResult<Authorisation>> {
    const now = this.now();
    const resolved = await resolveCodes(this.db, request.filter, (column) =>
      this.namespaces.scope(principal, column),
    );
    const where = whereOf([
      ...(restrictsNamespaces(request.filter, resolved)
        ? []
        : [this.namespaces.scope(principal, 'a.org_id')]),
      ...extra,
      ...compileFilter(request.filter, authorisationAttributes(now, resolved)),
    ]);
    const order = orderBy(request, AUTHORISATION_SORTABLE, 'a.id', this.dialect === 'postgres');
    // The count uses the same WHERE, on the same indexes; no joins are needed for either query.
    const { total } = await this.db
      .selectFrom('authorisations as a')
      .select((eb) => eb.fn.countAll<number | string>().as('total'))
      .where(where)
      .executeTakeFirstOrThrow();
    if (request.limit === 0 || Number(total) <= request.offset) return { total: Number(total), items: [] };
    // Few matches (known from the count): select them on the most selective index, then sort.
    // Many: follow the ORDER BY index and stop after the page. Left to itself, SQLite (which has
    // no statistics) walks the id-ordered namespace index even for a rare type: 230 ms → 0.4 ms.
    const rows =
      Number(total) <= SORT_MATCHES_UP_TO
        ? await this.db
            .with(
              (cte) => cte('matches').materialized(),
              (db) => db.selectFrom('authorisations as a').selectAll('a').where(where),
            )
            .selectFrom('matches as a')
            .selectAll('a')
            .orderBy(order)
            .limit(request.limit)
            .offset(request.offset)
            .execute()
        : await this.db
            .selectFrom('authorisations as a')
            .selectAll('a')
            .where(where)
            .orderBy(order)
            .limit(request.limit)
            .offset(request.offset)
            .execute();
    return { total: Number(total), items: await withCodes(this.db, rows, now) };
  }
}

/** Resolves the namespace, type and source codes of a page of rows, in one round trip. */
export async function withCodes(
  db: Kysely<Database>,
  rows: AuthorisationRow[],
  now: number,
): Promise<Authorisation[]> {
  if (rows.length === 0) return [];
  const distinct = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => v !== null))];
  const part = (kind: string, table: string, ids: string[]) =>
    sql`select ${kind} as kind, id, code from ${sql.table(table)} where id in (${sql.join(ids)})`;
  const parts = [
    part('o', 'organizations', distinct(rows.map((r) => r.org_id))),
    part('t', 'authorisation_types', distinct(rows.map((r) => r.type_id))),
  ];
  const sourceIds = distinct(rows.map((r) => r.source_id));
  if (sourceIds.length) parts.push(part('s', 'authorisation_sources', sourceIds));
  const { rows: codes } = await sql<{
    kind: string;
    id: string;
    code: string;
  }>`${sql.join(parts, sql` union all `)}`.execute(db);
  const code = new Map(codes.map((c) => [`${c.kind}:${c.id}`, c.code]));
  return rows.map((row) =>
    toAuthorisation(
      row,
      {
        nsCode: code.get(`o:${row.org_id}`) ?? '',
        type: code.get(`t:${row.type_id}`) ?? '',
        authSource: row.source_id === null ? null : (code.get(`s:${row.source_id}`) ?? null),
      },
      now,
    ),
  );
}

/** `{"active": true, "type": "x"}` as the equivalent SCIM filter nodes, compiled like any filter. */
function criteriaFilters(criteria: UserListCriteria): ScimFilter[] {
  const node = (name: string, value: ScimValue): ScimFilter => ({
    type: 'compare',
    attr: { name, pos: 0 },
    op: 'eq',
    value,
    pos: 0,
  });
  const out: ScimFilter[] = [];
  if (criteria.active !== undefined) out.push(node('active', criteria.active));
  if (criteria.revoked !== undefined) out.push(node('revoked', criteria.revoked));
  if (criteria.type !== undefined) out.push(node('type', criteria.type));
  if (criteria.authSource !== undefined) out.push(node('authSource', criteria.authSource));
  if (criteria.nsCode !== undefined) out.push(node('nsCode', criteria.nsCode));
  return out;
}

/**
 * Authorisation types and sources: per-namespace vocabularies that authorisations refer to by
 * code. Both have the same shape and rules; one class serves each, parametrised by table.
 */
import type { Kysely } from 'kysely';
import { Conflict, Invalid, NotFound } from '../../platform/errors.js';
import type { FilterAttributes } from '../../platform/filters/scim.js';
import { newId } from '../../platform/ids.js';
import { isUniqueViolation, type Dialect } from '../../store/db.js';
import type { Database } from '../../store/schema.js';
import type { AuthorisationCatalogRow } from '../../store/tables/authorisations.js';
import { authorize } from '../access/matrix.js';
import { actorOf, type Principal } from '../access/principal.js';
import { recordAudit } from '../audit/auditLog.js';
import {
  compileFilter,
  orderBy,
  whereOf,
  type ListRequest,
  type ListResult,
  type SortColumn,
} from './listing.js';
import type { Namespaces } from './namespaces.js';

export type CatalogKind = 'type' | 'source';

export interface LocalizedName {
  locale: string;
  value: string;
}

export interface CatalogEntry {
  id: string;
  orgId: string;
  nsCode: string;
  code: string;
  name: string | null;
  names: LocalizedName[];
  description: string | null;
  metadata: Record<string, unknown> | null;
  created: number;
  lastModified: number;
}

export interface CatalogInput {
  code?: string;
  nsCode?: string;
  name?: string | null;
  names?: LocalizedName[] | null;
  description?: string | null;
  metadata?: Record<string, unknown> | null;
}

const CODE = /^[A-Za-z0-9_.:-]{1,100}$/;

const ATTRIBUTES: FilterAttributes = {
  id: { column: 'c.id', type: 'string', caseExact: true },
  code: { column: 'c.code', type: 'string', caseExact: true },
  nscode: { column: 'o.code', type: 'string', caseExact: true },
  name: { column: 'c.name', type: 'string' },
  description: { column: 'c.description', type: 'string' },
  'meta.created': { column: 'c.created_at', type: 'datetime' },
  'meta.lastmodified': { column: 'c.updated_at', type: 'datetime' },
};

const SORTABLE: Record<string, SortColumn> = {
  id: { column: 'c.id' },
  code: { column: 'c.code', text: true },
  nscode: { column: 'o.code', text: true },
  name: { column: 'c.name', text: true, nullable: true },
  'meta.created': { column: 'c.created_at' },
  'meta.lastmodified': { column: 'c.updated_at' },
};

export class AuthorisationCatalog {
  private readonly table: 'authorisation_types' | 'authorisation_sources';
  private readonly op: string;
  private readonly label: string;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly namespaces: Namespaces,
    readonly kind: CatalogKind,
  ) {
    this.table = kind === 'type' ? 'authorisation_types' : 'authorisation_sources';
    this.op = kind === 'type' ? 'authorisationTypes' : 'authorisationSources';
    this.label = kind === 'type' ? 'Authorisation type' : 'Authorisation source';
  }

  private base() {
    return this.db
      .selectFrom(`${this.table} as c`)
      .innerJoin('organizations as o', 'o.id', 'c.org_id')
      .selectAll('c')
      .select('o.code as ns_code');
  }

  async list(principal: Principal, request: ListRequest): Promise<ListResult<CatalogEntry>> {
    authorize(principal, `${this.op}.read`);
    const where = whereOf([
      this.namespaces.scope(principal, 'c.org_id'),
      ...compileFilter(request.filter, ATTRIBUTES),
    ]);
    const { total } = await this.db
      .selectFrom(`${this.table} as c`)
      .innerJoin('organizations as o', 'o.id', 'c.org_id')
      .select((eb) => eb.fn.countAll<number | string>().as('total'))
      .where(where)
      .executeTakeFirstOrThrow();
    const rows =
      request.limit === 0
        ? []
        : await this.base()
            .where(where)
            .orderBy(orderBy(request, SORTABLE, 'c.id', this.dialect === 'postgres'))
            .limit(request.limit)
            .offset(request.offset)
            .execute();
    return { total: Number(total), items: rows.map(toEntry) };
  }

  async get(principal: Principal, id: string): Promise<CatalogEntry> {
    authorize(principal, `${this.op}.read`);
    return toEntry(await this.find(principal, id));
  }

  async create(principal: Principal, input: CatalogInput): Promise<CatalogEntry> {
    authorize(principal, `${this.op}.create`);
    const code = requireCode(input.code);
    const ns = await this.namespaces.forWrite(principal, input.nsCode);
    const now = Date.now();
    const row: AuthorisationCatalogRow = {
      id: newId(now),
      org_id: ns.orgId,
      code,
      ...describe(input, undefined),
      created_at: now,
      updated_at: now,
    };
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx.insertInto(this.table).values(row).execute();
        await recordAudit(trx, {
          orgId: ns.orgId,
          actor: actorOf(principal),
          action: `authorisation_${this.kind}.create`,
          target: `authorisation_${this.kind}:${row.id}`,
          detail: { code },
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw this.duplicate(code, ns.code);
      throw error;
    }
    return toEntry({ ...row, ns_code: ns.code });
  }

  /** Full replacement of code, names and description; the namespace cannot change. */
  async update(principal: Principal, id: string, input: CatalogInput): Promise<CatalogEntry> {
    authorize(principal, `${this.op}.modify`);
    const current = await this.find(principal, id);
    if (input.nsCode !== undefined && input.nsCode !== current.ns_code) {
      throw new Invalid('nsCode', `cannot move a ${this.kind} to another namespace`);
    }
    const code = requireCode(input.code);
    const now = Date.now();
    const changes = { code, ...describe(input, current), updated_at: now };
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx.updateTable(this.table).set(changes).where('id', '=', id).execute();
        await recordAudit(trx, {
          orgId: current.org_id,
          actor: actorOf(principal),
          action: `authorisation_${this.kind}.update`,
          target: `authorisation_${this.kind}:${id}`,
          detail: { code, previousCode: current.code },
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw this.duplicate(code, current.ns_code);
      throw error;
    }
    return toEntry({ ...current, ...changes });
  }

  /** A type or source that any authorisation refers to cannot be deleted (409). */
  async delete(principal: Principal, id: string): Promise<void> {
    authorize(principal, `${this.op}.delete`);
    const current = await this.find(principal, id);
    const column = this.kind === 'type' ? 'type_id' : 'source_id';
    const inUse = () =>
      new Conflict(
        `${this.label} ${JSON.stringify(current.code)} is used by authorisations and cannot be deleted.`,
      );
    try {
      await this.db.transaction().execute(async (trx) => {
        const used = await trx
          .selectFrom('authorisations')
          .select('id')
          .where('org_id', '=', current.org_id)
          .where(column, '=', id)
          .limit(1)
          .executeTakeFirst();
        if (used) throw inUse();
        await trx.deleteFrom(this.table).where('id', '=', id).execute();
        await recordAudit(trx, {
          orgId: current.org_id,
          actor: actorOf(principal),
          action: `authorisation_${this.kind}.delete`,
          target: `authorisation_${this.kind}:${id}`,
          detail: { code: current.code },
        });
      });
    } catch (error) {
      // An authorisation created concurrently with this type wins: the foreign key says so.
      if (isForeignKeyViolation(error)) throw inUse();
      throw error;
    }
  }

  /** The entry with `code` in a namespace, for authorisation writes. */
  async findByCode(orgId: string, code: string): Promise<{ id: string; code: string } | undefined> {
    return this.db
      .selectFrom(this.table)
      .select(['id', 'code'])
      .where('org_id', '=', orgId)
      .where('code', '=', code)
      .executeTakeFirst();
  }

  private async find(principal: Principal, id: string) {
    const row = await this.base()
      .where('c.id', '=', id)
      .where(this.namespaces.scope(principal, 'c.org_id'))
      .executeTakeFirst();
    if (!row) throw new NotFound(`${this.label} ${id} was not found.`);
    return row;
  }

  private duplicate(code: string, nsCode: string): Conflict {
    return new Conflict(
      `${this.label} ${JSON.stringify(code)} already exists in namespace ${JSON.stringify(nsCode)}.`,
    );
  }
}

function requireCode(code: string | undefined): string {
  if (code === undefined || code === '') throw new Invalid('code', 'is required');
  if (!CODE.test(code))
    throw new Invalid('code', "must be 1-100 characters: letters, digits, '_', '.', ':' or '-'");
  return code;
}

/** The descriptive fields of a create or a replace (omitted = unchanged on replace, null = cleared). */
function describe(input: CatalogInput, current: AuthorisationCatalogRow | undefined) {
  const names = input.names === undefined ? (current ? JSON.parse(current.names) : []) : (input.names ?? []);
  const name =
    input.name !== undefined
      ? input.name
      : input.names !== undefined
        ? (names[0]?.value ?? null)
        : (current?.name ?? null);
  return {
    name,
    names: JSON.stringify(names),
    description: input.description !== undefined ? input.description : (current?.description ?? null),
    metadata:
      input.metadata !== undefined
        ? input.metadata === null
          ? null
          : JSON.stringify(input.metadata)
        : (current?.metadata ?? null),
  };
}

function toEntry(row: AuthorisationCatalogRow & { ns_code: string }): CatalogEntry {
  return {
    id: row.id,
    orgId: row.org_id,
    nsCode: row.ns_code,
    code: row.code,
    name: row.name,
    names: JSON.parse(row.names),
    description: row.description,
    metadata: row.metadata === null ? null : JSON.parse(row.metadata),
    created: row.created_at,
    lastModified: row.updated_at,
  };
}

export function isForeignKeyViolation(error: unknown): boolean {
  const e = error as { code?: string } | undefined;
  return e?.code === '23503' || e?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

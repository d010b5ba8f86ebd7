/**
 * The system-time history of authorisations (table authorisation_history). Every write closes the
 * current state at the instant of the change and appends the new one, so "was authorisation X
 * active at T" is the state current at T evaluated at T: exact for revocations, expiries,
 * window changes made by PUT and deletions alike.
 */
import { type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { AuthorisationRow } from '../../store/tables/authorisations.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Appends the state `row` as version `version`, current from `at`. */
export async function appendState(db: Db, row: AuthorisationRow, version: number, at: number): Promise<void> {
  await db
    .insertInto('authorisation_history')
    .values({
      authorisation_id: row.id,
      version,
      org_id: row.org_id,
      type_id: row.type_id,
      source_id: row.source_id,
      subject_type: row.subject_type,
      subject_value: row.subject_value,
      object_type: row.object_type,
      object_value: row.object_value,
      valid_from: row.valid_from,
      valid_to: row.valid_to,
      revoked_at: row.revoked_at,
      recorded_from: at,
      recorded_to: null,
    })
    .execute();
}

/** Ends the current state at `at`; returns its version (0 when there was none). */
export async function closeState(db: Db, authorisationId: string, at: number): Promise<number> {
  const current = await db
    .selectFrom('authorisation_history')
    .select('version')
    .where('authorisation_id', '=', authorisationId)
    .where('recorded_to', 'is', null)
    .executeTakeFirst();
  if (!current) return 0;
  await db
    .updateTable('authorisation_history')
    .set({ recorded_to: at })
    .where('authorisation_id', '=', authorisationId)
    .where('version', '=', current.version)
    .execute();
  return current.version;
}

export interface CheckQuery {
  subjectValue: string;
  objectValue: string;
  typeCode: string;
  at: number;
  /** Tenancy: restricts h.org_id. */
  scope: Expression<SqlBool>;
}

/**
 * Ids of the authorisations active at `at`: the state recorded as current at `at` was not
 * revoked and its window contained `at`. Served by index authorisation_history_check.
 */
export async function activeAt(db: Db, q: CheckQuery): Promise<string[]> {
  const rows = await db
    .selectFrom('authorisation_history as h')
    .select('h.authorisation_id')
    .where('h.subject_value', '=', q.subjectValue)
    .where('h.object_value', '=', q.objectValue)
    .where(
      'h.type_id',
      'in',
      db.selectFrom('authorisation_types as kt').select('kt.id').where('kt.code', '=', q.typeCode),
    )
    .where('h.recorded_from', '<=', q.at)
    .where((eb) => eb.or([eb('h.recorded_to', 'is', null), eb('h.recorded_to', '>', q.at)]))
    .where('h.valid_from', '<=', q.at)
    .where((eb) => eb.or([eb('h.valid_to', 'is', null), eb('h.valid_to', '>', q.at)]))
    .where((eb) => eb.or([eb('h.revoked_at', 'is', null), eb('h.revoked_at', '>', q.at)]))
    .where(q.scope)
    .orderBy('h.authorisation_id')
    .execute();
  return [...new Set(rows.map((r) => r.authorisation_id))];
}

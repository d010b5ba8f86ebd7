import { sql, type Kysely, type Transaction } from 'kysely';
import { Conflict, Invalid } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { isUniqueViolation, type Dialect } from '../../store/db.js';
import type { Database } from '../../store/schema.js';
import { recordAudit } from '../audit/auditLog.js';
import {
  checkCallingProperties,
  licenseFlags,
  type CallingProperties,
  type LicenseRow,
} from './licenseRules.js';

export type Operation = 'add' | 'remove';

export interface LicenseChange {
  id: string;
  operation?: Operation;
  properties?: CallingProperties;
}

/** Who holds units: a person (maybe of another org: pending until accepted) or a workspace. */
export interface Holder {
  kind: 'person' | 'workspace';
  id: string;
  /** The holder's own organization. */
  orgId: string;
  /** For messages: "person <id>" / "workspace <id>". */
  label: string;
}

export interface ChangeContext {
  /** The organization the licenses belong to. */
  orgId: string;
  actor: string;
  dialect: Dialect;
}

const CALLING_NAMES = ['Webex Calling - Professional', 'Webex Calling - Basic', 'Webex Calling - Workspaces'];

type Counter = 'consumed_by_users' | 'consumed_by_workspaces';
const counterOf = (holder: Holder): Counter =>
  holder.kind === 'person' ? 'consumed_by_users' : 'consumed_by_workspaces';

/**
 * Applies license changes for one holder inside `trx`, all or nothing: the first failing change
 * throws and the caller's transaction rolls back. Removals run before additions (so a swap of
 * calling licenses works in one request). Capacity: a request naming several licenses locks them
 * in id order on PostgreSQL (no deadlocks between requests), and every unit is taken by a conditional UPDATE
 * `… where consumed < total`, so consumedUnits can never pass totalUnits on either database
 * (SQLite runs one write transaction at a time).
 */
export async function applyLicenseChanges(
  trx: Transaction<Database>,
  ctx: ChangeContext,
  holder: Holder,
  changes: readonly LicenseChange[],
): Promise<void> {
  const seen = new Set<string>();
  const indexed = changes.map((change, index) => {
    const field = `licenses[${index}]`;
    if (typeof change.id !== 'string' || change.id === '') throw new Invalid(`${field}.id`, 'is required');
    if (seen.has(change.id)) throw new Invalid(`${field}.id`, `license ${change.id} appears more than once`);
    seen.add(change.id);
    return { ...change, operation: change.operation ?? 'add', field };
  });
  if (indexed.length === 0) return;
  const ids = [...seen].sort();
  let lookup = trx.selectFrom('licenses').selectAll().where('org_id', '=', ctx.orgId).where('id', 'in', ids);
  // Several licenses: lock them in id order first, so two such requests cannot deadlock.
  if (ctx.dialect === 'postgres' && ids.length > 1) lookup = lookup.orderBy('id').forUpdate();
  const licenses = new Map((await lookup.execute()).map((row) => [row.id, row]));
  for (const change of indexed) {
    if (!licenses.has(change.id)) {
      throw new Invalid(
        `${change.field}.id`,
        `license ${change.id} is not recognized in organization ${ctx.orgId}`,
      );
    }
  }
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  for (const change of indexed.filter((c) => c.operation === 'remove').sort(byId)) {
    await removeUnit(trx, ctx, holder, licenses.get(change.id)!, change.field);
  }
  for (const change of indexed.filter((c) => c.operation === 'add').sort(byId)) {
    await addUnit(trx, ctx, holder, licenses.get(change.id)!, change);
  }
}

async function removeUnit(
  trx: Transaction<Database>,
  ctx: ChangeContext,
  holder: Holder,
  license: LicenseRow,
  field: string,
): Promise<void> {
  const deleted = await trx
    .deleteFrom('license_assignments')
    .where('license_id', '=', license.id)
    .where('holder_id', '=', holder.id)
    .executeTakeFirst();
  if (Number(deleted.numDeletedRows) === 0) {
    throw new Invalid(`${field}.id`, `${holder.label} does not hold license ${license.id} (${license.name})`);
  }
  await audit(trx, ctx.orgId, ctx.actor, 'license.remove', holder, { licenseId: license.id });
  await releaseUnit(trx, license.id, counterOf(holder));
}

async function addUnit(
  trx: Transaction<Database>,
  ctx: ChangeContext,
  holder: Holder,
  license: LicenseRow,
  change: LicenseChange & { field: string },
): Promise<void> {
  const held = await trx
    .selectFrom('license_assignments')
    .select('id')
    .where('license_id', '=', license.id)
    .where('holder_id', '=', holder.id)
    .executeTakeFirst();
  if (held) return; // already held: adding again changes nothing and takes no unit
  const flags = licenseFlags(license.name);
  const external = holder.orgId !== ctx.orgId;
  if (flags.webexCallingWorkspaces && holder.kind === 'person') {
    throw new Invalid(`${change.field}.id`, `${license.name} is for workspaces, not people`);
  }
  if (flags.webexCalling && external) {
    throw new Invalid(
      `${change.field}.id`,
      `${license.name} cannot be assigned to a user outside the organization`,
    );
  }
  const calling = flags.webexCalling
    ? await checkCalling(trx, ctx.orgId, holder, change.field, change.properties)
    : { locationId: null, phoneNumber: null, extension: null };
  const status = external ? 'pending' : 'active';
  await trx
    .insertInto('license_assignments')
    .values({
      id: newId(),
      license_id: license.id,
      org_id: ctx.orgId,
      holder_kind: holder.kind,
      holder_id: holder.id,
      holder_org_id: holder.orgId,
      status,
      location_id: calling.locationId,
      phone_number: calling.phoneNumber,
      extension: calling.extension,
      created_at: Date.now(),
    })
    .execute();
  await audit(trx, ctx.orgId, ctx.actor, 'license.assign', holder, {
    licenseId: license.id,
    status,
    ...(calling.locationId ? { locationId: calling.locationId } : {}),
    ...(calling.extension ? { extension: calling.extension } : {}),
    ...(calling.phoneNumber ? { phoneNumber: calling.phoneNumber } : {}),
  });
  // The unit is taken last: the license row stays locked only until commit, not across the inserts.
  const counter = counterOf(holder);
  const taken = await trx
    .updateTable('licenses')
    .set({ [counter]: sql`${sql.ref(counter)} + 1`, updated_at: Date.now() } as { updated_at: number })
    .where('id', '=', license.id)
    .where(sql<boolean>`consumed_by_users + consumed_by_workspaces < total_units`)
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) === 0) {
    throw new Conflict(
      `License ${license.id} (${license.name}) has no free units: all ${license.total_units} are consumed.`,
    );
  }
}

async function checkCalling(
  trx: Transaction<Database>,
  orgId: string,
  holder: Holder,
  field: string,
  properties: CallingProperties | undefined,
) {
  const calling = checkCallingProperties(field, properties);
  const other = await trx
    .selectFrom('license_assignments as a')
    .innerJoin('licenses as l', 'l.id', 'a.license_id')
    .select('l.name')
    .where('a.holder_id', '=', holder.id)
    .where('l.name', 'in', CALLING_NAMES)
    .executeTakeFirst();
  if (other) throw new Invalid(`${field}.id`, `${holder.label} already holds ${other.name}: remove it first`);
  if (calling.locationId) {
    const location = await trx
      .selectFrom('locations')
      .select('id')
      .where('id', '=', calling.locationId)
      .where('org_id', '=', orgId)
      .executeTakeFirst();
    if (!location)
      throw new Invalid(`${field}.properties.locationId`, `Unable to find location ${calling.locationId}`);
  }
  if (calling.extension) {
    const used = await trx
      .selectFrom('license_assignments')
      .select('id')
      .where('location_id', '=', calling.locationId)
      .where('extension', '=', calling.extension)
      .executeTakeFirst();
    if (used)
      throw new Conflict(`Extension ${calling.extension} is already used in location ${calling.locationId}.`);
  }
  if (calling.phoneNumber) {
    const used = await trx
      .selectFrom('license_assignments')
      .select('id')
      .where('org_id', '=', orgId)
      .where('phone_number', '=', calling.phoneNumber)
      .executeTakeFirst();
    if (used) throw new Conflict(`Phone number ${calling.phoneNumber} is already used in the organization.`);
  }
  return calling;
}

async function releaseUnit(trx: Transaction<Database>, licenseId: string, counter: Counter): Promise<void> {
  await trx
    .updateTable('licenses')
    .set({ [counter]: sql`${sql.ref(counter)} - 1`, updated_at: Date.now() } as { updated_at: number })
    .where('id', '=', licenseId)
    .execute();
}

/** Drops every unit and site account a holder has (a person or workspace being deleted, or declining). */
export async function releaseHolder(
  trx: Transaction<Database>,
  holder: Holder,
  actor: string,
  only?: { status: 'pending'; orgId?: string },
): Promise<string[]> {
  let q = trx
    .selectFrom('license_assignments')
    .select(['id', 'license_id', 'org_id'])
    .where('holder_id', '=', holder.id);
  if (only) q = q.where('status', '=', only.status);
  if (only?.orgId) q = q.where('org_id', '=', only.orgId);
  const rows = await q.orderBy('license_id').execute();
  for (const row of rows) {
    await trx.deleteFrom('license_assignments').where('id', '=', row.id).execute();
    await releaseUnit(trx, row.license_id, counterOf(holder));
    await audit(trx, row.org_id, actor, only ? 'license.decline' : 'license.release', holder, {
      licenseId: row.license_id,
    });
  }
  if (holder.kind === 'person') {
    let sites = trx.deleteFrom('site_accounts').where('person_id', '=', holder.id);
    if (only) sites = sites.where('status', '=', only.status);
    if (only?.orgId) sites = sites.where('org_id', '=', only.orgId);
    await sites.execute();
  }
  return rows.map((r) => r.license_id);
}

export async function audit(
  trx: Transaction<Database>,
  orgId: string,
  actor: string,
  action: string,
  holder: Holder,
  detail: Record<string, unknown>,
): Promise<void> {
  await recordAudit(trx, { orgId, actor, action, target: `${holder.kind}:${holder.id}`, detail });
}

/** Attempts of a license transaction that lost a race (see inTransaction). */
const RACE_ATTEMPTS = 4;

const lostRace = (error: unknown) =>
  isUniqueViolation(error) || (error as { code?: string }).code === '40P01';

/**
 * Runs a license-changing transaction. A transaction that lost a race to a unique index (two
 * identical adds for one holder on PostgreSQL) or a deadlock is rolled back and run again: the new
 * snapshot sees the winner's rows, so a repeated add becomes the no-op it is and a truly taken phone
 * number or extension gets its own clear 409. Still losing after a few attempts: a clear 409.
 */
export async function inTransaction<T>(
  db: Kysely<Database>,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      if (!lostRace(error)) throw error;
      if (attempt < RACE_ATTEMPTS) continue;
      if (isUniqueViolation(error)) {
        throw new Conflict('A concurrent change took the same license, phone number or extension; retry.');
      }
      throw new Conflict('Concurrent license changes collided; retry.');
    }
  }
}

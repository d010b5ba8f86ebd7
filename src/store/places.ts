/**
 * Locations' and workspaces' queries. Rows keep their column names for now: the Webex mappers read
 * them (the models come with step 12 of docs/architecture-step.md).
 */
import { sql, type Selectable } from 'kysely';
import type { Db } from './dialect.js';
import type { LocationsTable, WorkspacesTable } from './tables/places.js';

export type LocationRow = Selectable<LocationsTable>;
export type WorkspaceRow = Selectable<WorkspacesTable>;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Keyset-paged on id; `name` matches a case-insensitive substring. */
export async function listLocations(
  db: Db,
  query: { orgId: string; name?: string; id?: string; after?: string; limit: number },
): Promise<LocationRow[]> {
  let q = db.selectFrom('locations').selectAll().where('org_id', '=', query.orgId);
  if (query.name) {
    const pattern = `%${escapeLike(query.name.toLowerCase())}%`;
    q = q.where(sql<boolean>`lower(name) like ${pattern} escape ${'\\'}`);
  }
  if (query.id) q = q.where('id', '=', query.id);
  if (query.after) q = q.where('id', '>', query.after);
  return q.orderBy('id').limit(query.limit).execute();
}

export async function findLocation(db: Db, id: string): Promise<LocationRow | undefined> {
  return db.selectFrom('locations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function locationExistsIn(db: Db, id: string, orgId: string): Promise<boolean> {
  const row = await db
    .selectFrom('locations')
    .select('id')
    .where('id', '=', id)
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether another location of the org has this name, compared case-insensitively. */
export async function locationNameTaken(
  db: Db,
  orgId: string,
  name: string,
  exceptId?: string,
): Promise<boolean> {
  const clash = await db
    .selectFrom('locations')
    .select('id')
    .where('org_id', '=', orgId)
    .where(sql<boolean>`lower(name) = ${name.toLowerCase()}`)
    .$if(exceptId !== undefined, (q) => q.where('id', '!=', exceptId!))
    .executeTakeFirst();
  return clash !== undefined;
}

export async function insertLocation(db: Db, row: LocationRow): Promise<void> {
  await db.insertInto('locations').values(row).execute();
}

export async function updateLocation(db: Db, row: LocationRow): Promise<void> {
  await db
    .updateTable('locations')
    .set({ name: row.name, address: row.address, time_zone: row.time_zone, updated_at: row.updated_at })
    .where('id', '=', row.id)
    .execute();
}

/** Keyset-paged on id; `displayName` is a case-insensitive substring. */
export async function listWorkspaces(
  db: Db,
  query: { orgId: string; displayName?: string; locationId?: string; after?: string; limit: number },
): Promise<WorkspaceRow[]> {
  let q = db.selectFrom('workspaces').selectAll().where('org_id', '=', query.orgId);
  if (query.displayName) {
    const pattern = `%${escapeLike(query.displayName.toLowerCase())}%`;
    q = q.where(sql<boolean>`lower(display_name) like ${pattern} escape ${'\\'}`);
  }
  if (query.locationId) q = q.where('location_id', '=', query.locationId);
  if (query.after) q = q.where('id', '>', query.after);
  return q.orderBy('id').limit(query.limit).execute();
}

export async function findWorkspace(db: Db, id: string): Promise<WorkspaceRow | undefined> {
  return db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertWorkspace(db: Db, row: WorkspaceRow): Promise<void> {
  await db.insertInto('workspaces').values(row).execute();
}

/** Returns whether a row was deleted. */
export async function deleteWorkspace(db: Db, id: string): Promise<boolean> {
  const done = await db.deleteFrom('workspaces').where('id', '=', id).executeTakeFirst();
  return done.numDeletedRows !== 0n;
}

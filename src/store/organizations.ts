/**
 * Organizations' queries. The rows keep their column names for now: many areas and the Webex
 * mappers read them (the models come with step 12 of docs/architecture-step.md).
 */
import type { Db } from './dialect.js';
import type { OrganizationRow } from './schema.js';

export type { OrganizationRow };

export async function findOrganization(db: Db, id: string): Promise<OrganizationRow | undefined> {
  return db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findOrganizationByCode(db: Db, code: string): Promise<OrganizationRow | undefined> {
  return db.selectFrom('organizations').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function findOrganizationByIdOrCode(
  db: Db,
  idOrCode: string,
): Promise<OrganizationRow | undefined> {
  return db
    .selectFrom('organizations')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', idOrCode), eb('code', '=', idOrCode)]))
    .executeTakeFirst();
}

/** The top-level organization with `code` (the bootstrap root), if any. */
export async function findTopLevelIdByCode(db: Db, code: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('organizations')
    .select('id')
    .where('code', '=', code)
    .where('parent_id', 'is', null)
    .executeTakeFirst();
  return row?.id;
}

export async function insertOrganization(db: Db, row: OrganizationRow): Promise<void> {
  await db.insertInto('organizations').values(row).execute();
}

/**
 * `orgId` alone, or (`withManaged`) also the organizations whose parent or manager it is;
 * keyset-paged on id.
 */
export async function listOrganizations(
  db: Db,
  page: { orgId: string; withManaged: boolean; after?: string; max: number },
): Promise<OrganizationRow[]> {
  let query = db.selectFrom('organizations').selectAll();
  query = page.withManaged
    ? query.where((eb) =>
        eb.or([
          eb('id', '=', page.orgId),
          eb('parent_id', '=', page.orgId),
          eb('managed_by', '=', page.orgId),
        ]),
      )
    : query.where('id', '=', page.orgId);
  if (page.after) query = query.where('id', '>', page.after);
  return query.orderBy('id').limit(page.max).execute();
}

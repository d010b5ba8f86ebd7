import { sql, type Kysely } from 'kysely';

/**
 * Indexes for the Webex people, locations, workspaces and admin-audit lists (issue 3). Adds no
 * columns: the tables of 0001/0002 are shared with other families and stay as they are.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // displayName prefix search (case-insensitive) pages by id inside the org.
  await sql`create index people_org_display_name on people (org_id, lower(display_name), id)`.execute(db);
  // Location name search and the workspace → location reference (deleting/looking up by location).
  await sql`create index locations_org_name on locations (org_id, lower(name), id)`.execute(db);
  await db.schema.createIndex('workspaces_location').on('workspaces').columns(['location_id']).execute();
  // Audit paging: newest first inside an org is served by audit_events_org_at (org_id, at, id).
  // Deleting a person touches these by person_id.
  await db.schema.createIndex('consents_person').on('consents').columns(['person_id']).execute();
  await db.schema
    .createIndex('authorization_codes_person')
    .on('authorization_codes')
    .columns(['person_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of [
    'authorization_codes_person',
    'consents_person',
    'workspaces_location',
    'locations_org_name',
    'people_org_display_name',
  ]) {
    await db.schema.dropIndex(name).ifExists().execute();
  }
}

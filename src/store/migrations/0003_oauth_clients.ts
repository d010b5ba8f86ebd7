import { sql, type Kysely } from 'kysely';

/**
 * Indexes behind the SailPoint-style OAuth client list: `lastUsed` filters and sorts (stale-client
 * hunting), case-insensitive `name` filters and sorts. Lists are always scoped to one org first.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('oauth_clients_org_last_used')
    .on('oauth_clients')
    .columns(['org_id', 'last_used_at'])
    .execute();
  // The filter compiler folds case with lower() on both sides; an expression index matches that.
  await sql`create index oauth_clients_org_name on oauth_clients (org_id, lower(name))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('oauth_clients_org_name').ifExists().execute();
  await db.schema.dropIndex('oauth_clients_org_last_used').ifExists().execute();
}

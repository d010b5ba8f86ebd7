import type { Kysely } from 'kysely';

/** Webex licenses, their assignments to people and workspaces, and attendee site accounts (issue 7). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('licenses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('total_units', 'integer', (c) => c.notNull())
    .addColumn('consumed_by_users', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('consumed_by_workspaces', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('subscription_id', 'text')
    .addColumn('site_url', 'text')
    .addColumn('site_type', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('licenses_org').on('licenses').columns(['org_id', 'id']).execute();
  await db.schema.createIndex('licenses_org_site').on('licenses').columns(['org_id', 'site_url']).execute();

  await db.schema
    .createTable('license_assignments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('license_id', 'text', (c) => c.notNull().references('licenses.id'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('holder_kind', 'text', (c) => c.notNull())
    .addColumn('holder_id', 'text', (c) => c.notNull())
    .addColumn('holder_org_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('location_id', 'text')
    .addColumn('phone_number', 'text')
    .addColumn('extension', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  // One unit per holder and license; the assigned-users page walks (license_id, holder_kind, id).
  await db.schema
    .createIndex('license_assignments_holder_unique')
    .on('license_assignments')
    .columns(['license_id', 'holder_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('license_assignments_page')
    .on('license_assignments')
    .columns(['license_id', 'holder_kind', 'id'])
    .execute();
  await db.schema
    .createIndex('license_assignments_holder')
    .on('license_assignments')
    .columns(['holder_id', 'org_id'])
    .execute();
  // NULLs are distinct on both dialects: only assignments carrying a number/extension collide.
  await db.schema
    .createIndex('license_assignments_phone')
    .on('license_assignments')
    .columns(['org_id', 'phone_number'])
    .unique()
    .execute();
  await db.schema
    .createIndex('license_assignments_extension')
    .on('license_assignments')
    .columns(['location_id', 'extension'])
    .unique()
    .execute();

  await db.schema
    .createTable('site_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('site_url', 'text', (c) => c.notNull())
    .addColumn('account_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('site_accounts_person_site')
    .on('site_accounts')
    .columns(['person_id', 'site_url'])
    .unique()
    .execute();
  await db.schema
    .createIndex('site_accounts_org')
    .on('site_accounts')
    .columns(['org_id', 'site_url'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('site_accounts').ifExists().execute();
  await db.schema.dropTable('license_assignments').ifExists().execute();
  await db.schema.dropTable('licenses').ifExists().execute();
}

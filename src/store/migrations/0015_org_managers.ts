import { type Kysely } from 'kysely';

/**
 * The operator's organization (root) manages the top-level organizations `keyward org create` made:
 * organizations.managed_by = root's id. Null for every other organization (no one manages it from
 * outside but its partner, through parent_id).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('organizations').addColumn('managed_by', 'text').execute();
  await db.schema.createIndex('organizations_managed_by').on('organizations').column('managed_by').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('organizations_managed_by').execute();
  await db.schema.alterTable('organizations').dropColumn('managed_by').execute();
}

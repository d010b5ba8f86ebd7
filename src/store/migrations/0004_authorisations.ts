import type { Kysely } from 'kysely';

/** Trivore-style authorisation types, sources, authorisations and their history. */
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['authorisation_types', 'authorisation_sources']) {
    await db.schema
      .createTable(table)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('names', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('description', 'text')
      .addColumn('metadata', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint(`${table}_org_code`, ['org_id', 'code'])
      .execute();
    // Filters and the check endpoint look types and sources up by code across namespaces.
    await db.schema.createIndex(`${table}_code`).on(table).columns(['code']).execute();
  }

  await db.schema
    .createTable('authorisations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('type_id', 'text', (c) => c.notNull().references('authorisation_types.id'))
    .addColumn('source_id', 'text', (c) => c.references('authorisation_sources.id'))
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_value', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_value', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'bigint', (c) => c.notNull())
    .addColumn('valid_to', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .addColumn('revocation_cause', 'text')
    .addColumn('creator_type', 'text', (c) => c.notNull())
    .addColumn('creator_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // Default listing of a namespace, in id (= creation) order.
  await db.schema
    .createIndex('authorisations_org_id')
    .on('authorisations')
    .columns(['org_id', 'id'])
    .execute();
  // `type …` filters, counting them, and "is this type in use".
  await db.schema
    .createIndex('authorisations_org_type')
    .on('authorisations')
    .columns(['org_id', 'type_id', 'id'])
    .execute();
  // Counting (`totalResults`) of type filters: the same prefix without the id, so a count over
  // many rows reads about a third fewer index pages. The page query keeps the index above: with
  // `type_id in (…)` it stops early per type only because id follows type_id.
  await db.schema
    .createIndex('authorisations_org_type_count')
    .on('authorisations')
    .columns(['org_id', 'type_id'])
    .execute();
  // `subject.value eq …` / `object.value eq …` and the per-user lists, already in id order.
  await db.schema
    .createIndex('authorisations_subject')
    .on('authorisations')
    .columns(['subject_value', 'org_id', 'id'])
    .execute();
  await db.schema
    .createIndex('authorisations_object')
    .on('authorisations')
    .columns(['object_value', 'org_id', 'id'])
    .execute();
  await db.schema.createIndex('authorisations_source').on('authorisations').columns(['source_id']).execute();

  await db.schema
    .createTable('authorisation_history')
    .addColumn('authorisation_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('type_id', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text')
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_value', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_value', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'bigint', (c) => c.notNull())
    .addColumn('valid_to', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .addColumn('recorded_from', 'bigint', (c) => c.notNull())
    .addColumn('recorded_to', 'bigint')
    .addPrimaryKeyConstraint('authorisation_history_pk', ['authorisation_id', 'version'])
    .execute();
  // The check endpoint: subject, object and type by equality, then the instant; the remaining
  // columns make the index covering, so a check never reads the table.
  await db.schema
    .createIndex('authorisation_history_check')
    .on('authorisation_history')
    .columns([
      'subject_value',
      'object_value',
      'type_id',
      'recorded_from',
      'recorded_to',
      'valid_from',
      'valid_to',
      'revoked_at',
      'org_id',
      'authorisation_id',
    ])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'authorisation_history',
    'authorisations',
    'authorisation_sources',
    'authorisation_types',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

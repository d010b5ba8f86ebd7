import type { Kysely } from 'kysely';

/** Token grants, authorization codes, consents, login sessions, login throttle, client revocations. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('token_grants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text')
    .addColumn('family_id', 'text')
    .addColumn('token_hash', 'text', (c) => c.unique())
    .addColumn('jti', 'text', (c) => c.unique())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('auth_time', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('rotated_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('token_grants_person')
    .on('token_grants')
    .columns(['person_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('token_grants_client_org')
    .on('token_grants')
    .columns(['client_id', 'org_id'])
    .execute();
  await db.schema.createIndex('token_grants_family').on('token_grants').columns(['family_id']).execute();
  await db.schema.createIndex('token_grants_parent').on('token_grants').columns(['parent_id']).execute();
  await db.schema
    .createIndex('token_grants_revoked')
    .on('token_grants')
    .columns(['revoked_at', 'expires_at'])
    .execute();

  await db.schema
    .createTable('authorization_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('code_challenge', 'text')
    .addColumn('nonce', 'text')
    .addColumn('auth_time', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('grant_id', 'text')
    .execute();
  await db.schema
    .createIndex('authorization_codes_expiry')
    .on('authorization_codes')
    .columns(['expires_at'])
    .execute();

  await db.schema
    .createTable('consents')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('consents_pk', ['client_id', 'person_id'])
    .execute();

  await db.schema
    .createTable('login_sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('auth_time', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('login_sessions_person').on('login_sessions').columns(['person_id']).execute();

  await db.schema
    .createTable('login_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('first_failure_at', 'bigint', (c) => c.notNull())
    .addColumn('locked_until', 'bigint')
    .execute();

  await db.schema
    .createTable('client_revocations')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('not_before', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('client_revocations_pk', ['client_id', 'org_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'client_revocations',
    'login_throttle',
    'login_sessions',
    'consents',
    'authorization_codes',
    'token_grants',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}

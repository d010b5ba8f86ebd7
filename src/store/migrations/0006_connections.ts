import type { Kysely } from 'kysely';

/** Connections (upstream IdPs), their users' stored credentials, client access keys, federation logins. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('connections')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('authentication_url', 'text', (c) => c.notNull())
    .addColumn('token_url', 'text')
    .addColumn('issuer_url', 'text')
    .addColumn('provider_certificate', 'text')
    .addColumn('client_id', 'text')
    .addColumn('client_secret_enc', 'text')
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('default_scope', 'text')
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    // The primary key is also the keyset paging index: (org_id, id).
    .addPrimaryKeyConstraint('connections_pk', ['org_id', 'id'])
    .execute();

  await db.schema
    .createTable('connection_credentials')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('upstream_subject', 'text')
    .addColumn('access_token_enc', 'text', (c) => c.notNull())
    .addColumn('refresh_token_enc', 'text')
    .addColumn('id_token_enc', 'text')
    .addColumn('token_type', 'text')
    .addColumn('scope', 'text')
    .addColumn('expires_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('connection_credentials_pk', ['org_id', 'connection_id', 'person_id'])
    .execute();
  await db.schema
    .createIndex('connection_credentials_person')
    .on('connection_credentials')
    .columns(['person_id'])
    .execute();

  await db.schema
    .createTable('client_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('client_keys_client')
    .on('client_keys')
    .columns(['client_id', 'created_at', 'kid'])
    .execute();

  await db.schema
    .createTable('federation_logins')
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('code_verifier_enc', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('browser_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('federation_logins_expiry')
    .on('federation_logins')
    .columns(['expires_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['federation_logins', 'client_keys', 'connection_credentials', 'connections']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}

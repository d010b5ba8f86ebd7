import { sql, type Kysely } from 'kysely';

/**
 * OpenID conformance (issue 22): people's Webex-style phone numbers and addresses (the `phone` and
 * `address` claims), the OIDC `claims` request and `acr` carried from the authorization code to the
 * grants it issues, and a per-client list of post-logout redirect URIs. All nullable: existing rows
 * mean "none".
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('people').addColumn('phone_numbers', 'text').execute();
  await db.schema.alterTable('people').addColumn('addresses', 'text').execute();
  await db.schema.alterTable('authorization_codes').addColumn('claims', 'text').execute();
  await db.schema.alterTable('authorization_codes').addColumn('acr', 'text').execute();
  await db.schema.alterTable('token_grants').addColumn('claims', 'text').execute();
  await db.schema.alterTable('oauth_clients').addColumn('post_logout_redirect_uris', 'text').execute();
  await db.schema.alterTable('oauth_clients').addColumn('backchannel_logout_uri', 'text').execute();
  await db.schema
    .alterTable('oauth_clients')
    .addColumn('backchannel_logout_session_required', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // The login session (sid) a code was issued under: back-channel logout tells those clients.
  await db.schema.alterTable('authorization_codes').addColumn('sid', 'text').execute();
  await db.schema.createIndex('authorization_codes_sid').on('authorization_codes').columns(['sid']).execute();
  // Logout used to accept the login redirect URIs: existing clients keep working with that list.
  await sql`update oauth_clients set post_logout_redirect_uris = redirect_uris`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('authorization_codes_sid').ifExists().execute();
  await db.schema.alterTable('authorization_codes').dropColumn('sid').execute();
  await db.schema.alterTable('oauth_clients').dropColumn('backchannel_logout_session_required').execute();
  await db.schema.alterTable('oauth_clients').dropColumn('backchannel_logout_uri').execute();
  await db.schema.alterTable('oauth_clients').dropColumn('post_logout_redirect_uris').execute();
  await db.schema.alterTable('token_grants').dropColumn('claims').execute();
  await db.schema.alterTable('authorization_codes').dropColumn('acr').execute();
  await db.schema.alterTable('authorization_codes').dropColumn('claims').execute();
  await db.schema.alterTable('people').dropColumn('addresses').execute();
  await db.schema.alterTable('people').dropColumn('phone_numbers').execute();
}

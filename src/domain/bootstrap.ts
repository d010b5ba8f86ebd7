import type { Kysely } from 'kysely';
import { hashSecret, newSecret } from '../platform/crypto/secrets.js';
import { newClientId, newId } from '../platform/ids.js';
import { isUniqueViolation } from '../store/db.js';
import type { Database } from '../store/schema.js';
import { MANAGEMENT_SCOPES } from './access/scopes.js';
import { recordAudit } from './audit/auditLog.js';
import { generatePassword, hashPassword } from './people/passwords.js';

export interface BootstrapResult {
  orgId: string;
  adminEmail: string;
  adminPassword: string;
  clientId: string;
  clientSecret: string;
}

export interface BootstrapChoices {
  clientId?: string;
  clientSecret?: string;
  adminPassword?: string;
}

export const ROOT_ORG_CODE = 'root';
export const BOOTSTRAP_ADMIN_EMAIL = 'admin@localhost';

/**
 * On an empty database: the root organization, a full-admin person and a full-admin service
 * client, in one transaction. Returns the credentials once (the caller prints them); returns
 * undefined when the database was already bootstrapped, including by another node racing us.
 */
export async function bootstrapIfEmpty(
  db: Kysely<Database>,
  choices: BootstrapChoices,
): Promise<BootstrapResult | undefined> {
  const existing = await db.selectFrom('organizations').select('id').limit(1).executeTakeFirst();
  if (existing) return undefined;
  const now = Date.now();
  const result: BootstrapResult = {
    orgId: newId(now),
    adminEmail: BOOTSTRAP_ADMIN_EMAIL,
    adminPassword: choices.adminPassword ?? generatePassword(),
    clientId: choices.clientId ?? newClientId(),
    clientSecret: choices.clientSecret ?? newSecret(),
  };
  const passwordHash = await hashPassword(result.adminPassword);
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('organizations')
        .values({
          id: result.orgId,
          code: ROOT_ORG_CODE,
          name: 'Root organization',
          parent_id: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const personId = newId(now);
      await trx
        .insertInto('people')
        .values({
          id: personId,
          org_id: result.orgId,
          email: BOOTSTRAP_ADMIN_EMAIL,
          display_name: 'Administrator',
          first_name: null,
          last_name: null,
          password_hash: passwordHash,
          roles: JSON.stringify(['full_admin']),
          status: 'active',
          created_at: now,
          updated_at: now,
        })
        .execute();
      await trx
        .insertInto('oauth_clients')
        .values({
          id: result.clientId,
          org_id: result.orgId,
          secret_hash: hashSecret(result.clientSecret),
          name: 'Keyward bootstrap client',
          description: 'Full-admin service client created on first start.',
          business_name: null,
          homepage_url: null,
          type: 'CONFIDENTIAL',
          access_type: 'OFFLINE',
          grant_types: JSON.stringify(['CLIENT_CREDENTIALS']),
          redirect_uris: '[]',
          scope: JSON.stringify(MANAGEMENT_SCOPES),
          roles: JSON.stringify(['full_admin']),
          access_token_ttl: 3600,
          refresh_token_ttl: 86_400,
          internal: 1,
          enabled: 1,
          strong_auth_supported: 0,
          claims_supported: 0,
          metadata: null,
          created_by: 'system',
          created_at: now,
          updated_at: now,
          last_used_at: null,
        })
        .execute();
      await recordAudit(trx, {
        orgId: result.orgId,
        actor: 'system',
        action: 'bootstrap',
        target: `organization:${result.orgId}`,
        detail: { adminPersonId: personId, clientId: result.clientId },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) return undefined; // another node bootstrapped first
    throw error;
  }
  return result;
}

export function formatBootstrapBanner(result: BootstrapResult, issuer: string): string {
  const line = '='.repeat(72);
  return [
    line,
    ' Keyward bootstrapped a new database. These credentials are shown ONCE:',
    '',
    `   Admin login      ${result.adminEmail}`,
    `   Admin password   ${result.adminPassword}`,
    `   Client ID        ${result.clientId}`,
    `   Client secret    ${result.clientSecret}`,
    '',
    ' Ready to paste (then see README "Quick start"):',
    '',
    `export KEYWARD_URL=${issuer}`,
    `export CLIENT_ID=${result.clientId}`,
    `export CLIENT_SECRET=${result.clientSecret}`,
    `export ACCESS_TOKEN=$(curl -s -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials "$KEYWARD_URL/oauth/token" | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).access_token')`,
    line,
    '',
  ].join('\n');
}

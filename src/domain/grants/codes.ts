import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { hashSecret, newSecret } from '../../platform/crypto/secrets.js';
import type { Database } from '../../store/schema.js';
import type { ClaimsRequest } from '../identity/claims.js';

/** Codes live 60 s (RFC 6749 §4.1.2 recommends at most 10 minutes). */
export const CODE_TTL_MS = 60_000;

export interface NewCode {
  orgId: string;
  clientId: string;
  personId: string;
  redirectUri: string;
  scopes: readonly string[];
  codeChallenge?: string;
  nonce?: string;
  authTime: number;
  claims?: ClaimsRequest;
  acr?: string;
  /** The login session's sid. */
  sid?: string;
}

export async function issueAuthorizationCode(db: Kysely<Database>, input: NewCode): Promise<string> {
  const code = newSecret();
  const now = Date.now();
  await db
    .insertInto('authorization_codes')
    .values({
      code_hash: hashSecret(code),
      org_id: input.orgId,
      client_id: input.clientId,
      person_id: input.personId,
      redirect_uri: input.redirectUri,
      scope: input.scopes.join(' '),
      code_challenge: input.codeChallenge ?? null,
      nonce: input.nonce ?? null,
      claims: input.claims ? JSON.stringify(input.claims) : null,
      acr: input.acr ?? null,
      sid: input.sid ?? null,
      auth_time: input.authTime,
      created_at: now,
      expires_at: now + CODE_TTL_MS,
      used_at: null,
      grant_id: null,
    })
    .execute();
  return code;
}

export function findAuthorizationCode(db: Kysely<Database> | Transaction<Database>, code: string) {
  return db
    .selectFrom('authorization_codes')
    .selectAll()
    .where('code_hash', '=', hashSecret(code))
    .executeTakeFirst();
}

/** Marks the code used; false when it already was (a replay, possibly concurrent). */
export async function claimAuthorizationCode(
  db: Transaction<Database>,
  codeHash: string,
  now = Date.now(),
): Promise<boolean> {
  const result = await db
    .updateTable('authorization_codes')
    .set({ used_at: now })
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** RFC 7636 §4.6: BASE64URL(SHA256(verifier)) === challenge. */
export function pkceMatches(verifier: string, challenge: string): boolean {
  return createHash('sha256').update(verifier).digest('base64url') === challenge;
}

import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { parseClaimsRequest, type ClaimsRequest } from './claims.js';

/** The claims request stored with the access grant of a token (by jti), for /oauth/userinfo. */
export async function claimsRequestOfAccess(
  db: Kysely<Database>,
  jti: string,
): Promise<ClaimsRequest | undefined> {
  const row = await db
    .selectFrom('token_grants')
    .select('claims')
    .where('jti', '=', jti)
    .where('type', '=', 'access')
    .executeTakeFirst();
  try {
    return parseClaimsRequest(row?.claims);
  } catch {
    return undefined; // validated when stored; never fail userinfo over it
  }
}

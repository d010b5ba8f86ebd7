import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface SigningKeySummary {
  kid: string;
  alg: string;
  state: string;
  created_at: number;
  retire_at: number | null;
}

/** Key metadata (never the private half), newest first, keyset-paged on (created_at, kid). */
export async function listSigningKeys(
  db: Kysely<Database>,
  page: { max: number; includeRetired: boolean },
): Promise<SigningKeySummary[]> {
  let q = db.selectFrom('signing_keys').select(['kid', 'alg', 'state', 'created_at', 'retire_at']);
  if (!page.includeRetired) q = q.where('state', 'in', ['active', 'retiring']);
  return q.orderBy('created_at', 'desc').orderBy('kid', 'desc').limit(page.max).execute();
}

/** The longest access-token lifetime any client has (seconds), for when a rotated key may retire. */
export async function longestAccessTokenTtl(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('oauth_clients')
    .select(sql<number>`max(access_token_ttl)`.as('ttl'))
    .executeTakeFirst();
  return Number(row?.ttl ?? 0);
}

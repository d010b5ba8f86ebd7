import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';

/** Clients that obtained a code under a login session (by sid): those that took part in it. */
export async function clientsOfSession(db: Kysely<Database>, sid: string): Promise<string[]> {
  const rows = await db
    .selectFrom('authorization_codes')
    .select('client_id')
    .distinct()
    .where('sid', '=', sid)
    .execute();
  return rows.map((r) => r.client_id);
}

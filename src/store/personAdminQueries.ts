import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface SessionSummary {
  created_at: number;
  auth_time: number;
  expires_at: number;
}

/** A person's live browser sessions at Keyward, newest first (never the cookie hash). */
export function liveSessionsOf(
  db: Kysely<Database>,
  personId: string,
  now: number,
): Promise<SessionSummary[]> {
  return db
    .selectFrom('login_sessions')
    .select(['created_at', 'auth_time', 'expires_at'])
    .where('person_id', '=', personId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .limit(100)
    .execute();
}

/** Ends every live session of a person; the number ended. */
export async function endSessionsOf(db: Kysely<Database>, personId: string, now: number): Promise<number> {
  const result = await db
    .updateTable('login_sessions')
    .set({ revoked_at: now })
    .where('person_id', '=', personId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface HeldLicense {
  license_id: string;
  name: string;
  org_id: string;
  status: string;
}

/** The licenses a person holds from any organization (own: active; others': pending until accepted). */
export function licensesHeldBy(db: Kysely<Database>, personId: string): Promise<HeldLicense[]> {
  return db
    .selectFrom('license_assignments as a')
    .innerJoin('licenses as l', 'l.id', 'a.license_id')
    .select(['a.license_id', 'l.name', 'a.org_id', 'a.status'])
    .where('a.holder_kind', '=', 'person')
    .where('a.holder_id', '=', personId)
    .orderBy('l.name')
    .orderBy('a.license_id')
    .limit(500)
    .execute();
}

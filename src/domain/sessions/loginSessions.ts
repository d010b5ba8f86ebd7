import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { hashSecret, newSecret } from '../../platform/crypto/secrets.js';
import type { Database } from '../../store/schema.js';

export interface LoginSession {
  personId: string;
  orgId: string;
  /** When the person last entered their password (epoch ms): OIDC auth_time, max_age. */
  authTime: number;
  /** OIDC `sid`: names the session to clients without revealing the cookie (derived from its hash). */
  sid: string;
}

const sidOf = (idHash: string) =>
  createHash('sha256').update(`sid:${idHash}`).digest('base64url').slice(0, 32);

const SESSION_TTL_MS = 12 * 3600_000;

/** Keyward's own browser sessions; the cookie carries a random value stored only as a hash. */
export class LoginSessions {
  constructor(private readonly db: Kysely<Database>) {}

  async start(personId: string, orgId: string): Promise<{ cookieValue: string; session: LoginSession }> {
    const cookieValue = newSecret();
    const now = Date.now();
    const idHash = hashSecret(cookieValue);
    await this.db
      .insertInto('login_sessions')
      .values({
        id_hash: idHash,
        person_id: personId,
        org_id: orgId,
        auth_time: now,
        created_at: now,
        expires_at: now + SESSION_TTL_MS,
        revoked_at: null,
      })
      .execute();
    return { cookieValue, session: { personId, orgId, authTime: now, sid: sidOf(idHash) } };
  }

  /** The live session behind a cookie value, if its person is still active. */
  async find(cookieValue: string | undefined): Promise<LoginSession | undefined> {
    if (!cookieValue) return undefined;
    const row = await this.db
      .selectFrom('login_sessions')
      .innerJoin('people', 'people.id', 'login_sessions.person_id')
      .select([
        'login_sessions.id_hash',
        'login_sessions.person_id',
        'login_sessions.org_id',
        'login_sessions.auth_time',
      ])
      .where('login_sessions.id_hash', '=', hashSecret(cookieValue))
      .where('login_sessions.revoked_at', 'is', null)
      .where('login_sessions.expires_at', '>', Date.now())
      .where('people.status', '=', 'active')
      .executeTakeFirst();
    return row
      ? { personId: row.person_id, orgId: row.org_id, authTime: row.auth_time, sid: sidOf(row.id_hash) }
      : undefined;
  }

  async end(cookieValue: string | undefined): Promise<void> {
    if (!cookieValue) return;
    await this.db
      .updateTable('login_sessions')
      .set({ revoked_at: Date.now() })
      .where('id_hash', '=', hashSecret(cookieValue))
      .execute();
  }
}

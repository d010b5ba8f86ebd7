import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import {
  endSessionsOf,
  licensesHeldBy,
  liveSessionsOf,
  type HeldLicense,
  type SessionSummary,
} from '../../store/personAdminQueries.js';
import { authorize } from '../access/matrix.js';
import { actorOf, type Principal } from '../access/principal.js';
import { recordAudit } from '../audit/auditLog.js';
import type { PeopleAdmin } from './people.js';

/**
 * What the console shows of one person beyond the Webex person object: their Keyward browser
 * sessions (ended all at once: "sign out everywhere") and the licenses they hold from any org.
 * The person must be one the caller may see (PeopleAdmin.get), so other orgs' people are 404.
 */
export class PersonAdmin {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly people: PeopleAdmin,
  ) {}

  async sessions(principal: Principal, personId: string): Promise<SessionSummary[]> {
    authorize(principal, 'people.read');
    await this.people.get(principal, personId);
    return liveSessionsOf(this.db, personId, Date.now());
  }

  async endSessions(principal: Principal, personId: string): Promise<number> {
    authorize(principal, 'people.write');
    const person = await this.people.get(principal, personId);
    const ended = await endSessionsOf(this.db, personId, Date.now());
    await recordAudit(this.db, {
      orgId: person.org_id,
      actor: actorOf(principal),
      action: 'person.sessions.end',
      target: `person:${personId}`,
      detail: { ended },
    });
    return ended;
  }

  async licenses(principal: Principal, personId: string): Promise<HeldLicense[]> {
    authorize(principal, 'licenses.read');
    await this.people.get(principal, personId);
    return licensesHeldBy(this.db, personId);
  }
}

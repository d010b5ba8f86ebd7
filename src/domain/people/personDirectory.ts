import type { Kysely } from 'kysely';
import type { ChangeFeed } from '../../store/changeFeed.js';
import type { Database } from '../../store/schema.js';
import { parseRoles, type AdminRole } from '../access/roles.js';

export const PERSON_CHANGED = 'person';
const TTL_MS = 30_000;
const MAX = 50_000;

export interface PersonAccess {
  orgId: string;
  roles: readonly AdminRole[];
}

/**
 * Cached status and roles of people, for the authenticator's per-request check of person tokens.
 * Writers call `changed(id)` after committing (role change, deactivation, deletion): this node
 * drops the entry at once, others on NOTIFY; the TTL bounds staleness if a notification is lost.
 */
export class PersonDirectory {
  private cache = new Map<string, { access: PersonAccess | null; at: number }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly feed: ChangeFeed,
  ) {
    feed.subscribe((topic, key) => {
      if (topic === PERSON_CHANGED) this.cache.delete(key);
      else if (topic === '*') this.cache.clear();
    });
  }

  /** The person's org and roles, or undefined when the person is gone or inactive. */
  async access(personId: string): Promise<PersonAccess | undefined> {
    const hit = this.cache.get(personId);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.access ?? undefined;
    const row = await this.db
      .selectFrom('people')
      .select(['org_id', 'roles', 'status'])
      .where('id', '=', personId)
      .executeTakeFirst();
    const access =
      row && row.status === 'active' ? { orgId: row.org_id, roles: parseRoles(row.roles) } : null;
    if (this.cache.size >= MAX) this.cache.clear();
    this.cache.set(personId, { access, at: Date.now() });
    return access ?? undefined;
  }

  async changed(personId: string): Promise<void> {
    this.cache.delete(personId);
    await this.feed.publish(PERSON_CHANGED, personId);
  }
}

import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { hourlyActivity, type HourlyActivity } from '../../store/statsQueries.js';
import { authorize } from '../access/matrix.js';
import type { Principal } from '../access/principal.js';
import type { Organizations } from '../organizations/organizations.js';

/** The overview's chart: an org's people's access tokens and logins per hour over the last 24 h. */
export class ActivityStats {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly organizations: Organizations,
  ) {}

  async last24h(principal: Principal, orgId?: string): Promise<{ orgId: string; hours: HourlyActivity[] }> {
    authorize(principal, 'audit.read');
    const target = await this.organizations.resolveTarget(principal, orgId);
    return { orgId: target, hours: await hourlyActivity(this.db, target, Date.now()) };
  }
}

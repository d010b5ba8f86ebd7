import { sql, type Kysely } from 'kysely';
import { Invalid, NotFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Database } from '../../store/schema.js';
import { authorize } from '../access/matrix.js';
import { actorOf, type Principal } from '../access/principal.js';
import { recordAudit } from '../audit/auditLog.js';
import type { Organizations } from '../organizations/organizations.js';
import { SITE_TYPES, consumedUnits, type LicenseRow } from './licenseRules.js';
import { invitedEmail } from './invitations.js';

export interface NewLicense {
  orgId?: string;
  name: string;
  totalUnits: number;
  subscriptionId?: string;
  siteUrl?: string;
  siteType?: string;
}

export interface AssignedUserRow {
  assignment_id: string;
  holder_id: string;
  holder_org_id: string;
  status: string;
  email: string | null;
  display_name: string | null;
}

/** Checks and normalises the fields of a license (API and CLI import). */
export function checkLicenseFields(input: NewLicense): NewLicense {
  const name = input.name?.trim() ?? '';
  if (name === '' || name.length > 256) throw new Invalid('name', 'must be 1 to 256 characters');
  checkTotalUnits(input.totalUnits);
  if (input.siteType !== undefined && !(SITE_TYPES as readonly string[]).includes(input.siteType)) {
    throw new Invalid('siteType', `must be one of: ${SITE_TYPES.join(', ')}`);
  }
  if (input.siteType !== undefined && !input.siteUrl)
    throw new Invalid('siteUrl', 'is required with siteType');
  const siteUrl = input.siteUrl?.trim().toLowerCase() || undefined;
  if (siteUrl && !/^[a-z0-9][a-z0-9.-]{0,252}$/.test(siteUrl))
    throw new Invalid('siteUrl', 'is not a host name');
  return { ...input, name, siteUrl };
}

function checkTotalUnits(totalUnits: number): void {
  if (!Number.isInteger(totalUnits) || totalUnits < 0 || totalUnits > 10_000_000) {
    throw new Invalid('totalUnits', 'must be an integer from 0 to 10000000');
  }
}

/** The license inventory of organizations: list, get, assigned users, provisioning (Keyward extension). */
export class Licenses {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly organizations: Organizations,
  ) {}

  /** Every license of the org (not paged, like the vendor: wxc_sdk reads only the first `items`). */
  async list(principal: Principal, orgId?: string): Promise<LicenseRow[]> {
    authorize(principal, 'licenses.read');
    const target = await this.organizations.resolveTarget(principal, orgId);
    return this.db
      .selectFrom('licenses')
      .selectAll()
      .where('org_id', '=', target)
      .orderBy('id')
      .limit(10_000)
      .execute();
  }

  async get(principal: Principal, id: string): Promise<LicenseRow> {
    authorize(principal, 'licenses.read');
    return this.visible(principal, id);
  }

  /** A license of an org the caller may act in; others answer as not found (no existence leak). */
  async visible(principal: Principal, id: string): Promise<LicenseRow> {
    const row = await this.db.selectFrom('licenses').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || !(await this.organizations.mayActIn(principal, row.org_id))) {
      throw new NotFound(`License ${id} was not found.`);
    }
    return row;
  }

  /** People holding the license, keyset-paged on the assignment id; returns up to max + 1 rows. */
  async assignedUsers(
    principal: Principal,
    id: string,
    page: { after?: string; max: number },
  ): Promise<{ license: LicenseRow; users: AssignedUserRow[] }> {
    const license = await this.get(principal, id);
    let q = this.db
      .selectFrom('license_assignments as a')
      .leftJoin('people as p', 'p.id', 'a.holder_id')
      .select([
        'a.id as assignment_id',
        'a.holder_id',
        'a.holder_org_id',
        'a.status',
        'p.email',
        'p.display_name',
      ])
      .where('a.license_id', '=', id)
      .where('a.holder_kind', '=', 'person');
    if (page.after) q = q.where('a.id', '>', page.after);
    const users = await q
      .orderBy('a.id')
      .limit(page.max + 1)
      .execute();
    // An invitation (no account yet) shows the address it was sent to.
    return {
      license,
      users: users.map((u) => (u.email ? u : { ...u, email: invitedEmail(u.holder_id) ?? null })),
    };
  }

  async create(principal: Principal, input: NewLicense): Promise<LicenseRow> {
    authorize(principal, 'licenses.provision');
    const fields = checkLicenseFields(input);
    const orgId = await this.organizations.resolveTarget(principal, input.orgId);
    return this.db.transaction().execute(async (trx) => {
      const row = licenseRow(orgId, fields);
      await trx.insertInto('licenses').values(row).execute();
      await recordAudit(trx, {
        orgId,
        actor: actorOf(principal),
        action: 'license.create',
        target: row.id,
        detail: { name: row.name, totalUnits: row.total_units },
      });
      return row;
    });
  }

  /** Changes totalUnits; never below what is consumed (checked in the UPDATE itself, race-free). */
  async setTotalUnits(principal: Principal, id: string, totalUnits: number): Promise<LicenseRow> {
    authorize(principal, 'licenses.provision');
    checkTotalUnits(totalUnits);
    const license = await this.visible(principal, id);
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('licenses')
        .set({ total_units: totalUnits, updated_at: Date.now() })
        .where('id', '=', id)
        .where(sql<boolean>`consumed_by_users + consumed_by_workspaces <= ${totalUnits}`)
        .executeTakeFirst();
      const row = await trx.selectFrom('licenses').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      if (Number(result.numUpdatedRows) === 0) {
        throw new Invalid('totalUnits', `${totalUnits} is below the ${consumedUnits(row)} units consumed`);
      }
      await recordAudit(trx, {
        orgId: license.org_id,
        actor: actorOf(principal),
        action: 'license.update',
        target: id,
        detail: { totalUnits, previous: license.total_units },
      });
      return row;
    });
  }
}

export function licenseRow(orgId: string, fields: NewLicense, id?: string): LicenseRow {
  const now = Date.now();
  return {
    id: id ?? newId(now),
    org_id: orgId,
    name: fields.name,
    total_units: fields.totalUnits,
    consumed_by_users: 0,
    consumed_by_workspaces: 0,
    subscription_id: fields.subscriptionId ?? null,
    site_url: fields.siteUrl ?? null,
    site_type: fields.siteType ?? null,
    created_at: now,
    updated_at: now,
  };
}

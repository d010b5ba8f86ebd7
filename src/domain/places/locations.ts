import { Conflict, Invalid, NotFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Db } from '../../store/dialect.js';
import {
  findLocation,
  insertLocation,
  listLocations,
  locationNameTaken,
  updateLocation,
  type LocationRow,
} from '../../store/places.js';
import { authorize } from '../access/matrix.js';
import { actorOf, type Principal } from '../access/principal.js';
import { recordAudit } from '../audit/auditLog.js';
import type { Organizations } from '../organizations/organizations.js';

export type { LocationRow };

export interface LocationAddress {
  address1?: string;
  address2?: string;
  city?: string;
  state?: string;
  postalCode?: string;
  country?: string;
}

export interface LocationInput {
  name: string;
  address: LocationAddress;
  timeZone?: string | null;
  orgId?: string;
}

export const PLACE_ID = /^[0-9a-hjkmnp-tv-z]{26}$/;
const COUNTRY = /^[A-Z]{2}$/;

function checkLocation(input: LocationInput): { name: string; address: string; time_zone: string | null } {
  const name = input.name.trim();
  if (name === '' || name.length > 256) throw new Invalid('name', 'must be 1 to 256 characters');
  const address = { ...input.address };
  if (address.country !== undefined) {
    address.country = address.country.toUpperCase();
    if (!COUNTRY.test(address.country))
      throw new Invalid('address.country', 'must be an ISO 3166 alpha-2 code');
  }
  return { name, address: JSON.stringify(address), time_zone: input.timeZone ?? null };
}

/**
 * Webex locations of an organization (calling licenses need one). Names are unique per org
 * (case-insensitive), as in Webex; every write is audited.
 */
export class Locations {
  constructor(
    private readonly db: Db,
    private readonly organizations: Organizations,
  ) {}

  /** Keyset-paged on id; `name` matches a case-insensitive substring. Returns up to max + 1 rows. */
  async list(
    principal: Principal,
    query: { orgId?: string; name?: string; id?: string; max: number; after?: string },
  ): Promise<LocationRow[]> {
    authorize(principal, 'locations.read');
    const orgId = await this.organizations.resolveTarget(principal, query.orgId);
    return listLocations(this.db, {
      orgId,
      name: query.name,
      id: query.id,
      after: query.after,
      limit: query.max + 1,
    });
  }

  async get(principal: Principal, id: string, orgId?: string): Promise<LocationRow> {
    authorize(principal, 'locations.read');
    return this.visible(principal, id, orgId);
  }

  async create(principal: Principal, input: LocationInput): Promise<LocationRow> {
    authorize(principal, 'locations.write');
    const fields = checkLocation(input);
    const orgId = await this.organizations.resolveTarget(principal, input.orgId);
    const now = Date.now();
    const row: LocationRow = { id: newId(now), org_id: orgId, ...fields, created_at: now, updated_at: now };
    await this.db.transaction().execute(async (trx) => {
      await this.refuseDuplicateName(trx, orgId, fields.name);
      await insertLocation(trx, row);
      await this.audit(trx, principal, row, 'location.create');
    });
    return row;
  }

  /** PUT: replaces name, address and timeZone (left-out timeZone is cleared). */
  async update(principal: Principal, id: string, input: LocationInput): Promise<LocationRow> {
    authorize(principal, 'locations.write');
    const current = await this.visible(principal, id, input.orgId);
    const fields = checkLocation(input);
    const next: LocationRow = {
      ...current,
      ...fields,
      updated_at: Math.max(Date.now(), current.updated_at + 1),
    };
    await this.db.transaction().execute(async (trx) => {
      await this.refuseDuplicateName(trx, current.org_id, fields.name, id);
      await updateLocation(trx, next);
      await this.audit(trx, principal, next, 'location.update');
    });
    return next;
  }

  /** A location of an org the caller may act in (and of `orgId` when given), else 404. */
  async visible(principal: Principal, id: string, orgId?: string): Promise<LocationRow> {
    const row = PLACE_ID.test(id) ? await findLocation(this.db, id) : undefined;
    if (
      !row ||
      (orgId && orgId !== row.org_id) ||
      !(await this.organizations.mayActIn(principal, row.org_id))
    ) {
      throw new NotFound(`Location ${id} was not found.`);
    }
    return row;
  }

  private async refuseDuplicateName(trx: Db, orgId: string, name: string, exceptId?: string) {
    if (await locationNameTaken(trx, orgId, name, exceptId))
      throw new Conflict(`A location named ${JSON.stringify(name)} already exists in this organization.`);
  }

  private audit(trx: Db, principal: Principal, row: LocationRow, action: string) {
    return recordAudit(trx, {
      orgId: row.org_id,
      actor: actorOf(principal),
      action,
      target: `location:${row.id}`,
      detail: { name: row.name },
    });
  }
}

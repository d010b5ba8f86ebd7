import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import type { Db } from '../../store/dialect.js';
import {
  findOrganization,
  findOrganizationByIdOrCode,
  listOrganizations,
  type OrganizationRow,
} from '../../store/organizations.js';
import type { Principal } from '../access/principal.js';

/**
 * Tenancy: the organizations a principal may act in. Its own; and, for a full admin of a partner
 * organization, the customer organizations whose parent is that partner; for a full admin of the
 * root organization, also the top-level organizations `keyward org create` made (managed_by).
 * Nobody else crosses, and it never spans two levels.
 */
export class Organizations {
  constructor(private readonly db: Db) {}

  async find(id: string): Promise<OrganizationRow | undefined> {
    return findOrganization(this.db, id);
  }

  /** The operator's CLI names organizations by id or code. */
  async findByIdOrCode(idOrCode: string): Promise<OrganizationRow | undefined> {
    return findOrganizationByIdOrCode(this.db, idOrCode);
  }

  async mayActIn(principal: Principal, orgId: string): Promise<boolean> {
    if (orgId === principal.orgId) return true;
    if (!principal.roles.includes('full_admin')) return false;
    const org = await this.find(orgId);
    // A partner's customers; and the top-level organizations the operator's root org created.
    return org?.parent_id === principal.orgId || org?.managed_by === principal.orgId;
  }

  /**
   * The organization a request targets: `requested` (an `orgId` parameter) if the caller may act
   * there, else its own. An org the caller may not see answers as not found: no existence leak.
   */
  async resolveTarget(principal: Principal, requested: string | undefined, field = 'orgId'): Promise<string> {
    if (requested === undefined || requested === '' || requested === principal.orgId) return principal.orgId;
    if (!(await this.mayActIn(principal, requested))) {
      if (!principal.roles.includes('full_admin')) {
        throw new Forbidden(`The caller may not act in organization ${requested}.`);
      }
      throw new Invalid(field, `organization ${requested} does not exist or is not managed by the caller`);
    }
    return requested;
  }

  async get(principal: Principal, id: string): Promise<OrganizationRow> {
    if (!(await this.mayActIn(principal, id))) throw new NotFound(`Organization ${id} was not found.`);
    const org = await this.find(id);
    if (!org) throw new NotFound(`Organization ${id} was not found.`);
    return org;
  }

  /** The caller's organization and, for a partner full admin, its customers; keyset-paged on id. */
  async list(principal: Principal, page: { after?: string; max: number }): Promise<OrganizationRow[]> {
    return listOrganizations(this.db, {
      orgId: principal.orgId,
      withManaged: principal.roles.includes('full_admin'),
      after: page.after,
      max: page.max,
    });
  }
}

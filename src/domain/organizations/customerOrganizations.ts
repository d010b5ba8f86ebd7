import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { isUniqueViolation } from '../../store/db.js';
import type { Db } from '../../store/dialect.js';
import {
  findOrganization,
  findOrganizationByCode,
  findTopLevelIdByCode,
  insertOrganization,
  type OrganizationRow,
} from '../../store/organizations.js';
import { authorize } from '../access/matrix.js';
import { actorOf, type Principal } from '../access/principal.js';
import { recordAudit } from '../audit/auditLog.js';

/** The bootstrap organization's code (domain/bootstrap.ts); kept here to avoid an import cycle. */
const ROOT_ORG_CODE = 'root';

const CODE = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export interface NewOrganization {
  name: string;
  /** Unique, lowercase (Trivore's nsCode, Authress's accountId); default `org-<id>`. */
  code?: string;
}

/**
 * Creating organizations. Through the API: a full admin of a partner (a top-level organization)
 * creates a customer under its own org. Customers cannot create sub-customers: tenancy
 * (Organizations.mayActIn) spans exactly one level. The operator's CLI creates either kind.
 */
export class CustomerOrganizations {
  constructor(private readonly db: Db) {}

  async createCustomer(principal: Principal, input: NewOrganization): Promise<OrganizationRow> {
    authorize(principal, 'organizations.create');
    const partner = await findOrganization(this.db, principal.orgId);
    if (!partner || partner.parent_id !== null) {
      throw new Forbidden('Only a partner (top-level) organization may create customer organizations.');
    }
    return this.insert(input, partner.id, actorOf(principal));
  }

  /**
   * `keyward org create`: a customer of the partner with `parentCode`, or a top-level (partner)
   * organization managed by the operator's root organization, whose full admins may act in it.
   */
  async createAsOperator(input: NewOrganization & { parentCode?: string }): Promise<OrganizationRow> {
    let parentId: string | null = null;
    let managedBy: string | null = null;
    if (input.parentCode) {
      const parent = await findOrganizationByCode(this.db, input.parentCode);
      if (!parent) throw new NotFound(`No organization has the code ${JSON.stringify(input.parentCode)}.`);
      if (parent.parent_id !== null)
        throw new Invalid('parent', 'is itself a customer organization (one level only)');
      parentId = parent.id;
    } else {
      managedBy = (await findTopLevelIdByCode(this.db, ROOT_ORG_CODE)) ?? null;
    }
    return this.insert(input, parentId, 'system:cli', managedBy);
  }

  private async insert(
    input: NewOrganization,
    parentId: string | null,
    actor: string,
    managedBy: string | null = null,
  ): Promise<OrganizationRow> {
    const name = input.name.trim();
    if (name === '' || name.length > 256) throw new Invalid('displayName', 'must be 1 to 256 characters');
    const now = Date.now();
    const id = newId(now);
    const code = input.code ?? `org-${id}`;
    if (!CODE.test(code))
      throw new Invalid('code', 'must be 1 to 63 of a-z 0-9 . _ - starting with a letter or digit');
    const row: OrganizationRow = {
      id,
      code,
      name,
      parent_id: parentId,
      managed_by: managedBy,
      created_at: now,
      updated_at: now,
    };
    try {
      await this.db.transaction().execute(async (trx) => {
        await insertOrganization(trx, row);
        const detail = { name, code, parentId, managedBy };
        await recordAudit(trx, {
          orgId: id,
          actor,
          action: 'organization.create',
          target: `organization:${id}`,
          detail,
        });
        if (parentId) {
          await recordAudit(trx, {
            orgId: parentId,
            actor,
            action: 'organization.create',
            target: `organization:${id}`,
            detail,
          });
        }
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new Conflict(`An organization with the code ${JSON.stringify(code)} already exists.`);
      throw error;
    }
    return row;
  }
}

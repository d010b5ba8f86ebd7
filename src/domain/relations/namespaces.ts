/**
 * Trivore namespaces are Keyward organizations: nsCode = organizations.code. A client may access
 * its own organization's namespace and, as a partner's full admin, its customers' namespaces.
 */
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import { Forbidden } from '../../platform/errors.js';
import type { Database } from '../../store/schema.js';
import type { Principal } from '../access/principal.js';
import type { Organizations } from '../organizations/organizations.js';

export interface Namespace {
  orgId: string;
  code: string;
}

export class Namespaces {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly organizations: Organizations,
  ) {}

  /**
   * SQL restricting `column` (an org id column) to the namespaces the principal may access.
   * A subquery, not a list of ids, so a partner with many customers costs nothing extra.
   */
  scope(principal: Principal, column: string): Expression<SqlBool> {
    const col = sql.ref(column);
    if (!principal.roles.includes('full_admin')) return sql<SqlBool>`${col} = ${principal.orgId}`;
    return sql<SqlBool>`(${col} = ${principal.orgId} or ${col} in (select kn.id from organizations kn where kn.parent_id = ${principal.orgId} or kn.managed_by = ${principal.orgId}))`;
  }

  /** The caller's default namespace: its own organization. */
  async defaultFor(principal: Principal): Promise<Namespace> {
    const org = await this.organizations.find(principal.orgId);
    if (!org) throw new Forbidden('The caller has no namespace.');
    return { orgId: org.id, code: org.code };
  }

  /**
   * The namespace a write targets: `nsCode` if given and accessible, else the default. An unknown
   * code answers like an inaccessible one, so namespace codes of other tenants do not leak.
   */
  async forWrite(principal: Principal, nsCode: string | undefined): Promise<Namespace> {
    if (nsCode === undefined) return this.defaultFor(principal);
    const org = await this.db
      .selectFrom('organizations')
      .select(['id', 'code'])
      .where('code', '=', nsCode)
      .executeTakeFirst();
    if (!org || !(await this.organizations.mayActIn(principal, org.id))) {
      throw new Forbidden(`The client may not access namespace ${JSON.stringify(nsCode)}.`);
    }
    return { orgId: org.id, code: org.code };
  }
}

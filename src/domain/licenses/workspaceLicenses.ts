import type { Kysely, Transaction } from 'kysely';
import { NotFound } from '../../platform/errors.js';
import type { Dialect } from '../../store/db.js';
import type { Database } from '../../store/schema.js';
import { authorize } from '../access/matrix.js';
import { actorOf, type Principal } from '../access/principal.js';
import type { Organizations } from '../organizations/organizations.js';
import {
  applyLicenseChanges,
  inTransaction,
  releaseHolder,
  type Holder,
  type LicenseChange,
} from './licenseAssignments.js';

export interface WorkspaceLicenseList {
  workspaceId: string;
  orgId: string;
  licenses: string[];
}

const workspaceHolder = (ws: { id: string; org_id: string }): Holder => ({
  kind: 'workspace',
  id: ws.id,
  orgId: ws.org_id,
  label: `workspace ${ws.id}`,
});

/** Keyward extension: licenses held by workspaces (consumedByWorkspaces), same rules as people. */
export class WorkspaceLicenses {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly organizations: Organizations,
    private readonly dialect: Dialect,
  ) {}

  async list(principal: Principal, workspaceId: string): Promise<WorkspaceLicenseList> {
    authorize(principal, 'licenses.read');
    const ws = await this.visible(principal, workspaceId);
    return this.holdings(ws);
  }

  async change(
    principal: Principal,
    workspaceId: string,
    changes: LicenseChange[],
  ): Promise<WorkspaceLicenseList> {
    authorize(principal, 'licenses.assignWorkspaces');
    const ws = await this.visible(principal, workspaceId);
    const ctx = { orgId: ws.org_id, actor: actorOf(principal), dialect: this.dialect };
    await inTransaction(this.db, (trx) => applyLicenseChanges(trx, ctx, workspaceHolder(ws), changes));
    return this.holdings(ws);
  }

  private async visible(principal: Principal, id: string) {
    const ws = await this.db
      .selectFrom('workspaces')
      .select(['id', 'org_id'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!ws || !(await this.organizations.mayActIn(principal, ws.org_id))) {
      throw new NotFound(`Workspace ${id} was not found.`);
    }
    return ws;
  }

  private async holdings(ws: { id: string; org_id: string }): Promise<WorkspaceLicenseList> {
    const rows = await this.db
      .selectFrom('license_assignments')
      .select('license_id')
      .where('holder_id', '=', ws.id)
      .orderBy('license_id')
      .execute();
    return { workspaceId: ws.id, orgId: ws.org_id, licenses: rows.map((r) => r.license_id) };
  }
}

/** Deletion hooks: a deleted person's or workspace's units go back to their licenses. */
export function releaseOnDelete(kind: 'person' | 'workspace') {
  return (trx: Transaction<Database>, row: { id: string; org_id: string }) =>
    releaseHolder(trx, { kind, id: row.id, orgId: row.org_id, label: `${kind} ${row.id}` }, 'system').then(
      () => undefined,
    );
}

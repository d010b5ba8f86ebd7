import { Invalid, NotFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Db, Tx } from '../../store/dialect.js';
import {
  deleteWorkspace,
  findWorkspace,
  insertWorkspace,
  listWorkspaces,
  locationExistsIn,
  type WorkspaceRow,
} from '../../store/places.js';
import { authorize } from '../access/matrix.js';
import { actorOf, type Principal } from '../access/principal.js';
import { recordAudit } from '../audit/auditLog.js';
import type { Organizations } from '../organizations/organizations.js';
import { PLACE_ID } from './locations.js';

export type { WorkspaceRow };

/** Runs inside the deleting transaction (e.g. to release a workspace's licenses). */
export type WorkspaceDeletionStep = (trx: Tx, workspace: WorkspaceRow) => Promise<void>;

/** Webex workspaces (rooms, shared devices) of an organization, optionally at one of its locations. */
export class Workspaces {
  /** Other areas (licenses …) clean up their rows of a deleted workspace in the same transaction. */
  private readonly deletionSteps: readonly WorkspaceDeletionStep[];

  constructor(
    private readonly db: Db,
    private readonly organizations: Organizations,
    options: { onDelete?: WorkspaceDeletionStep[] } = {},
  ) {
    this.deletionSteps = options.onDelete ?? [];
  }

  /** Keyset-paged on id; `displayName` is a case-insensitive substring. Returns up to max + 1 rows. */
  async list(
    principal: Principal,
    query: { orgId?: string; displayName?: string; locationId?: string; max: number; after?: string },
  ): Promise<WorkspaceRow[]> {
    authorize(principal, 'workspaces.read');
    const orgId = await this.organizations.resolveTarget(principal, query.orgId);
    return listWorkspaces(this.db, {
      orgId,
      displayName: query.displayName,
      locationId: query.locationId,
      after: query.after,
      limit: query.max + 1,
    });
  }

  async get(principal: Principal, id: string): Promise<WorkspaceRow> {
    authorize(principal, 'workspaces.read');
    return this.visible(principal, id);
  }

  async create(
    principal: Principal,
    input: { displayName: string; locationId?: string | null; orgId?: string },
  ): Promise<WorkspaceRow> {
    authorize(principal, 'workspaces.write');
    const displayName = input.displayName.trim();
    if (displayName === '' || displayName.length > 256) {
      throw new Invalid('displayName', 'must be 1 to 256 characters');
    }
    const orgId = await this.organizations.resolveTarget(principal, input.orgId);
    const now = Date.now();
    const row: WorkspaceRow = {
      id: newId(now),
      org_id: orgId,
      display_name: displayName,
      location_id: input.locationId ?? null,
      created_at: now,
      updated_at: now,
    };
    await this.db.transaction().execute(async (trx) => {
      if (row.location_id) {
        const known = PLACE_ID.test(row.location_id) && (await locationExistsIn(trx, row.location_id, orgId));
        if (!known) throw new Invalid('locationId', 'is not a location of this organization');
      }
      await insertWorkspace(trx, row);
      await this.audit(trx, principal, row, 'workspace.create');
    });
    return row;
  }

  async delete(principal: Principal, id: string): Promise<void> {
    authorize(principal, 'workspaces.write');
    const row = await this.visible(principal, id);
    await this.db.transaction().execute(async (trx) => {
      for (const step of this.deletionSteps) await step(trx, row);
      if (!(await deleteWorkspace(trx, id))) throw new NotFound(`Workspace ${id} was not found.`);
      await this.audit(trx, principal, row, 'workspace.delete');
    });
  }

  private async visible(principal: Principal, id: string): Promise<WorkspaceRow> {
    const row = PLACE_ID.test(id) ? await findWorkspace(this.db, id) : undefined;
    if (!row || !(await this.organizations.mayActIn(principal, row.org_id))) {
      throw new NotFound(`Workspace ${id} was not found.`);
    }
    return row;
  }

  private audit(trx: Db, principal: Principal, row: WorkspaceRow, action: string) {
    return recordAudit(trx, {
      orgId: row.org_id,
      actor: actorOf(principal),
      action,
      target: `workspace:${row.id}`,
      detail: { displayName: row.display_name, locationId: row.location_id },
    });
  }
}

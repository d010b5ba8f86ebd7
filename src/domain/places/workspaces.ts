import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { Invalid, NotFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Database } from '../../store/schema.js';
import type { WorkspacesTable } from '../../store/tables/places.js';
import { authorize } from '../access/matrix.js';
import { actorOf, type Principal } from '../access/principal.js';
import { recordAudit } from '../audit/auditLog.js';
import type { Organizations } from '../organizations/organizations.js';
import { PLACE_ID } from './locations.js';

export type WorkspaceRow = Selectable<WorkspacesTable>;

/** Runs inside the deleting transaction (e.g. to release a workspace's licenses). */
export type WorkspaceDeletionStep = (trx: Transaction<Database>, workspace: WorkspaceRow) => Promise<void>;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Webex workspaces (rooms, shared devices) of an organization, optionally at one of its locations. */
export class Workspaces {
  /** Other areas (licenses …) clean up their rows of a deleted workspace in the same transaction. */
  private readonly deletionSteps: readonly WorkspaceDeletionStep[];

  constructor(
    private readonly db: Kysely<Database>,
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
    let q = this.db.selectFrom('workspaces').selectAll().where('org_id', '=', orgId);
    if (query.displayName) {
      const pattern = `%${escapeLike(query.displayName.toLowerCase())}%`;
      q = q.where(sql<boolean>`lower(display_name) like ${pattern} escape ${'\\'}`);
    }
    if (query.locationId) q = q.where('location_id', '=', query.locationId);
    if (query.after) q = q.where('id', '>', query.after);
    return q
      .orderBy('id')
      .limit(query.max + 1)
      .execute();
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
        const location = PLACE_ID.test(row.location_id)
          ? await trx
              .selectFrom('locations')
              .select('id')
              .where('id', '=', row.location_id)
              .where('org_id', '=', orgId)
              .executeTakeFirst()
          : undefined;
        if (!location) throw new Invalid('locationId', 'is not a location of this organization');
      }
      await trx.insertInto('workspaces').values(row).execute();
      await this.audit(trx, principal, row, 'workspace.create');
    });
    return row;
  }

  async delete(principal: Principal, id: string): Promise<void> {
    authorize(principal, 'workspaces.write');
    const row = await this.visible(principal, id);
    await this.db.transaction().execute(async (trx) => {
      for (const step of this.deletionSteps) await step(trx, row);
      const done = await trx.deleteFrom('workspaces').where('id', '=', id).executeTakeFirst();
      if (done.numDeletedRows === 0n) throw new NotFound(`Workspace ${id} was not found.`);
      await this.audit(trx, principal, row, 'workspace.delete');
    });
  }

  private async visible(principal: Principal, id: string): Promise<WorkspaceRow> {
    const row = PLACE_ID.test(id)
      ? await this.db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst()
      : undefined;
    if (!row || !(await this.organizations.mayActIn(principal, row.org_id))) {
      throw new NotFound(`Workspace ${id} was not found.`);
    }
    return row;
  }

  private audit(trx: Transaction<Database>, principal: Principal, row: WorkspaceRow, action: string) {
    return recordAudit(trx, {
      orgId: row.org_id,
      actor: actorOf(principal),
      action,
      target: `workspace:${row.id}`,
      detail: { displayName: row.display_name, locationId: row.location_id },
    });
  }
}

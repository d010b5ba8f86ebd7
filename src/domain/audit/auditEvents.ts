import { Invalid } from '../../platform/errors.js';
import { listAuditEvents, type AuditEventRow } from '../../store/audit.js';
import type { Db } from '../../store/dialect.js';
import { authorize } from '../access/matrix.js';
import type { Principal } from '../access/principal.js';
import type { Organizations } from '../organizations/organizations.js';

export type { AuditEventRow };

/** Keyset position of the last row of a page: newest first, ties broken by id. */
export function auditKey(row: AuditEventRow): string {
  return `${row.at}.${row.id}`;
}

function parseKey(key: string): { at: number; id: string } {
  const dot = key.indexOf('.');
  const at = Number(key.slice(0, dot));
  if (dot < 1 || !Number.isSafeInteger(at)) throw new Invalid('cursor', 'is not a cursor this server issued');
  return { at, id: key.slice(dot + 1) };
}

/** The admin audit log of an organization (Keyward extension GET /v1/adminAudit/events). */
export class AuditEvents {
  constructor(
    private readonly db: Db,
    private readonly organizations: Organizations,
  ) {}

  /** Events in [from, to), newest first, keyset-paged in SQL; returns up to max + 1 rows. */
  async list(
    principal: Principal,
    query: { orgId?: string; from?: number; to?: number; max: number; after?: string },
  ): Promise<AuditEventRow[]> {
    authorize(principal, 'audit.read');
    if (query.from !== undefined && query.to !== undefined && query.from >= query.to) {
      throw new Invalid('from', 'must be before to');
    }
    const orgId = await this.organizations.resolveTarget(principal, query.orgId);
    return listAuditEvents(this.db, {
      orgId,
      from: query.from,
      to: query.to,
      before: query.after ? parseKey(query.after) : undefined,
      limit: query.max + 1,
    });
  }
}

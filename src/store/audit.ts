/** The admin audit log's queries: append an event, page an organization's events newest first. */
import type { Selectable } from 'kysely';
import { newId } from '../platform/ids.js';
import type { Db } from './dialect.js';
import type { AuditEventsTable } from './schema.js';

export type AuditEventRow = Selectable<AuditEventsTable>;

export interface NewAuditEvent {
  orgId: string;
  actor: string;
  action: string;
  target: string;
  detail?: Record<string, unknown>;
}

export async function insertAuditEvent(db: Db, event: NewAuditEvent): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      id: newId(),
      org_id: event.orgId,
      actor: event.actor,
      action: event.action,
      target: event.target,
      detail: event.detail ? JSON.stringify(event.detail) : null,
      at: Date.now(),
    })
    .execute();
}

export interface AuditPageQuery {
  orgId: string;
  from?: number;
  to?: number;
  /** Keyset position: events strictly older than (at, id). */
  before?: { at: number; id: string };
  limit: number;
}

/** Events in [from, to), newest first, ties broken by id (descending). */
export async function listAuditEvents(db: Db, query: AuditPageQuery): Promise<AuditEventRow[]> {
  let q = db.selectFrom('audit_events').selectAll().where('org_id', '=', query.orgId);
  if (query.from !== undefined) q = q.where('at', '>=', query.from);
  if (query.to !== undefined) q = q.where('at', '<', query.to);
  const last = query.before;
  if (last) {
    q = q.where((eb) =>
      eb.or([eb('at', '<', last.at), eb.and([eb('at', '=', last.at), eb('id', '<', last.id)])]),
    );
  }
  return q.orderBy('at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
}

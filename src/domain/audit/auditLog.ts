import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../platform/ids.js';
import type { Database } from '../../store/schema.js';

export interface AuditEvent {
  orgId: string;
  actor: string;
  action: string;
  target: string;
  detail?: Record<string, unknown>;
}

/**
 * Appends an audit event. Call it inside the transaction that makes the change, so the event
 * exists if and only if the change does. Never put secrets in `detail`.
 */
export async function recordAudit(
  db: Kysely<Database> | Transaction<Database>,
  event: AuditEvent,
): Promise<void> {
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

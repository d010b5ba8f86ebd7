import type { Db } from '../../store/dialect.js';
import { insertAuditEvent, type NewAuditEvent } from '../../store/audit.js';

export type AuditEvent = NewAuditEvent;

/**
 * Appends an audit event. Call it inside the transaction that makes the change, so the event
 * exists if and only if the change does. Never put secrets in `detail`.
 */
export async function recordAudit(db: Db, event: AuditEvent): Promise<void> {
  await insertAuditEvent(db, event);
}

import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { auditKey, type AuditEventRow, type AuditEvents } from '../../domain/audit/auditEvents.js';
import { Invalid } from '../../platform/errors.js';
import { principalOf } from '../../http/authenticate.js';
import { decodeCursor, pageOf } from './paging.js';

const AuditEvent = Type.Object({
  id: Type.String(),
  orgId: Type.String(),
  actorId: Type.String(),
  action: Type.String(),
  target: Type.String(),
  created: Type.String({ format: 'date-time' }),
  data: Type.Record(Type.String(), Type.Unknown()),
});

const ListQuery = Type.Object({
  orgId: Type.Optional(Type.String({ maxLength: 128 })),
  from: Type.Optional(Type.String({ maxLength: 40 })),
  to: Type.Optional(Type.String({ maxLength: 40 })),
  max: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

function instant(field: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const at = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(at))
    throw new Invalid(field, 'is not an ISO 8601 date-time');
  return at;
}

function toWebexAuditEvent(row: AuditEventRow): Static<typeof AuditEvent> {
  return {
    id: row.id,
    orgId: row.org_id,
    actorId: row.actor,
    action: row.action,
    target: row.target,
    created: new Date(row.at).toISOString(),
    data: row.detail ? JSON.parse(row.detail) : {},
  };
}

/** Keyward extension: the admin audit log of an org, newest first, Link-paged (`from`/`to` ISO 8601). */
export function adminAuditRoutes(app: FastifyInstance, events: AuditEvents): void {
  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/v1/adminAudit/events',
    {
      schema: {
        tags: ['webex: admin audit'],
        summary: 'List admin audit events (Keyward extension)',
        querystring: ListQuery,
        response: { 200: Type.Object({ items: Type.Array(AuditEvent) }) },
      },
    },
    async (request, reply) => {
      const { cursor, max = 100, orgId } = request.query;
      const rows = await events.list(principalOf(request), {
        orgId,
        from: instant('from', request.query.from),
        to: instant('to', request.query.to),
        max,
        after: decodeCursor(cursor),
      });
      return { items: pageOf(request, reply, rows, max, auditKey).map(toWebexAuditEvent) };
    },
  );
}

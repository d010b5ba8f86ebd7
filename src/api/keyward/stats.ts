import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ActivityStats } from '../../domain/audit/activityStats.js';
import { principalOf } from '../../http/authenticate.js';

/** GET /admin/v1/stats: the console overview's 24-hour chart. */
export function statsRoutes(app: FastifyInstance, stats: ActivityStats): void {
  app.get<{ Querystring: { orgId?: string } }>(
    '/admin/v1/stats',
    {
      schema: {
        tags: ['keyward: admin'],
        summary:
          "People's access tokens issued and password logins per hour, last 24 hours (audit readers; orgId: a customer org)",
        querystring: Type.Object({ orgId: Type.Optional(Type.String({ maxLength: 128 })) }),
        response: {
          200: Type.Object({
            orgId: Type.String(),
            hours: Type.Array(
              Type.Object({
                hour: Type.String({ format: 'date-time', description: 'start of the hour' }),
                tokens: Type.Integer(),
                logins: Type.Integer(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const { orgId, hours } = await stats.last24h(principalOf(request), request.query.orgId);
      return { orgId, hours: hours.map((h) => ({ ...h, hour: new Date(h.hour).toISOString() })) };
    },
  );
}

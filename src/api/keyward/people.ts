import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { PersonAdmin } from '../../domain/people/personAdmin.js';
import { principalOf } from '../../http/authenticate.js';

const TAGS = ['keyward: admin'];
const DateTime = Type.String({ format: 'date-time' });
const Params = Type.Object({ personId: Type.String({ minLength: 1, maxLength: 128 }) });
const iso = (ms: number) => new Date(ms).toISOString();

/** /admin/v1/people/:personId/{sessions,licenses}: what the console shows beyond the Webex person. */
export function personAdminRoutes(app: FastifyInstance, admin: PersonAdmin): void {
  app.get<{ Params: { personId: string } }>(
    '/admin/v1/people/:personId/sessions',
    {
      schema: {
        tags: TAGS,
        summary: "A person's live Keyward sign-in sessions, newest first (people.read; at most 100)",
        params: Params,
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ created: DateTime, authTime: DateTime, expires: DateTime })),
          }),
        },
      },
    },
    async (request) => ({
      items: (await admin.sessions(principalOf(request), request.params.personId)).map((s) => ({
        created: iso(s.created_at),
        authTime: iso(s.auth_time),
        expires: iso(s.expires_at),
      })),
    }),
  );

  app.delete<{ Params: { personId: string } }>(
    '/admin/v1/people/:personId/sessions',
    {
      schema: {
        tags: TAGS,
        summary:
          'End all of a person’s Keyward sessions: they sign in again next time (people.write; grants stay, revoke them separately)',
        params: Params,
        response: { 200: Type.Object({ ended: Type.Integer() }) },
      },
    },
    async (request) => ({ ended: await admin.endSessions(principalOf(request), request.params.personId) }),
  );

  app.get<{ Params: { personId: string } }>(
    '/admin/v1/people/:personId/licenses',
    {
      schema: {
        tags: TAGS,
        summary:
          'Licenses a person holds from any organization: active, or pending until they accept (licenses.read)',
        params: Params,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                licenseId: Type.String(),
                name: Type.String(),
                orgId: Type.String(),
                status: Type.String(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({
      items: (await admin.licenses(principalOf(request), request.params.personId)).map((l) => ({
        licenseId: l.license_id,
        name: l.name,
        orgId: l.org_id,
        status: l.status,
      })),
    }),
  );
}

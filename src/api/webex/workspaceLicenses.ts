import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { WorkspaceLicenses } from '../../domain/licenses/workspaceLicenses.js';
import { principalOf } from '../../http/authenticate.js';
import { LicenseRequest } from './licenses.js';

const TAGS = ['webex: licenses'];
const Params = Type.Object({ workspaceId: Type.String({ minLength: 1, maxLength: 128 }) });
const WorkspaceLicenseList = Type.Object({
  workspaceId: Type.String(),
  orgId: Type.String(),
  licenses: Type.Array(Type.String()),
});
const Body = Type.Object({ licenses: Type.Array(LicenseRequest, { maxItems: 100 }) });

/** Keyward extension on /v1/workspaces/{id}: the licenses a workspace holds (consumedByWorkspaces). */
export function workspaceLicenseRoutes(app: FastifyInstance, workspaceLicenses: WorkspaceLicenses): void {
  app.get<{ Params: Static<typeof Params> }>(
    '/v1/workspaces/:workspaceId/licenses',
    {
      schema: {
        tags: TAGS,
        summary: 'Licenses held by a workspace (Keyward extension)',
        params: Params,
        response: { 200: WorkspaceLicenseList },
      },
    },
    async (request) => workspaceLicenses.list(principalOf(request), request.params.workspaceId),
  );

  app.patch<{ Params: Static<typeof Params>; Body: Static<typeof Body> }>(
    '/v1/workspaces/:workspaceId/licenses',
    {
      schema: {
        tags: TAGS,
        summary: 'Assign or remove licenses of a workspace, all or nothing (Keyward extension)',
        params: Params,
        body: Body,
        response: { 200: WorkspaceLicenseList },
      },
    },
    async (request) =>
      workspaceLicenses.change(principalOf(request), request.params.workspaceId, request.body.licenses),
  );
}

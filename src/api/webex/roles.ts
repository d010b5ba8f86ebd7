import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { authorize } from '../../domain/access/matrix.js';
import { ADMIN_ROLES, type AdminRole } from '../../domain/access/roles.js';
import { NotFound } from '../../platform/errors.js';
import { principalOf } from '../../http/authenticate.js';

const TAGS = ['webex: roles'];

/** Webex's names; a person with none of these is an ordinary user. */
export const ROLE_NAMES: Record<AdminRole, string> = {
  full_admin: 'Full Administrator',
  user_admin: 'User Administrator',
  device_admin: 'Device Administrator',
  read_only_admin: 'Read-only Administrator',
};

const Role = Type.Object({ id: Type.String(), name: Type.String() });

/** Webex /v1/roles: the admin roles a person's `roles` may hold. */
export function roleRoutes(app: FastifyInstance): void {
  app.get(
    '/v1/roles',
    {
      schema: {
        tags: TAGS,
        summary: 'List admin roles',
        response: { 200: Type.Object({ items: Type.Array(Role) }) },
      },
    },
    async (request) => {
      authorize(principalOf(request), 'roles.read');
      return { items: ADMIN_ROLES.map((id) => ({ id, name: ROLE_NAMES[id] })) };
    },
  );

  app.get<{ Params: { roleId: string } }>(
    '/v1/roles/:roleId',
    {
      schema: {
        tags: TAGS,
        summary: 'Get an admin role',
        params: Type.Object({ roleId: Type.String({ maxLength: 64 }) }),
        response: { 200: Role },
      },
    },
    async (request) => {
      authorize(principalOf(request), 'roles.read');
      const id = request.params.roleId as AdminRole;
      if (!Object.hasOwn(ROLE_NAMES, id)) throw new NotFound(`Role ${request.params.roleId} was not found.`);
      return { id, name: ROLE_NAMES[id] };
    },
  );
}

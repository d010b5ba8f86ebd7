import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AssignedUserRow, Licenses } from '../../domain/licenses/licenses.js';
import { consumedUnits, SITE_TYPES, type LicenseRow } from '../../domain/licenses/licenseRules.js';
import type { UserLicenseAssignments } from '../../domain/licenses/userLicenses.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { principalOf } from '../../http/authenticate.js';
import { decodeCursor, pageOf } from './paging.js';

const TAGS = ['webex: licenses'];
const Id = Type.String({ minLength: 1, maxLength: 128 });

const License = Type.Object({
  id: Type.String(),
  name: Type.String(),
  totalUnits: Type.Integer(),
  consumedUnits: Type.Integer(),
  consumedByUsers: Type.Integer(),
  consumedByWorkspaces: Type.Integer(),
  subscriptionId: Type.Optional(Type.String()),
  siteUrl: Type.Optional(Type.String()),
  siteType: Type.Optional(Type.String()),
});

const LicenseUser = Type.Object({
  id: Type.Optional(Type.String()),
  type: Type.Union([Type.Literal('INTERNAL'), Type.Literal('EXTERNAL')]),
  displayName: Type.Optional(Type.String()),
  email: Type.Optional(Type.String()),
});

const LicenseWithUsers = Type.Composite([
  License,
  Type.Object({ users: Type.Optional(Type.Array(LicenseUser)) }),
]);

const SiteResponse = Type.Object({ siteUrl: Type.String(), accountType: Type.String() });
export const UserLicensesResponse = Type.Object({
  orgId: Type.String(),
  personId: Type.Optional(Type.String()),
  email: Type.String(),
  licenses: Type.Array(Type.String()),
  siteUrls: Type.Array(SiteResponse),
  pendingLicenses: Type.Array(Type.String()),
  pendingSiteUrls: Type.Array(SiteResponse),
});

const Operation = Type.Union([Type.Literal('add'), Type.Literal('remove')]);
export const LicenseRequest = Type.Object({
  id: Id,
  operation: Type.Optional(Operation),
  properties: Type.Optional(
    Type.Object({
      locationId: Type.Optional(Type.String({ maxLength: 128 })),
      phoneNumber: Type.Optional(Type.String({ maxLength: 32 })),
      extension: Type.Optional(Type.String({ maxLength: 32 })),
    }),
  ),
});

const PatchUserLicenses = Type.Object({
  email: Type.Optional(Type.String({ maxLength: 320 })),
  personId: Type.Optional(Type.String({ maxLength: 128 })),
  orgId: Type.Optional(Type.String({ maxLength: 128 })),
  licenses: Type.Optional(Type.Array(LicenseRequest, { maxItems: 100 })),
  siteUrls: Type.Optional(
    Type.Array(
      Type.Object({
        siteUrl: Type.Optional(Type.String({ maxLength: 256 })),
        accountType: Type.Optional(Type.String({ maxLength: 32 })),
        operation: Type.Optional(Operation),
      }),
      { maxItems: 100 },
    ),
  ),
});

const NewLicense = Type.Object({
  orgId: Type.Optional(Type.String({ maxLength: 128 })),
  name: Type.String({ maxLength: 256 }),
  totalUnits: Type.Integer(),
  subscriptionId: Type.Optional(Type.String({ maxLength: 256 })),
  siteUrl: Type.Optional(Type.String({ maxLength: 256 })),
  siteType: Type.Optional(Type.Union(SITE_TYPES.map((t) => Type.Literal(t)))),
});

const DetailQuery = Type.Object({
  includeAssignedTo: Type.Optional(Type.String({ maxLength: 32 })),
  orgId: Type.Optional(Type.String({ maxLength: 128 })),
  max: Type.Optional(Type.Integer({ minimum: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

/** Properties that do not apply to a license are omitted, as the vendor does. */
export function toWebexLicense(row: LicenseRow): Static<typeof License> {
  return {
    id: row.id,
    name: row.name,
    totalUnits: row.total_units,
    consumedUnits: consumedUnits(row),
    consumedByUsers: row.consumed_by_users,
    consumedByWorkspaces: row.consumed_by_workspaces,
    ...(row.subscription_id ? { subscriptionId: row.subscription_id } : {}),
    ...(row.site_url ? { siteUrl: row.site_url } : {}),
    ...(row.site_type ? { siteType: row.site_type } : {}),
  };
}

/** Pending users of another org show only the email the admin typed: their id is theirs to share. */
function toLicenseUser(license: LicenseRow, row: AssignedUserRow): Static<typeof LicenseUser> {
  const type = row.holder_org_id === license.org_id ? 'INTERNAL' : 'EXTERNAL';
  if (row.status === 'pending') return { type, ...(row.email ? { email: row.email } : {}) };
  return {
    id: row.holder_id,
    type,
    ...(row.display_name ? { displayName: row.display_name } : {}),
    ...(row.email ? { email: row.email } : {}),
  };
}

const MAX_USERS_PAGE = 1000;

/** Webex /v1/licenses: inventory, details with assigned users (Link paging), PATCH /v1/licenses/users. */
export function licenseRoutes(app: FastifyInstance, licenses: Licenses, users: UserLicenseAssignments): void {
  app.get<{ Querystring: { orgId?: string } }>(
    '/v1/licenses',
    {
      schema: {
        tags: TAGS,
        summary: 'List the licenses of an organization (not paged)',
        querystring: Type.Object({ orgId: Type.Optional(Type.String({ maxLength: 128 })) }),
        response: { 200: Type.Object({ items: Type.Array(License) }) },
      },
    },
    async (request) => {
      const rows = await licenses.list(principalOf(request), request.query.orgId);
      return { items: rows.map(toWebexLicense) };
    },
  );

  app.get<{ Params: { licenseId: string }; Querystring: Static<typeof DetailQuery> }>(
    '/v1/licenses/:licenseId',
    {
      schema: {
        tags: TAGS,
        summary: 'Get a license; with includeAssignedTo=user also its users (Link paging)',
        params: Type.Object({ licenseId: Id }),
        querystring: DetailQuery,
        response: { 200: LicenseWithUsers },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { includeAssignedTo, orgId, cursor } = request.query;
      if (includeAssignedTo === undefined) {
        const row = await licenses.get(principal, request.params.licenseId);
        if (orgId && row.org_id !== orgId) throw new NotFound(`License ${row.id} was not found.`);
        return toWebexLicense(row);
      }
      if (includeAssignedTo !== 'user') throw new Invalid('includeAssignedTo', 'must be user');
      // The vendor documents `limit` (≤ 300), wxc_sdk passes `max`: either; above the cap it is clamped.
      const max = Math.min(request.query.max ?? request.query.limit ?? 300, MAX_USERS_PAGE);
      const { license, users: rows } = await licenses.assignedUsers(principal, request.params.licenseId, {
        after: decodeCursor(cursor),
        max,
      });
      if (orgId && license.org_id !== orgId) throw new NotFound(`License ${license.id} was not found.`);
      const page = pageOf(request, reply, rows, max, (r) => r.assignment_id);
      return { ...toWebexLicense(license), users: page.map((r) => toLicenseUser(license, r)) };
    },
  );

  app.patch<{ Body: Static<typeof PatchUserLicenses> }>(
    '/v1/licenses/users',
    {
      schema: {
        tags: TAGS,
        summary: 'Assign or remove licenses and attendee site URLs of a person (all or nothing)',
        body: PatchUserLicenses,
        response: { 200: UserLicensesResponse },
      },
    },
    async (request) => users.assign(principalOf(request), request.body),
  );

  app.post<{ Body: Static<typeof NewLicense> }>(
    '/v1/licenses',
    {
      schema: {
        tags: TAGS,
        summary: 'Create a license in an organization (Keyward extension, full admins)',
        body: NewLicense,
        response: { 201: License },
      },
    },
    async (request, reply) => {
      const row = await licenses.create(principalOf(request), request.body);
      return reply.status(201).send(toWebexLicense(row));
    },
  );

  app.put<{ Params: { licenseId: string }; Body: { totalUnits: number } }>(
    '/v1/licenses/:licenseId',
    {
      schema: {
        tags: TAGS,
        summary: 'Change totalUnits, never below consumption (Keyward extension, full admins)',
        params: Type.Object({ licenseId: Id }),
        body: Type.Object({ totalUnits: Type.Integer() }),
        response: { 200: License },
      },
    },
    async (request) =>
      toWebexLicense(
        await licenses.setTotalUnits(principalOf(request), request.params.licenseId, request.body.totalUnits),
      ),
  );

  for (const [verb, accept] of [
    ['accept', true],
    ['decline', false],
  ] as const) {
    app.post<{ Body: { orgId?: string } | undefined }>(
      `/v1/licenses/pending/${verb}`,
      {
        schema: {
          tags: TAGS,
          summary: `The calling person ${verb}s pending licenses from other organizations (Keyward extension)`,
          body: Type.Optional(Type.Object({ orgId: Type.Optional(Type.String({ maxLength: 128 })) })),
          response: { 200: Type.Object({ items: Type.Array(UserLicensesResponse) }) },
        },
      },
      async (request) => ({ items: await users.respond(principalOf(request), accept, request.body?.orgId) }),
    );
  }
}

import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { hasRoleFor, hasScopeFor, operationRules } from '../../domain/access/matrix.js';
import { KeyAdmin } from '../../domain/keys/keyAdmin.js';
import { renderProblemsWith } from '../../http/problems.js';
import type { Services } from '../../services.js';
import { authenticateRequests, principalOf } from '../../http/authenticate.js';
import { limitRequestsPerClient } from '../../http/rateLimitHook.js';
import { renderKeywardProblem } from './errors.js';
import { personAdminRoutes } from './people.js';
import { statsRoutes } from './stats.js';
import { ActivityStats } from '../../domain/audit/activityStats.js';
import { PersonAdmin } from '../../domain/people/personAdmin.js';

const TAGS = ['keyward: admin'];
const DateTime = Type.String({ format: 'date-time' });

const Me = Type.Object({
  kind: Type.Union([Type.Literal('person'), Type.Literal('client')]),
  personId: Type.Union([Type.String(), Type.Null()]),
  clientId: Type.String(),
  orgId: Type.String(),
  roles: Type.Array(Type.String()),
  scopes: Type.Array(Type.String()),
  operations: Type.Array(Type.String(), {
    description: 'the operations of the permission matrix this caller may perform (the server still checks)',
  }),
});

const SigningKey = Type.Object({
  kid: Type.String(),
  alg: Type.String(),
  state: Type.Union([Type.Literal('active'), Type.Literal('retiring'), Type.Literal('retired')]),
  created: DateTime,
  retireAt: Type.Union([DateTime, Type.Null()]),
});

const ListKeysQuery = Type.Object({
  includeRetired: Type.Optional(Type.Boolean({ default: false })),
});

const RotateBody = Type.Object(
  {
    alg: Type.Optional(
      Type.Union([Type.Literal('EdDSA'), Type.Literal('RS256')], {
        description: 'EdDSA signs access tokens (default), RS256 ID tokens',
      }),
    ),
  },
  { additionalProperties: false },
);

/** Keyward's own admin API (/admin/v1): what no vendor family covers, for the console and SDKs. */
export async function keywardAdminPlugin(app: FastifyInstance, services: Services): Promise<void> {
  renderProblemsWith(app, renderKeywardProblem);
  authenticateRequests(app, services.authenticator);
  limitRequestsPerClient(app, services.rateLimiter);
  const keyAdmin = new KeyAdmin(
    services.store.db,
    services.keys,
    services.organizations,
    services.config.defaultAccessTokenTtl,
  );

  personAdminRoutes(app, new PersonAdmin(services.store.db, services.peopleAdmin));
  statsRoutes(app, new ActivityStats(services.store.db, services.organizations));

  app.get(
    '/admin/v1/me',
    {
      schema: {
        tags: TAGS,
        summary: 'Who is calling and which operations they may perform (any authenticated caller)',
        response: { 200: Me },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const operations = Object.keys(operationRules()).filter(
        (op) => hasScopeFor(p, op) && hasRoleFor(p, op),
      );
      return {
        kind: p.kind,
        personId: p.personId ?? null,
        clientId: p.clientId,
        orgId: p.orgId,
        roles: [...p.roles],
        scopes: [...p.scopes].sort(),
        operations,
      };
    },
  );

  app.get<{ Querystring: Static<typeof ListKeysQuery> }>(
    '/admin/v1/signingKeys',
    {
      schema: {
        tags: TAGS,
        summary: 'Signing keys, newest first (metadata only; spark-admin:organizations_read, any admin)',
        querystring: ListKeysQuery,
        response: { 200: Type.Object({ items: Type.Array(SigningKey) }) },
      },
    },
    async (request) => {
      const rows = await keyAdmin.list(principalOf(request), request.query.includeRetired ?? false);
      return {
        items: rows.map((r) => ({
          kid: r.kid,
          alg: r.alg,
          state: r.state as 'active' | 'retiring' | 'retired',
          created: new Date(r.created_at).toISOString(),
          retireAt: r.retire_at === null ? null : new Date(r.retire_at).toISOString(),
        })),
      };
    },
  );

  app.post<{ Body: Static<typeof RotateBody> }>(
    '/admin/v1/signingKeys/rotate',
    {
      schema: {
        tags: TAGS,
        summary:
          'Rotate: a new active key; the previous one keeps verifying until its tokens expired ' +
          '(spark-admin:organizations_write, full admin of the root organization)',
        body: RotateBody,
        response: {
          201: Type.Object({ kid: Type.String(), alg: Type.String(), previousRetireAt: DateTime }),
        },
      },
    },
    async (request, reply) => {
      const alg = request.body?.alg ?? 'EdDSA';
      const { kid, retireAt } = await keyAdmin.rotate(principalOf(request), alg);
      return reply.status(201).send({ kid, alg, previousRetireAt: new Date(retireAt).toISOString() });
    },
  );
}

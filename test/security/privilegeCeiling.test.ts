/**
 * The privilege ceiling (issue 13 §1): nobody acts on a client, access key, person, role assignment
 * or connection more powerful than itself. First the attack as found, then every such route (table:
 * ./ceilingRoutes.ts) × a weaker, an equal and a stronger caller: refused with 403 in the family's
 * error shape, nothing changed; allowed for the others.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MANAGEMENT_SCOPES } from '../../src/domain/access/scopes.js';
import { newId } from '../../src/platform/ids.js';
import { insertClient, insertPerson } from '../support/fixtures.js';
import { startKeyward, type Harness } from '../support/harness.js';
import { adminClient, callerWith, clientCredentialsToken, type Call } from '../support/tenants.js';
import {
  CEILING_ROUTES,
  LEVELS,
  type CeilingRoute,
  type Family,
  type Power,
  type Target,
  type TargetKind,
} from './ceilingRoutes.js';

/** Asserts a refusal in the family's own error shape. */
function refusedInShape(family: Family, res: Call, what: string): void {
  assert.equal(res.status, 403, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
  const b = res.body;
  if (family === 'webex')
    assert.ok(typeof b.message === 'string' && Array.isArray(b.errors) && b.trackingId, what);
  if (family === 'sailpoint') assert.ok(b.detailCode && Array.isArray(b.messages) && b.trackingId, what);
  if (family === 'authress') assert.ok(b.errorCode === 'Forbidden' && typeof b.title === 'string', what);
}

async function call(k: Harness, token: string, route: CeilingRoute, t: Target): Promise<Call> {
  const body = route.body?.(t);
  const res = await k.app.inject({
    method: route.method,
    url: route.url(t),
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': route.contentType ?? 'application/json' } : {}),
    },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined, headers: res.headers };
}

describe('privilege ceiling', () => {
  let k: Harness;
  before(async () => {
    k = await startKeyward();
  });
  after(async () => k?.close());

  const caller = (power: Power) => adminClient(k, k.admin.orgId, power.roles, power.scopes);

  async function clientTarget(power: Power): Promise<Target> {
    const c = await insertClient(k, {
      grantTypes: ['CLIENT_CREDENTIALS'],
      redirectUris: [],
      scopes: [...power.scopes],
    });
    await k.services.store.db
      .updateTable('oauth_clients')
      .set({ roles: JSON.stringify(power.roles) })
      .where('id', '=', c.id)
      .execute();
    await k.services.clients.changed(c.id);
    const key = await k.services.accessKeys.createAsOperator(c.id);
    return { id: c.id, keyId: key.keyId };
  }

  async function makeTarget(kind: TargetKind): Promise<Target> {
    const power = LEVELS[kind].target;
    if (kind === 'client') return clientTarget(power);
    if (kind === 'person') return { id: (await insertPerson(k, { roles: power.roles })).id };
    if (kind === 'credential') {
      const connection = await makeTarget('connection');
      const personId = (await insertPerson(k, { roles: power.roles })).id;
      await k.services.store.db.transaction().execute((trx) =>
        k.services.connections.credentials.store(trx, {
          orgId: k.admin.orgId,
          connectionId: connection.id,
          personId,
          subject: personId,
          tokens: { accessToken: `upstream-token-of-${personId}` },
        }),
      );
      return { id: connection.id, personId };
    }
    const id = `con-${newId().slice(-10).toLowerCase()}`;
    const res = await callerWith(k, await k.token())('POST', '/v1/connections', {
      connectionId: id,
      type: 'OAUTH2',
      authenticationUrl: 'https://idp.example.com/oauth/authorize',
      tokenUrl: 'https://idp.example.com/oauth/token',
      clientId: 'upstream-client',
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return { id };
  }

  /** Everything stored about the target, to prove a refusal changed nothing. */
  async function snapshot(kind: TargetKind, t: Target): Promise<string> {
    const db = k.services.store.db;
    if (kind === 'client') {
      const row = await db.selectFrom('oauth_clients').selectAll().where('id', '=', t.id).executeTakeFirst();
      const keys = await db.selectFrom('client_keys').selectAll().where('client_id', '=', t.id).execute();
      return JSON.stringify([row, keys]);
    }
    if (kind === 'person') {
      const rows = await db.selectFrom('people').selectAll().where('email', 'like', `%${t.id}%`).execute();
      const row = await db.selectFrom('people').selectAll().where('id', '=', t.id).executeTakeFirst();
      return JSON.stringify([row, rows]);
    }
    return JSON.stringify(
      await db.selectFrom('connections').selectAll().where('id', 'like', `%${t.id}`).execute(),
    );
  }

  describe('the attack from the issue', () => {
    it('a client with only sp:oauth-client:manage + full_admin cannot take over the bootstrap client', async () => {
      const weak = callerWith(
        k,
        (await caller({ roles: ['full_admin'], scopes: ['sp:oauth-client:manage'] })).token,
      );
      const id = k.admin.clientId;
      refusedInShape('sailpoint', await weak('POST', `/v3/oauth-clients/${id}/secret`), 'rotate');
      refusedInShape('authress', await weak('POST', `/v1/clients/${id}/access-keys`), 'access key');
      const patch = await k.app.inject({
        method: 'PATCH',
        url: `/v3/oauth-clients/${id}`,
        headers: {
          authorization: `Bearer ${(await caller({ roles: ['full_admin'], scopes: ['sp:oauth-client:manage'] })).token}`,
          'content-type': 'application/json-patch+json',
        },
        payload: JSON.stringify([
          { op: 'add', path: '/redirectUris/-', value: 'https://attacker.example.com/cb' },
        ]),
      });
      assert.equal(patch.statusCode, 403, patch.body);
      // The bootstrap secret still works and the client is unchanged.
      const token = await clientCredentialsToken(k, id, k.admin.clientSecret);
      assert.ok(token);
      const keys = await k.services.store.db
        .selectFrom('client_keys')
        .select('kid')
        .where('client_id', '=', id)
        .execute();
      assert.equal(keys.length, 0);
    });

    it('a user admin cannot reset the password of admin@localhost', async () => {
      const userAdmin = callerWith(k, (await caller(LEVELS.person.weaker)).token);
      const admin = await k.services.store.db
        .selectFrom('people')
        .select(['id', 'password_hash'])
        .where('email', '=', k.admin.adminEmail)
        .executeTakeFirstOrThrow();
      refusedInShape(
        'webex',
        await userAdmin('PUT', `/v1/people/${admin.id}/password`, { password: 'taken-over-1234' }),
        'reset',
      );
      const after = await k.services.store.db
        .selectFrom('people')
        .select('password_hash')
        .where('id', '=', admin.id)
        .executeTakeFirstOrThrow();
      assert.equal(after.password_hash, admin.password_hash);
    });

    it('a client with every scope and full_admin may still act on the bootstrap client', async () => {
      const strong = callerWith(
        k,
        (await caller({ roles: ['full_admin'], scopes: MANAGEMENT_SCOPES })).token,
      );
      const res = await strong('POST', `/v1/clients/${k.admin.clientId}/access-keys`);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      await strong('DELETE', `/v1/clients/${k.admin.clientId}/access-keys/${res.body.keyId}`);
    });
  });

  for (const route of CEILING_ROUTES) {
    const name = `${route.method} ${route.url({ id: '{id}', keyId: '{keyId}', personId: '{personId}' })}${route.body ? ` ${JSON.stringify(route.body({ id: 'x' }))}` : ''}`;
    describe(name, () => {
      it('weaker caller: 403 in the family shape, nothing changed', async () => {
        const t = await makeTarget(route.target);
        const before = await snapshot(route.target, t);
        const res = await call(k, (await caller(LEVELS[route.target].weaker)).token, route, t);
        refusedInShape(route.family, res, name);
        if (t.personId) assert.ok(!JSON.stringify(res.body).includes(`upstream-token-of-${t.personId}`));
        assert.equal(await snapshot(route.target, t), before);
      });
      for (const level of ['equal', 'stronger'] as const) {
        it(`${level} caller: allowed`, async () => {
          const t = await makeTarget(route.target);
          const res = await call(k, (await caller(LEVELS[route.target][level])).token, route, t);
          assert.equal(res.status, route.ok, `${res.status} ${JSON.stringify(res.body)}`);
        });
      }
    });
  }
});

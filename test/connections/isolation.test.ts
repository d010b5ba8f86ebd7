import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newId } from '../../src/platform/ids.js';
import { insertPerson } from '../support/fixtures.js';
import { startKeyward, type Harness } from '../support/harness.js';
import {
  caller,
  clientToken,
  oauthConnection,
  otherOrgAdmin,
  serviceClient,
} from './support/connectionsSupport.js';

/**
 * Tenant isolation of every Authress-family route: a full admin of organization B (holding every
 * scope) never sees, changes or learns of organization A's connections, credentials or client keys.
 * (To be merged into test/isolation/routes.ts once that shared table exists.)
 */
const ROUTES: {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: (a: Ids) => string;
  body?: unknown;
  expect: number;
}[] = [
  { method: 'GET', path: (a) => `/v1/connections/${a.connectionId}`, expect: 404 },
  { method: 'PUT', path: (a) => `/v1/connections/${a.connectionId}`, body: oauthConnection(), expect: 404 },
  { method: 'DELETE', path: (a) => `/v1/connections/${a.connectionId}`, expect: 404 },
  {
    method: 'GET',
    path: (a) => `/v1/connections/${a.connectionId}/users/${a.personId}/credentials`,
    expect: 404,
  },
  { method: 'GET', path: (a) => `/v1/connections?orgId=${a.orgId}`, expect: 400 },
  { method: 'POST', path: (a) => `/v1/connections?orgId=${a.orgId}`, body: oauthConnection(), expect: 400 },
  { method: 'GET', path: (a) => `/v1/connections/${a.connectionId}?orgId=${a.orgId}`, expect: 400 },
  { method: 'POST', path: (a) => `/v1/clients/${a.clientId}/access-keys`, expect: 404 },
  { method: 'GET', path: (a) => `/v1/clients/${a.clientId}/access-keys`, expect: 404 },
  { method: 'DELETE', path: (a) => `/v1/clients/${a.clientId}/access-keys/${a.keyId}`, expect: 404 },
];

interface Ids {
  orgId: string;
  connectionId: string;
  personId: string;
  clientId: string;
  keyId: string;
}

describe('tenant isolation of the Authress-style routes', () => {
  let k: Harness;
  let a: Ids;
  let asA: ReturnType<typeof caller>;

  before(async () => {
    k = await startKeyward({ env: { KEYWARD_RATE_LIMIT_MAX: '0' } });
    asA = caller(k, await k.token());
    const connection = await asA(
      'POST',
      '/v1/connections',
      oauthConnection({ connectionId: 'a-only', data: { name: 'Alpha SSO' } }),
    );
    const person = await insertPerson(k);
    await k.services.store.db.transaction().execute((trx) =>
      k.services.connections.credentials.store(trx, {
        orgId: k.admin.orgId,
        connectionId: 'a-only',
        personId: person.id,
        subject: 's',
        tokens: { accessToken: 'alpha-upstream-token' },
      }),
    );
    const key = await asA('POST', `/v1/clients/${k.admin.clientId}/access-keys`);
    a = {
      orgId: k.admin.orgId,
      connectionId: connection.body.connectionId,
      personId: person.id,
      clientId: k.admin.clientId,
      keyId: key.body.keyId,
    };
  });
  after(() => k.close());

  it('a full admin of another organization gets 404/400 on every route, and nothing of A changes', async () => {
    const b = await otherOrgAdmin(k, [
      'connections:read',
      'connections:write',
      'sp:oauth-client:read',
      'sp:oauth-client:manage',
    ]);
    const asB = caller(k, b.token);
    for (const route of ROUTES) {
      const res = await asB(route.method, route.path(a), route.body);
      assert.equal(res.status, route.expect, `${route.method} ${route.path(a)}: ${JSON.stringify(res.body)}`);
      assert.ok(!JSON.stringify(res.body ?? '').includes('alpha-upstream-token'));
      assert.ok(!JSON.stringify(res.body ?? '').includes('Alpha SSO'));
    }
    const list = await asB('GET', '/v1/connections?filter=alpha');
    assert.deepEqual(list.body.connections, []);
    assert.equal((await asA('GET', `/v1/connections/${a.connectionId}`)).body.data.name, 'Alpha SSO');
    assert.equal(
      (await asA('GET', `/v1/connections/${a.connectionId}/users/${a.personId}/credentials`)).body
        .accessToken,
      'alpha-upstream-token',
    );
    const keys = await asA('GET', `/v1/clients/${a.clientId}/access-keys`);
    assert.ok(!keys.body.keys.find((x: any) => x.keyId === a.keyId).revokedDate);
  });

  it("a partner organization's full admin acts in its customer organization with ?orgId=; the customer cannot act upward", async () => {
    const customerId = newId();
    const now = Date.now();
    await k.services.store.db
      .insertInto('organizations')
      .values({
        id: customerId,
        code: 'customer-1',
        name: 'Customer',
        parent_id: k.admin.orgId,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const created = await asA(
      'POST',
      `/v1/connections?orgId=${customerId}`,
      oauthConnection({ connectionId: 'customer-sso' }),
    );
    assert.equal(created.status, 201);
    assert.equal(
      (await asA('GET', '/v1/connections/customer-sso')).status,
      404,
      "not in the partner's own organization",
    );
    assert.equal((await asA('GET', `/v1/connections/customer-sso?orgId=${customerId}`)).status, 200);
    const listed = await asA('GET', `/v1/connections?orgId=${customerId}`);
    assert.deepEqual(
      listed.body.connections.map((c: any) => c.connectionId),
      ['customer-sso'],
    );
    const customerAdmin = await serviceClient(k, {
      orgId: customerId,
      scopes: ['connections:read', 'connections:write'],
      roles: ['full_admin'],
    });
    const asCustomer = caller(k, await clientToken(k, customerAdmin.id, customerAdmin.secret!));
    assert.deepEqual(
      (await asCustomer('GET', '/v1/connections')).body.connections.map((c: any) => c.connectionId),
      ['customer-sso'],
    );
    assert.equal((await asCustomer('GET', `/v1/connections/${a.connectionId}`)).status, 404);
    assert.equal((await asCustomer('GET', `/v1/connections?orgId=${k.admin.orgId}`)).status, 400);
  });
});

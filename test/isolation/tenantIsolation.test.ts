/**
 * Cross-tenant isolation of every management route of every family (table: ./routes.ts). A full
 * admin of an unrelated organization B, holding every management scope, calls each route with the
 * ids of organization A's rows: it gets only the statuses the table allows, never a byte of A's
 * data, and nothing of A changes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertClient } from '../support/fixtures.js';
import { startKeyward, type Harness } from '../support/harness.js';
import { callerWith, unrelatedTenant, type Caller, type Tenant } from '../support/tenants.js';
import { ISOLATION_ROUTES, type Victim } from './routes.js';

/** Appears in the names of A's rows; B never sends it, so it may appear in no answer to B. */
const MARKER = 'VICTIM-SECRET';

function ok(res: { status: number; body: any }, status: number, what: string) {
  assert.equal(res.status, status, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function seedVictim(k: Harness, asA: Caller): Promise<Victim> {
  const customer = ok(
    await asA('POST', '/v1/organizations', { displayName: `${MARKER} customer` }),
    201,
    'customer org',
  );
  const person = ok(
    await asA('POST', '/v1/people', {
      emails: ['victim.person@example.com'],
      displayName: `${MARKER} person`,
      roles: ['user_admin'],
    }),
    200,
    'person',
  );
  await asA('POST', '/v1/people', {
    emails: ['victim.customer@example.com'],
    displayName: `${MARKER} customer person`,
    orgId: customer.id,
  });
  const location = ok(
    await asA('POST', '/v1/locations', { name: `${MARKER} HQ`, address: { city: 'Espoo', country: 'FI' } }),
    200,
    'location',
  );
  const workspace = ok(
    await asA('POST', '/v1/workspaces', { displayName: `${MARKER} room`, locationId: location.id }),
    200,
    'workspace',
  );
  ok(
    await asA('POST', '/v1/connections', {
      connectionId: 'victim-sso',
      type: 'OAUTH2',
      authenticationUrl: 'https://idp.example.com/oauth/authorize',
      tokenUrl: 'https://idp.example.com/oauth/token',
      clientId: 'victim-client',
      clientSecret: `${MARKER}-upstream-secret`,
      data: { name: `${MARKER} SSO` },
    }),
    201,
    'connection',
  );
  await k.services.store.db.transaction().execute((trx) =>
    k.services.connections.credentials.store(trx, {
      orgId: k.admin.orgId,
      connectionId: 'victim-sso',
      personId: person.id,
      subject: 's',
      tokens: { accessToken: `${MARKER}-upstream-token` },
    }),
  );
  const key = ok(await asA('POST', `/v1/clients/${k.admin.clientId}/access-keys`), 201, 'access key');
  const oauthClient = ok(
    await asA('POST', '/v3/oauth-clients', {
      name: `${MARKER} app`,
      description: null,
      accessTokenValiditySeconds: 3600,
      grantTypes: ['CLIENT_CREDENTIALS'],
      accessType: 'ONLINE',
      enabled: true,
    }),
    200,
    'oauth client',
  );
  const type = ok(
    await asA('POST', '/api/rest/v1/authorisation_type', { code: 'victim-type', name: `${MARKER} type` }),
    201,
    'type',
  );
  const source = ok(
    await asA('POST', '/api/rest/v1/authorisation_source', {
      code: 'victim-source',
      name: `${MARKER} source`,
    }),
    201,
    'source',
  );
  const authorisation = ok(
    await asA('POST', '/api/rest/v1/authorisation', {
      type: 'victim-type',
      subject: { type: 'User', value: person.id },
      object: { type: 'String', value: `${MARKER}-object` },
    }),
    201,
    'authorisation',
  );
  const license = ok(
    await asA('POST', '/v1/licenses', { name: 'Meeting - Webex Meeting Center', totalUnits: 5 }),
    201,
    'license',
  );
  ok(
    await asA('PATCH', '/v1/licenses/users', { personId: person.id, licenses: [{ id: license.id }] }),
    200,
    'assign',
  );
  ok(
    await asA('PATCH', `/v1/workspaces/${workspace.id}/licenses`, { licenses: [{ id: license.id }] }),
    200,
    'workspace license',
  );
  const app = await insertClient(k, { name: `${MARKER} token app`, scopes: ['identity:tokens_read'] });
  const grants = await k.services.grants.issueForPerson(k.services.store.db, {
    client: (await k.services.clients.find(app.id))!,
    personId: person.id,
    orgId: k.admin.orgId,
    scopes: ['identity:tokens_read'],
    authTime: Date.now(),
    withRefresh: true,
  });
  return {
    orgId: k.admin.orgId,
    personId: person.id,
    personEmail: 'victim.person@example.com',
    locationId: location.id,
    workspaceId: workspace.id,
    customerOrgId: customer.id,
    connectionId: 'victim-sso',
    clientId: k.admin.clientId,
    keyId: key.keyId,
    oauthClientId: oauthClient.id,
    authorisationId: authorisation.id,
    authorisationTypeId: type.id,
    authorisationSourceId: source.id,
    refreshGrantId: grants.refreshGrantId!,
    accessGrantId: grants.accessGrantId,
    appClientId: app.id,
    licenseId: license.id,
  };
}

describe('tenant isolation: every route, called by an admin of an unrelated organization', () => {
  let k: Harness;
  let asA: Caller;
  let a: Victim;
  let b: Tenant;

  before(async () => {
    k = await startKeyward({ env: { KEYWARD_RATE_LIMIT_MAX: '0' } });
    asA = callerWith(k, await k.token());
    a = await seedVictim(k, asA);
    b = await unrelatedTenant(k);
  });
  after(() => k.close());

  for (const route of ISOLATION_ROUTES) {
    const placeholders = new Proxy({}, { get: (_, key) => `:${String(key)}` }) as Victim;
    const label = `${route.family}: ${route.method} ${route.url(placeholders)}`;
    it(label, async () => {
      const res = await k.app.inject({
        method: route.method,
        url: route.url(a),
        headers: {
          authorization: `Bearer ${b.token}`,
          ...(route.body ? { 'content-type': route.contentType ?? 'application/json' } : {}),
        },
        ...(route.body ? { payload: JSON.stringify(route.body(a)) } : {}),
      });
      assert.ok(
        route.allowed.includes(res.statusCode),
        `${res.statusCode} not in ${route.allowed}: ${res.body}`,
      );
      assert.ok(!res.body.includes(MARKER), `leaked A's data: ${res.body}`);
      assert.ok(
        !res.body.includes(a.personEmail) ||
          (route.url(a).includes(encodeURIComponent(a.personEmail)) && res.statusCode !== 200),
      );
      if (res.statusCode === 200) {
        // Webex `notFoundIds` echoes ids the caller sent (A's look exactly like nonexistent ones).
        let answer = res.body;
        const parsed = /^\s*\{/.test(res.body) ? JSON.parse(res.body) : undefined;
        if (parsed?.notFoundIds) {
          for (const id of parsed.notFoundIds) assert.ok(route.url(a).includes(id), `${id} was not sent`);
          delete parsed.notFoundIds;
          answer = JSON.stringify(parsed);
        }
        const ids = Object.values(a).filter((v) => v !== a.connectionId);
        for (const id of ids) assert.ok(!answer.includes(id), `answer carries A's id ${id}: ${res.body}`);
      }
    });
  }

  it('nothing of A changed', async () => {
    const person = ok(await asA('GET', `/v1/people/${a.personId}`), 200, 'person');
    assert.equal(person.displayName, `${MARKER} person`);
    assert.deepEqual(person.roles, ['user_admin']);
    assert.equal(ok(await asA('GET', `/v1/locations/${a.locationId}`), 200, 'location').name, `${MARKER} HQ`);
    ok(await asA('GET', `/v1/workspaces/${a.workspaceId}`), 200, 'workspace');
    assert.equal(
      ok(await asA('GET', `/v1/connections/${a.connectionId}`), 200, 'connection').data.name,
      `${MARKER} SSO`,
    );
    assert.equal(
      ok(await asA('GET', `/v3/oauth-clients/${a.oauthClientId}`), 200, 'client').name,
      `${MARKER} app`,
    );
    assert.equal(
      ok(await asA('GET', `/api/rest/v1/authorisation/${a.authorisationId}`), 200, 'authorisation').revoked,
      false,
    );
    ok(await asA('GET', `/api/rest/v1/authorisation_type/${a.authorisationTypeId}`), 200, 'type');
    const license = ok(await asA('GET', `/v1/licenses/${a.licenseId}`), 200, 'license');
    assert.deepEqual([license.totalUnits, license.consumedByUsers, license.consumedByWorkspaces], [5, 1, 1]);
    ok(await asA('GET', `/api/rest/v1/authorisation_source/${a.authorisationSourceId}`), 200, 'source');
    const keys = ok(await asA('GET', `/v1/clients/${a.clientId}/access-keys`), 200, 'keys');
    assert.ok(!keys.keys.find((x: any) => x.keyId === a.keyId).revokedDate);
    const live = await k.services.store.db
      .selectFrom('token_grants')
      .select('id')
      .where('person_id', '=', a.personId)
      .where('revoked_at', 'is', null)
      .execute();
    assert.equal(live.length, 2);
    const intruders = await k.services.store.db
      .selectFrom('people')
      .select('org_id')
      .where('email', 'like', 'b-%')
      .execute();
    assert.ok(intruders.every((p) => p.org_id === b.orgId));
    const hash = await k.services.store.db
      .selectFrom('people')
      .select('password_hash')
      .where('id', '=', a.personId)
      .executeTakeFirstOrThrow();
    assert.equal(hash.password_hash, null);
  });

  it('B sees only its own organization and its own (empty) lists', async () => {
    const asB = callerWith(k, b.token);
    // B's own org and the customer it created (routes.ts), nothing of A.
    const orgs = (await asB('GET', '/v1/organizations')).body.items;
    assert.ok(orgs.some((o: any) => o.id === b.orgId));
    assert.ok(
      orgs.every((o: any) => o.id === b.orgId || o.parentId === b.orgId),
      JSON.stringify(orgs),
    );
    assert.deepEqual((await asB('GET', '/v1/people')).body.items, []);
    assert.deepEqual((await asB('GET', '/v1/locations')).body.items, []);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertClient, insertPerson, type TestClient } from '../support/fixtures.js';
import { startKeyward, type Harness } from '../support/harness.js';
import { insertApp, insertOrg, issueTokens, organizationsStatus, personWithToken, wxc } from './support.js';

/** DELETE /v1/authorizations?clientId=…[&orgId=…]: every grant of a client in one org. */
describe('Webex /v1/authorizations?clientId: revoke a client in an organization', () => {
  let k: Harness;
  let app: TestClient;
  let admin: Awaited<ReturnType<typeof personWithToken>>;
  let customerOrg: string;

  before(async () => {
    k = await startKeyward();
    app = await insertApp(k);
    admin = await personWithToken(k, app, { roles: ['full_admin'] });
    customerOrg = await insertOrg(k, { parentId: k.admin.orgId });
  });
  after(() => k.close());

  const byClient = (query: string, token = admin.token) =>
    wxc(k, 'DELETE', `/v1/authorizations?${query}`, token);
  const machineToken = async (client: TestClient) => {
    const res = await k.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: client.id,
        client_secret: client.secret!,
      }).toString(),
    });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().access_token as string;
  };

  it("revokes the client's people's grants in the org and its own client_credentials tokens; new tokens work", async () => {
    const integration = await insertClient(k, {
      name: 'Service integration',
      grantTypes: ['CLIENT_CREDENTIALS', 'AUTHORIZATION_CODE', 'REFRESH_TOKEN'],
      scopes: ['spark-admin:organizations_read'],
    });
    await k.services.store.db
      .updateTable('oauth_clients')
      .set({ roles: JSON.stringify(['read_only_admin']) })
      .where('id', '=', integration.id)
      .execute();
    const people = [
      await insertPerson(k, { roles: ['user_admin'] }),
      await insertPerson(k, { roles: ['user_admin'] }),
    ];
    const grants = [];
    for (const p of people)
      grants.push(await issueTokens(k, integration, p, { scopes: ['spark-admin:organizations_read'] }));
    const customerPerson = await insertPerson(k, { orgId: customerOrg, roles: ['user_admin'] });
    const elsewhere = await issueTokens(k, integration, customerPerson, {
      scopes: ['spark-admin:organizations_read'],
    });
    const machine = await machineToken(integration);
    const code = (hash: string, usedAt: number | null) => ({
      code_hash: hash,
      org_id: k.admin.orgId,
      client_id: integration.id,
      person_id: people[0]!.id,
      redirect_uri: 'http://127.0.0.1:9/callback',
      scope: 'spark-admin:organizations_read',
      code_challenge: null,
      nonce: null,
      auth_time: Date.now(),
      created_at: Date.now(),
      expires_at: Date.now() + 60_000,
      used_at: usedAt,
      grant_id: null,
    });
    await k.services.store.db
      .insertInto('authorization_codes')
      .values([code('pending-code', null), code('used-code', Date.now())])
      .execute();
    const unrelated = await issueTokens(k, app, people[0]!);
    assert.equal(await organizationsStatus(k, machine), 200);

    const res = await byClient(`clientId=${integration.id}`);
    assert.equal(res.statusCode, 204, res.body);
    for (const g of grants) assert.equal(await organizationsStatus(k, g.accessToken), 401);
    assert.equal(
      await organizationsStatus(k, machine),
      401,
      'client_credentials token issued before is revoked',
    );
    assert.equal(
      await organizationsStatus(k, elsewhere.accessToken),
      200,
      'the same client in another org is untouched',
    );
    assert.equal(await organizationsStatus(k, unrelated.accessToken), 200, 'another client is untouched');
    const fresh = await machineToken(integration);
    assert.equal(await organizationsStatus(k, fresh), 200, 'a token issued after the revocation works');

    const db = k.services.store.db;
    const rows = await db
      .selectFrom('token_grants')
      .select(['revoked_at', 'org_id'])
      .where('client_id', '=', integration.id)
      .execute();
    assert.equal(rows.length, 6);
    for (const r of rows) assert.equal(r.revoked_at !== null, r.org_id === k.admin.orgId);
    const nb = await db
      .selectFrom('client_revocations')
      .selectAll()
      .where('client_id', '=', integration.id)
      .execute();
    assert.equal(nb.length, 1);
    assert.equal(nb[0]!.org_id, k.admin.orgId);
    assert.equal(nb[0]!.not_before % 1000, 0, 'whole seconds');
    assert.ok(nb[0]!.not_before > Date.now() - 2000);
    const listed = async (personId: string) =>
      (await wxc(k, 'GET', `/v1/authorizations?personId=${personId}`, admin.token))
        .json()
        .items.map((i: any) => i.clientId);
    assert.deepEqual(await listed(people[0]!.id), [app.id, app.id], 'only the other application is left');
    assert.deepEqual(await listed(people[1]!.id), []);
    const codes = await db
      .selectFrom('authorization_codes')
      .select('code_hash')
      .where('client_id', '=', integration.id)
      .execute();
    assert.deepEqual(
      codes.map((c) => c.code_hash),
      ['used-code'],
      'the pending code is gone, the used one stays (replay detection)',
    );
    const event = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'authorizations.deleteByClient')
      .executeTakeFirstOrThrow();
    assert.equal(event.target, `client:${integration.id}`);
    assert.equal(JSON.parse(event.detail!).revokedGrants, 4);

    const refresh = await k.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: grants[0]!.refreshToken!,
        client_id: integration.id,
        client_secret: integration.secret!,
      }).toString(),
    });
    assert.equal(refresh.json().error, 'invalid_grant');
  });

  it('the not-before only moves forward and a second delete is 204 too', async () => {
    const person = await insertPerson(k);
    await issueTokens(k, app, person);
    const other = await insertApp(k);
    await issueTokens(k, other, person);
    assert.equal((await byClient(`clientId=${other.id}`)).statusCode, 204);
    const db = k.services.store.db;
    const first = await db
      .selectFrom('client_revocations')
      .select('not_before')
      .where('client_id', '=', other.id)
      .executeTakeFirstOrThrow();
    await db
      .updateTable('client_revocations')
      .set({ not_before: first.not_before + 3_600_000 })
      .where('client_id', '=', other.id)
      .execute();
    assert.equal((await byClient(`clientId=${other.id}`)).statusCode, 204);
    const second = await db
      .selectFrom('client_revocations')
      .select('not_before')
      .where('client_id', '=', other.id)
      .executeTakeFirstOrThrow();
    assert.equal(second.not_before, first.not_before + 3_600_000, 'kept the later not-before');
  });

  it('a partner full admin revokes a client in its customer org with orgId', async () => {
    const person = await insertPerson(k, { orgId: customerOrg, roles: ['user_admin'] });
    const other = await insertApp(k);
    const tokens = await issueTokens(k, other, person);
    const ownOrgPerson = await insertPerson(k, { roles: ['user_admin'] });
    const ownOrg = await issueTokens(k, other, ownOrgPerson);
    assert.equal((await byClient(`clientId=${other.id}&orgId=${customerOrg}`)).statusCode, 204);
    assert.equal(await organizationsStatus(k, tokens.accessToken), 401);
    assert.equal(
      await organizationsStatus(k, ownOrg.accessToken),
      200,
      "the caller's own org was not the target",
    );
    const userAdmin = await personWithToken(k, app, { roles: ['user_admin'] });
    assert.equal(
      (await byClient(`clientId=${other.id}&orgId=${customerOrg}`, userAdmin.token)).statusCode,
      403,
    );
  });

  it('bad input: no clientId, malformed or unknown client, an org the caller does not manage', async () => {
    const missing = await wxc(k, 'DELETE', '/v1/authorizations', admin.token);
    assert.equal(missing.statusCode, 400);
    assert.match(missing.json().message, /clientId: is required/);
    assert.equal((await byClient('clientId=')).statusCode, 400);
    assert.equal((await byClient('clientId=a%20b')).statusCode, 400);
    assert.equal((await byClient('clientId=x&orgId=not%20an%20org')).statusCode, 400);
    const unknown = await byClient('clientId=0123456789abcdef0123456789abcdef');
    assert.equal(unknown.statusCode, 404);
    assert.match(unknown.json().message, /no authorizations/);
    const stranger = await insertOrg(k);
    assert.equal((await byClient(`clientId=${app.id}&orgId=${stranger}`)).statusCode, 400);
    const strangerAdmin = await personWithToken(k, app, { orgId: stranger, roles: ['user_admin'] });
    // a client of another org with no grants in the caller's org: as if unknown
    const foreign = await insertApp(k);
    assert.equal((await byClient(`clientId=${foreign.id}`, strangerAdmin.token)).statusCode, 404);
    assert.equal(
      (await byClient(`clientId=${app.id}&orgId=${k.admin.orgId}`, strangerAdmin.token)).statusCode,
      403,
    );
    assert.equal(await organizationsStatus(k, admin.token), 200, 'nothing of the first org was revoked');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertPerson, type TestClient } from '../support/fixtures.js';
import { startKeyward, type Harness } from '../support/harness.js';
import { insertApp, issueTokens, organizationsStatus, personWithToken, wxc, wxcHeaders } from './support.js';

const KEYS = ['applicationId', 'applicationName', 'clientId', 'created', 'id', 'orgId', 'personId', 'type'];

describe('Webex /v1/authorizations: list, delete, tokenExpiry, bad input', () => {
  let k: Harness;
  let app: TestClient;
  let admin: Awaited<ReturnType<typeof personWithToken>>;

  before(async () => {
    k = await startKeyward();
    app = await insertApp(k, { name: 'Token manager' });
    admin = await personWithToken(k, app, { roles: ['full_admin'] });
  });
  after(() => k.close());

  const list = (query: string, token = admin.token) => wxc(k, 'GET', `/v1/authorizations?${query}`, token);
  const del = (id: string, token = admin.token) => wxc(k, 'DELETE', `/v1/authorizations/${id}`, token);
  const refreshWith = (refreshToken: string) =>
    k.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: app.id,
        client_secret: app.secret!,
      }).toString(),
    });

  function assertWebexError(
    res: { statusCode: number; json(): any; headers: Record<string, unknown> },
    status: number,
    message: RegExp,
  ) {
    assert.equal(res.statusCode, status);
    const body = res.json();
    assert.match(body.message, message);
    assert.equal(body.errors[0].description, body.message);
    assert.equal(typeof body.trackingId, 'string');
    assert.equal(body.trackingId, res.headers['trackingid']);
  }

  it('lists live refresh and access grants with every key the SDK requires, by personId and by personEmail', async () => {
    const person = await insertPerson(k);
    const first = await issueTokens(k, app, person);
    const second = await issueTokens(k, app, person, { withRefresh: false });
    const res = await list(`personId=${person.id}`);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    const { items } = res.json();
    assert.equal(items.length, 3);
    for (const item of items) {
      assert.deepEqual(Object.keys(item).sort(), KEYS);
      assert.equal(item.personId, person.id);
      assert.equal(item.clientId, app.id);
      assert.equal(item.applicationId, app.id);
      assert.equal(item.applicationName, 'Token manager');
      assert.equal(item.orgId, k.admin.orgId);
      assert.ok(!Number.isNaN(Date.parse(item.created)));
    }
    const byId = new Map(items.map((i: any) => [i.id, i.type]));
    assert.equal(byId.get(first.refreshGrantId), 'refresh');
    assert.equal(byId.get(first.accessGrantId), 'access');
    assert.equal(byId.get(second.accessGrantId), 'access');
    const byEmail = await list(`personEmail=${encodeURIComponent(person.email.toUpperCase())}`);
    assert.deepEqual(byEmail.json(), res.json());
  });

  it('omits revoked, rotated and expired grants', async () => {
    const person = await insertPerson(k);
    const live = await issueTokens(k, app, person);
    const db = k.services.store.db;
    const rotated = await issueTokens(k, app, person);
    await db
      .updateTable('token_grants')
      .set({ rotated_at: Date.now() })
      .where('id', '=', rotated.refreshGrantId!)
      .execute();
    const expired = await issueTokens(k, app, person, { withRefresh: false });
    await db
      .updateTable('token_grants')
      .set({ expires_at: Date.now() - 1 })
      .where('id', '=', expired.accessGrantId)
      .execute();
    const revoked = await issueTokens(k, app, person, { withRefresh: false });
    await db
      .updateTable('token_grants')
      .set({ revoked_at: Date.now() })
      .where('id', '=', revoked.accessGrantId)
      .execute();
    const ids = (await list(`personId=${person.id}`))
      .json()
      .items.map((i: any) => i.id)
      .sort();
    assert.deepEqual(ids, [live.accessGrantId, live.refreshGrantId, rotated.accessGrantId].sort());
  });

  it("both or neither of personId/personEmail: 400 saying so, in Webex shape with the caller's TrackingID", async () => {
    const person = await insertPerson(k);
    const both = await list(`personId=${person.id}&personEmail=${encodeURIComponent(person.email)}`);
    assertWebexError(both, 400, /Exactly one of the query parameters personId or personEmail.*both/);
    const neither = await wxc(k, 'GET', '/v1/authorizations', admin.token);
    assertWebexError(neither, 400, /Exactly one of the query parameters personId or personEmail.*neither/);
    const headers = wxcHeaders(admin.token);
    const echoed = await k.app.inject({ method: 'GET', url: '/v1/authorizations', headers });
    assert.equal(echoed.json().trackingId, headers.trackingid);
  });

  it('unknown person: 200 with empty items (not 404)', async () => {
    assert.deepEqual((await list('personId=01jzzzzzzzzzzzzzzzzzzzzzzz')).json(), { items: [] });
    const byEmail = await list('personEmail=nobody%40example.test');
    assert.equal(byEmail.statusCode, 200);
    assert.deepEqual(byEmail.json(), { items: [] });
  });

  it('malformed ids and emails: 400', async () => {
    assertWebexError(await list('personId=not%20an%20id'), 400, /personId: is not a valid person id/);
    assertWebexError(await list('personId=' + 'x'.repeat(200)), 400, /personId/);
    assertWebexError(await list('personEmail=no-at-sign'), 400, /personEmail: is not a valid email address/);
    assertWebexError(await del('abc'), 400, /authorizationId: is not a valid authorization id/);
    assertWebexError(await del('ABCDEFGHJKMNPQRSTVWXYZ0123'), 400, /authorizationId/);
    assertWebexError(
      await wxc(k, 'DELETE', '/v1/authorizations?clientId=bad%20id', admin.token),
      400,
      /clientId: is not a valid client id/,
    );
  });

  it('deleting a refresh grant revokes it and all its access grants, earlier rotations included; at once', async () => {
    const person = await insertPerson(k, { roles: ['user_admin'] });
    const first = await issueTokens(k, app, person);
    const rotated = await refreshWith(first.refreshToken!);
    assert.equal(rotated.statusCode, 200, rotated.body);
    const second = rotated.json();
    const other = await issueTokens(k, app, person);
    assert.equal(await organizationsStatus(k, first.accessToken), 200);
    const live = await k.services.store.db
      .selectFrom('token_grants')
      .select('id')
      .where('family_id', '=', first.refreshGrantId!)
      .where('type', '=', 'refresh')
      .where('rotated_at', 'is', null)
      .executeTakeFirstOrThrow();
    assert.equal(
      (await del(first.refreshGrantId!)).statusCode,
      404,
      'a rotated refresh grant is no live authorization',
    );
    const res = await del(live.id);
    assert.equal(res.statusCode, 204);
    assert.equal(res.body, '');
    assert.equal(await organizationsStatus(k, first.accessToken), 401);
    assert.equal(await organizationsStatus(k, second.access_token), 401);
    assert.equal(
      await organizationsStatus(k, other.accessToken),
      200,
      'another grant of the same person is untouched',
    );
    const rows = await k.services.store.db
      .selectFrom('token_grants')
      .select(['id', 'revoked_at'])
      .where('family_id', '=', first.refreshGrantId!)
      .execute();
    assert.equal(rows.length, 4);
    assert.ok(rows.every((r) => r.revoked_at !== null));
    const refresh = await refreshWith(second.refresh_token);
    assert.equal(refresh.statusCode, 400);
    assert.equal(refresh.json().error, 'invalid_grant');
    const ids = (await list(`personId=${person.id}`))
      .json()
      .items.map((i: any) => i.id)
      .sort();
    assert.deepEqual(ids, [other.accessGrantId, other.refreshGrantId].sort());
  });

  it('deleting an access grant revokes that token only; its refresh grant stays usable', async () => {
    const person = await insertPerson(k);
    const tokens = await issueTokens(k, app, person);
    assert.equal((await del(tokens.accessGrantId)).statusCode, 204);
    assert.equal(await organizationsStatus(k, tokens.accessToken), 401);
    const items = (await list(`personId=${person.id}`)).json().items;
    assert.deepEqual(
      items.map((i: any) => i.id),
      [tokens.refreshGrantId],
    );
    const refresh = await refreshWith(tokens.refreshToken!);
    assert.equal(refresh.statusCode, 200, refresh.body);
  });

  it('deleting twice: the second is 404; an unknown id is 404', async () => {
    const person = await insertPerson(k);
    const tokens = await issueTokens(k, app, person);
    assert.equal((await del(tokens.refreshGrantId!)).statusCode, 204);
    assertWebexError(await del(tokens.refreshGrantId!), 404, /was not found/);
    assertWebexError(await del(tokens.accessGrantId), 404, /was not found/);
    assertWebexError(await del('01jzzzzzzzzzzzzzzzzzzzzzzz'), 404, /was not found/);
  });

  it('concurrent deletes of one grant: exactly one 204, the other 404', async () => {
    const person = await insertPerson(k);
    const tokens = await issueTokens(k, app, person);
    const statuses = (await Promise.all([del(tokens.refreshGrantId!), del(tokens.refreshGrantId!)]))
      .map((r) => r.statusCode)
      .sort();
    assert.deepEqual(statuses, [204, 404]);
  });

  it('authorizationId combined with clientId or orgId: 400', async () => {
    const person = await insertPerson(k, { roles: ['user_admin'] });
    const tokens = await issueTokens(k, app, person);
    assertWebexError(
      await wxc(k, 'DELETE', `/v1/authorizations/${tokens.accessGrantId}?clientId=${app.id}`, admin.token),
      400,
      /cannot be combined/,
    );
    assertWebexError(
      await wxc(
        k,
        'DELETE',
        `/v1/authorizations/${tokens.accessGrantId}?orgId=${k.admin.orgId}`,
        admin.token,
      ),
      400,
      /cannot be combined/,
    );
    assert.equal(await organizationsStatus(k, tokens.accessToken), 200, 'nothing was revoked');
  });

  it('writes an audit event per deletion', async () => {
    const person = await insertPerson(k);
    const tokens = await issueTokens(k, app, person);
    await del(tokens.refreshGrantId!);
    const event = await k.services.store.db
      .selectFrom('audit_events')
      .selectAll()
      .where('target', '=', `authorization:${tokens.refreshGrantId}`)
      .executeTakeFirstOrThrow();
    assert.equal(event.action, 'authorization.delete');
    assert.equal(event.actor, `person:${admin.id}`);
    assert.equal(event.org_id, k.admin.orgId);
    assert.equal(JSON.parse(event.detail!).revokedAccessTokens, 1);
  });

  it("tokenExpiry: the calling token's exp in epoch milliseconds; Basic auth has no token: 400", async () => {
    const res = await wxc(k, 'GET', '/v1/authorizations/tokenExpiry', admin.token);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { exp: admin.tokens.exp * 1000 });
    const machine = await k.token();
    const exp = JSON.parse(Buffer.from(machine.split('.')[1]!, 'base64url').toString()).exp;
    assert.deepEqual((await wxc(k, 'GET', '/v1/authorizations/tokenExpiry', machine)).json(), {
      exp: exp * 1000,
    });
    const basic = Buffer.from(`${k.admin.clientId}:${k.admin.clientSecret}`).toString('base64');
    const viaBasic = await k.app.inject({
      method: 'GET',
      url: '/v1/authorizations/tokenExpiry',
      headers: { authorization: `Basic ${basic}` },
    });
    assertWebexError(viaBasic, 400, /no Bearer token/);
  });

  it('no or a revoked token: 401 in Webex shape', async () => {
    assertWebexError(
      await k.app.inject({ method: 'GET', url: '/v1/authorizations?personId=x' }),
      401,
      /no Authorization header/,
    );
    const person = await personWithToken(k, app, { roles: ['full_admin'] });
    assert.equal((await del(person.tokens.accessGrantId)).statusCode, 204);
    assertWebexError(await list(`personId=${person.id}`, person.token), 401, /revoked/);
  });

  it('the bootstrap service client (a full admin) lists and deletes too', async () => {
    const machine = await k.token();
    const person = await insertPerson(k);
    const tokens = await issueTokens(k, app, person);
    assert.equal((await list(`personId=${person.id}`, machine)).json().items.length, 2);
    assert.equal((await del(tokens.accessGrantId, machine)).statusCode, 204);
  });
});

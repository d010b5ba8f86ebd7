import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertPerson, type TestClient } from '../support/fixtures.js';
import { startKeyward, type Harness } from '../support/harness.js';
import { insertApp, insertOrg, issueTokens, organizationsStatus, personWithToken, wxc } from './support.js';

/** Seed 000: who may list and delete whose authorizations. */
describe('Webex /v1/authorizations: roles, scopes and organizations', () => {
  let k: Harness;
  let app: TestClient;
  let otherApp: TestClient;
  let customerOrg: string;
  let strangerOrg: string;

  before(async () => {
    k = await startKeyward();
    app = await insertApp(k);
    otherApp = await insertApp(k, { name: 'Another integration' });
    customerOrg = await insertOrg(k, { parentId: k.admin.orgId, name: 'Customer' });
    strangerOrg = await insertOrg(k, { name: 'Unrelated' });
  });
  after(() => k.close());

  const list = (personId: string, token: string) =>
    wxc(k, 'GET', `/v1/authorizations?personId=${personId}`, token);
  const del = (id: string, token: string) => wxc(k, 'DELETE', `/v1/authorizations/${id}`, token);
  const target = async (orgId = k.admin.orgId) => {
    const person = await insertPerson(k, { orgId });
    return { person, tokens: await issueTokens(k, app, person) };
  };

  for (const role of ['full_admin', 'user_admin', 'device_admin']) {
    it(`${role} of the person's org lists and deletes`, async () => {
      const caller = await personWithToken(k, app, { roles: [role] });
      const { person, tokens } = await target();
      const res = await list(person.id, caller.token);
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().items.length, 2);
      assert.equal((await del(tokens.refreshGrantId!, caller.token)).statusCode, 204);
    });
  }

  it('read-only admins are refused (403), for reads too and for their own grants', async () => {
    const caller = await personWithToken(k, app, { roles: ['read_only_admin'] });
    const { person, tokens } = await target();
    for (const res of [
      await list(person.id, caller.token),
      await list(caller.id, caller.token),
      await del(tokens.accessGrantId, caller.token),
      await del(caller.tokens.accessGrantId, caller.token),
      await wxc(k, 'DELETE', `/v1/authorizations?clientId=${app.id}`, caller.token),
    ]) {
      assert.equal(res.statusCode, 403);
      assert.match(res.json().message, /Read-only administrators are not supported/);
    }
    assert.equal(
      await organizationsStatus(k, tokens.accessToken),
      403,
      'still live (403 = no admin role, not 401)',
    );
  });

  it('ordinary users list and delete their own grants only', async () => {
    const user = await personWithToken(k, app);
    const mine = await issueTokens(k, otherApp, user);
    const own = await list(user.id, user.token);
    assert.equal(own.statusCode, 200);
    assert.equal(own.json().items.length, 4);
    const byEmail = await wxc(
      k,
      'GET',
      `/v1/authorizations?personEmail=${encodeURIComponent(user.email)}`,
      user.token,
    );
    assert.equal(byEmail.json().items.length, 4);
    const { person, tokens } = await target();
    const others = await list(person.id, user.token);
    assert.equal(others.statusCode, 403);
    assert.match(others.json().message, /only their own/);
    assert.equal(
      (await list('01jzzzzzzzzzzzzzzzzzzzzzzz', user.token)).statusCode,
      403,
      'same answer whether the person exists or not',
    );
    assert.equal((await del(tokens.accessGrantId, user.token)).statusCode, 404);
    assert.equal(
      await organizationsStatus(k, tokens.accessToken),
      403,
      "the other person's token is untouched (403 = live, no admin role)",
    );
    // an ordinary user may delete its own grant even of another application
    assert.equal((await del(mine.refreshGrantId!, user.token)).statusCode, 204);
    assert.equal(
      (await wxc(k, 'DELETE', `/v1/authorizations?clientId=${app.id}`, user.token)).statusCode,
      403,
    );
  });

  it('an admin deleting its own token must call with a token of the same clientId', async () => {
    const adminPerson = await personWithToken(k, app, { roles: ['full_admin'] });
    const viaOtherApp = await issueTokens(k, otherApp, adminPerson, {
      scopes: ['identity:tokens_read', 'identity:tokens_write'],
    });
    const refused = await del(viaOtherApp.accessGrantId, adminPerson.token);
    assert.equal(refused.statusCode, 403);
    assert.match(refused.json().message, /same client \(clientId\)/);
    assert.equal((await del(viaOtherApp.accessGrantId, viaOtherApp.accessToken)).statusCode, 204);
    // and deleting the very token it calls with: 204, then that token is refused
    assert.equal((await del(adminPerson.tokens.accessGrantId, adminPerson.token)).statusCode, 204);
    assert.equal((await list(adminPerson.id, adminPerson.token)).statusCode, 401);
  });

  it('scopes: identity:tokens_read to list, identity:tokens_write to delete', async () => {
    const readOnlyScope = await personWithToken(k, app, {
      roles: ['full_admin'],
      scopes: ['identity:tokens_read'],
    });
    const writeOnlyScope = await personWithToken(k, app, {
      roles: ['full_admin'],
      scopes: ['identity:tokens_write'],
    });
    const { person, tokens } = await target();
    assert.equal((await list(person.id, readOnlyScope.token)).statusCode, 200);
    const noWrite = await del(tokens.accessGrantId, readOnlyScope.token);
    assert.equal(noWrite.statusCode, 403);
    assert.match(noWrite.json().message, /identity:tokens_write/);
    const noRead = await list(person.id, writeOnlyScope.token);
    assert.equal(noRead.statusCode, 403);
    assert.match(noRead.json().message, /identity:tokens_read/);
    assert.equal((await del(tokens.accessGrantId, writeOnlyScope.token)).statusCode, 204);
  });

  it('a partner full admin manages its customer org; a partner user admin does not', async () => {
    const partnerFull = await personWithToken(k, app, { roles: ['full_admin'] });
    const partnerUser = await personWithToken(k, app, { roles: ['user_admin'] });
    const { person, tokens } = await target(customerOrg);
    assert.deepEqual((await list(person.id, partnerUser.token)).json(), { items: [] });
    assert.equal((await del(tokens.accessGrantId, partnerUser.token)).statusCode, 404);
    const seen = (await list(person.id, partnerFull.token)).json().items;
    assert.equal(seen.length, 2);
    assert.ok(seen.every((i: any) => i.orgId === customerOrg));
    assert.equal((await del(tokens.refreshGrantId!, partnerFull.token)).statusCode, 204);
  });

  it('a customer admin cannot reach the partner org, nor an unrelated org its neighbour', async () => {
    const customerAdmin = await personWithToken(k, app, { orgId: customerOrg, roles: ['full_admin'] });
    const strangerAdmin = await personWithToken(k, app, { orgId: strangerOrg, roles: ['full_admin'] });
    const { person, tokens } = await target();
    for (const caller of [customerAdmin, strangerAdmin]) {
      assert.deepEqual((await list(person.id, caller.token)).json(), { items: [] });
      const byEmail = await wxc(
        k,
        'GET',
        `/v1/authorizations?personEmail=${encodeURIComponent(person.email)}`,
        caller.token,
      );
      assert.deepEqual(byEmail.json(), { items: [] });
      assert.equal((await del(tokens.accessGrantId, caller.token)).statusCode, 404);
      assert.equal((await del(tokens.refreshGrantId!, caller.token)).statusCode, 404);
    }
    assert.equal(await organizationsStatus(k, tokens.accessToken), 403, 'still live');
    const live = await k.services.store.db
      .selectFrom('token_grants')
      .select('revoked_at')
      .where('person_id', '=', person.id)
      .execute();
    assert.ok(live.every((r) => r.revoked_at === null));
  });
});

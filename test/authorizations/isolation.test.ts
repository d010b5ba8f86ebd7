import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertClient, insertPerson, type TestClient } from '../support/fixtures.js';
import { startKeyward, type Harness } from '../support/harness.js';
import {
  insertApp,
  insertOrg,
  issueTokens,
  organizationsStatus,
  personWithToken,
  wxc,
  type IssuedTokens,
} from './support.js';

/** What the routes of the victim org are called with. */
interface Victim {
  orgId: string;
  person: { id: string; email: string };
  app: TestClient;
  tokens: IssuedTokens;
}

/**
 * Every route of /v1/authorizations, called by an admin of another (non-partner) organization:
 * answers 403/404 or an empty list, never a row of the victim org, and changes nothing there.
 * (Kept as a table so the cross-family isolation test can take these rows over.)
 */
export const AUTHORIZATION_ROUTES: {
  name: string;
  method: 'GET' | 'DELETE';
  url: (v: Victim) => string;
  allowed: number[];
}[] = [
  {
    name: 'list by personId',
    method: 'GET',
    url: (v) => `/v1/authorizations?personId=${v.person.id}`,
    allowed: [200],
  },
  {
    name: 'list by personEmail',
    method: 'GET',
    url: (v) => `/v1/authorizations?personEmail=${encodeURIComponent(v.person.email)}`,
    allowed: [200],
  },
  {
    name: 'delete refresh grant',
    method: 'DELETE',
    url: (v) => `/v1/authorizations/${v.tokens.refreshGrantId}`,
    allowed: [404],
  },
  {
    name: 'delete access grant',
    method: 'DELETE',
    url: (v) => `/v1/authorizations/${v.tokens.accessGrantId}`,
    allowed: [404],
  },
  {
    name: 'delete by clientId (own org)',
    method: 'DELETE',
    url: (v) => `/v1/authorizations?clientId=${v.app.id}`,
    allowed: [404],
  },
  {
    name: 'delete by clientId in the victim org',
    method: 'DELETE',
    url: (v) => `/v1/authorizations?clientId=${v.app.id}&orgId=${v.orgId}`,
    allowed: [400, 403, 404],
  },
  {
    name: 'tokenExpiry (own token only)',
    method: 'GET',
    url: () => '/v1/authorizations/tokenExpiry',
    allowed: [200],
  },
];

describe('tenant isolation of /v1/authorizations', () => {
  let k: Harness;
  let victim: Victim;
  const callers: { name: string; token: string }[] = [];

  before(async () => {
    k = await startKeyward();
    const orgId = await insertOrg(k, { name: 'Victim' });
    const app = await insertApp(k, { orgId });
    const person = await insertPerson(k, { orgId, roles: ['user_admin'] });
    victim = { orgId, person, app, tokens: await issueTokens(k, app, person) };
    const strangerOrg = await insertOrg(k, { name: 'Stranger' });
    const strangerApp = await insertApp(k, { orgId: strangerOrg });
    callers.push({
      name: 'full admin person',
      token: (await personWithToken(k, strangerApp, { orgId: strangerOrg, roles: ['full_admin'] })).token,
    });
    const service = await insertClient(k, {
      orgId: strangerOrg,
      grantTypes: ['CLIENT_CREDENTIALS'],
      scopes: ['identity:tokens_read', 'identity:tokens_write'],
    });
    await k.services.store.db
      .updateTable('oauth_clients')
      .set({ roles: JSON.stringify(['full_admin']) })
      .where('id', '=', service.id)
      .execute();
    const res = await k.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: service.id,
        client_secret: service.secret!,
      }).toString(),
    });
    callers.push({ name: 'full admin service client', token: res.json().access_token });
    // The root org's bootstrap admin is no partner of the victim either.
    callers.push({ name: 'root org full admin', token: await k.token() });
  });
  after(() => k.close());

  for (const route of AUTHORIZATION_ROUTES) {
    it(`${route.method} ${route.name}: no data of the other org, nothing changed`, async () => {
      for (const caller of callers) {
        const url = route.url(victim);
        const res = await wxc(k, route.method, url, caller.token);
        assert.ok(route.allowed.includes(res.statusCode), `${caller.name}: ${res.statusCode} ${res.body}`);
        // An id the caller sent may be echoed in the error; any other id of the victim org is a leak.
        const secrets = [
          victim.person.id,
          victim.orgId,
          victim.tokens.accessGrantId,
          victim.tokens.refreshGrantId!,
          victim.app.id,
        ];
        for (const id of secrets.filter((s) => !url.includes(s))) {
          assert.ok(!res.body.includes(id), `${caller.name}: the response mentions ${id}`);
        }
        if (res.statusCode === 200 && route.method === 'GET' && res.json().items)
          assert.deepEqual(res.json(), { items: [] });
      }
      const grants = await k.services.store.db
        .selectFrom('token_grants')
        .select('revoked_at')
        .where('org_id', '=', victim.orgId)
        .execute();
      assert.equal(grants.length, 2);
      assert.ok(grants.every((g) => g.revoked_at === null));
      assert.equal(
        await k.services.store.db
          .selectFrom('client_revocations')
          .select('client_id')
          .where('org_id', '=', victim.orgId)
          .executeTakeFirst(),
        undefined,
      );
      assert.equal(
        await organizationsStatus(k, victim.tokens.accessToken),
        200,
        'the victim token still works',
      );
    });
  }
});

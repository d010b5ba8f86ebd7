/**
 * The management rate limit is per principal: people signed in through one app (the console) each
 * have their own budget; two tokens of one person share theirs; a client's own tokens share the
 * client's. Table-driven over a route of each family that is limited (Webex, SailPoint, Keyward).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rateLimitKey } from '../../src/http/rateLimitHook.js';
import { issueTokens, personWithToken } from '../authorizations/support.js';
import { insertClient, type TestClient } from '../support/fixtures.js';
import { startKeyward, type Harness } from '../support/harness.js';
import { adminClient, clientCredentialsToken } from '../support/tenants.js';

const ROUTES = ['/admin/v1/me', '/v1/organizations', '/v3/oauth-clients'];
const MAX = 3;
const SCOPES = ['spark-admin:organizations_read', 'sp:oauth-client:read', 'AUTHORISATION_VIEW'];

describe('rate limit per principal (client + person)', () => {
  let k: Harness;
  let app: TestClient;
  before(async () => {
    k = await startKeyward({
      env: { KEYWARD_RATE_LIMIT_MAX: String(MAX), KEYWARD_RATE_LIMIT_WINDOW_SECONDS: '3600' },
    });
    app = await insertClient(k, { name: 'Console-like app', scopes: SCOPES });
  });
  after(() => k.close());

  const status = async (url: string, token: string) =>
    (await k.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } })).statusCode;

  it('keys: client alone, or client and person', () => {
    assert.equal(rateLimitKey({ clientId: 'c1' }), 'c1');
    assert.equal(rateLimitKey({ clientId: 'c1', personId: 'p1' }), 'c1/person:p1');
    assert.notEqual(
      rateLimitKey({ clientId: 'c1', personId: 'p1' }),
      rateLimitKey({ clientId: 'c1', personId: 'p2' }),
    );
  });

  for (const url of ROUTES) {
    it(`${url}: one admin exhausting the budget leaves the other admins of the same app theirs`, async () => {
      const ada = await personWithToken(k, app, { roles: ['full_admin'], scopes: SCOPES });
      const bob = await personWithToken(k, app, { roles: ['full_admin'], scopes: SCOPES });
      for (let i = 0; i < MAX; i++) assert.equal(await status(url, ada.token), 200, `ada call ${i + 1}`);
      assert.equal(await status(url, ada.token), 429, 'ada is over her budget');
      // A second token of the same person draws from the same budget.
      const adaAgain = await issueTokens(k, app, ada, { scopes: SCOPES });
      assert.equal(await status(url, adaAgain.accessToken), 429);
      // Another person signed in through the same client is not affected.
      assert.equal(await status(url, bob.token), 200, 'bob keeps his budget');
    });
  }

  it("a client's own tokens share the client's budget, apart from its people's", async () => {
    const m2m = await adminClient(k, k.admin.orgId, ['full_admin']);
    const first = m2m.token;
    const second = await clientCredentialsToken(k, m2m.clientId, m2m.clientSecret);
    for (let i = 0; i < MAX; i++) assert.equal(await status('/v1/organizations', first), 200);
    assert.equal(await status('/v1/organizations', second), 429, 'same client, same budget');
  });
});

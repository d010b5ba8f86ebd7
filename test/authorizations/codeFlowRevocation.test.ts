import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { insertClient, insertPerson, type TestClient } from '../support/fixtures.js';
import { FormBrowser, signInAndConsent } from '../support/formBrowser.js';
import { startKeyward, type Harness } from '../support/harness.js';
import { personWithToken, wxcHeaders } from './support.js';

const REDIRECT = 'http://127.0.0.1:9/callback';
/** One read per management family the app's scopes reach (the Webex, SailPoint and Trivore dialects). */
const APP_SCOPES = ['spark-admin:organizations_read', 'sp:oauth-client:read', 'AUTHORISATION_VIEW'];
const FAMILY_READS = [
  '/v1/organizations',
  '/beta/oauth-clients',
  '/v3/oauth-clients',
  '/api/rest/v1/authorisation',
];

/**
 * The "done when": a person signs in to an app (code flow, openid-client over HTTP), an
 * admin lists the person's grants with requests shaped exactly like wxc_sdk's, deletes the refresh
 * grant, and the app's access token stops working on every API and at introspection.
 */
describe('code flow → admin lists and deletes the grant → the token is dead everywhere', () => {
  let k: Harness;
  let app: TestClient;
  let person: Awaited<ReturnType<typeof insertPerson>>;
  let config: oidc.Configuration;
  let adminToken: string;

  before(async () => {
    k = await startKeyward({ listen: true });
    app = await insertClient(k, { name: 'Calendar sync', redirectUris: [REDIRECT], scopes: APP_SCOPES });
    person = await insertPerson(k, { roles: ['user_admin'] });
    config = await oidc.discovery(new URL(k.baseUrl), app.id, app.secret, undefined, {
      execute: [oidc.allowInsecureRequests],
    });
    const tokenApp = await insertClient(k, {
      name: 'Admin console',
      scopes: ['identity:tokens_read', 'identity:tokens_write'],
    });
    adminToken = (await personWithToken(k, tokenApp, { roles: ['full_admin'] })).token;
  });
  after(() => k.close());

  async function codeFlow() {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: `openid email offline_access ${APP_SCOPES.join(' ')}`,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    const callback = await signInAndConsent(new FormBrowser(), url.href, person.email, person.password);
    return oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
  }

  /** Exactly what wxc_sdk sends: Bearer, Content-Type json on GET and DELETE, TrackingID. */
  const wxcFetch = (method: 'GET' | 'DELETE', path: string) =>
    fetch(`${k.baseUrl}/v1/${path}`, {
      method,
      headers: { ...wxcHeaders(adminToken), ...(method === 'DELETE' ? { 'content-length': '0' } : {}) },
    });

  const statusOn = async (path: string, token: string) =>
    (await fetch(k.baseUrl + path, { headers: { authorization: `Bearer ${token}` } })).status;

  it('the admin sees the grants, deletes the refresh grant, and the access token is refused by every API', async () => {
    const tokens = await codeFlow();
    assert.ok(tokens.access_token && tokens.refresh_token);
    for (const path of FAMILY_READS)
      assert.equal(await statusOn(path, tokens.access_token), 200, `${path} before`);
    assert.equal((await oidc.tokenIntrospection(config, tokens.access_token)).active, true);

    const listed = await wxcFetch('GET', `authorizations?personId=${person.id}`);
    assert.equal(listed.status, 200);
    assert.match(listed.headers.get('content-type')!, /^application\/json/);
    const { items } = (await listed.json()) as { items: Record<string, string>[] };
    assert.deepEqual(items.map((i) => i.type).sort(), ['access', 'refresh']);
    for (const item of items) {
      for (const key of ['id', 'applicationId', 'applicationName', 'clientId', 'created', 'type'])
        assert.ok(key in item, key);
      assert.equal(item.clientId, app.id);
      assert.equal(item.applicationName, 'Calendar sync');
    }
    const byEmail = (await (
      await wxcFetch('GET', `authorizations?personEmail=${encodeURIComponent(person.email)}`)
    ).json()) as { items: unknown[] };
    assert.deepEqual(byEmail.items, items);

    const refreshGrant = items.find((i) => i.type === 'refresh')!;
    const deleted = await wxcFetch('DELETE', `authorizations/${refreshGrant.id}`);
    assert.equal(deleted.status, 204);
    assert.equal(await deleted.text(), '');

    for (const path of FAMILY_READS)
      assert.equal(await statusOn(path, tokens.access_token), 401, `${path} after`);
    assert.equal((await oidc.tokenIntrospection(config, tokens.access_token)).active, false);
    assert.equal((await oidc.tokenIntrospection(config, tokens.refresh_token!)).active, false);
    await assert.rejects(oidc.fetchUserInfo(config, tokens.access_token, person.id));
    await assert.rejects(
      oidc.refreshTokenGrant(config, tokens.refresh_token!),
      (e: any) => e.error === 'invalid_grant',
    );
    const after = (await (await wxcFetch('GET', `authorizations?personId=${person.id}`)).json()) as {
      items: unknown[];
    };
    assert.deepEqual(after.items, []);
    const again = await wxcFetch('DELETE', `authorizations/${refreshGrant.id}`);
    assert.equal(again.status, 404);
    const body = (await again.json()) as {
      message: string;
      trackingId: string;
      errors: { description: string }[];
    };
    assert.match(body.trackingId, /^SIMPLE_/);
    assert.equal(body.errors[0]!.description, body.message);
  });

  it('deleting by clientId ends every session of the app in the org; signing in again works', async () => {
    const first = await codeFlow();
    const second = await codeFlow();
    const res = await wxcFetch('DELETE', `authorizations?clientId=${app.id}`);
    assert.equal(res.status, 204);
    for (const t of [first, second]) {
      assert.equal(await statusOn('/v1/organizations', t.access_token), 401);
      assert.equal((await oidc.tokenIntrospection(config, t.access_token)).active, false);
    }
    const third = await codeFlow();
    assert.equal(await statusOn('/v1/organizations', third.access_token), 200);
    assert.equal((await oidc.tokenIntrospection(config, third.access_token)).active, true);
  });

  it('tokenExpiry for the app token, as wxc_sdk reads it', async () => {
    const tokens = await codeFlow();
    const res = await fetch(`${k.baseUrl}/v1/authorizations/tokenExpiry`, {
      headers: wxcHeaders(tokens.access_token),
    });
    assert.equal(res.status, 200);
    const { exp } = (await res.json()) as { exp: number };
    assert.ok(Math.abs(exp - (Date.now() + tokens.expires_in! * 1000)) < 5000, `exp ${exp} is epoch ms`);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { insertClient, insertPerson, type TestClient } from '../support/fixtures.js';
import { FormBrowser, signInAndConsent } from '../support/formBrowser.js';
import { startKeyward, type Harness } from '../support/harness.js';

const REDIRECT = 'http://127.0.0.1:9/callback';

describe('people get tokens through an application: openid-client over real HTTP', () => {
  let k: Harness;
  let app: TestClient;
  let person: { id: string; email: string; password: string };
  let config: oidc.Configuration;

  before(async () => {
    k = await startKeyward({ listen: true });
    app = await insertClient(k, {
      redirectUris: [REDIRECT],
      postLogoutRedirectUris: [REDIRECT],
      scopes: ['spark-admin:organizations_read'],
    });
    person = await insertPerson(k, { roles: ['read_only_admin'], displayName: 'Ada Lovelace' });
    config = await oidc.discovery(new URL(k.baseUrl), app.id, app.secret, undefined, {
      execute: [oidc.allowInsecureRequests],
    });
  });
  after(() => k.close());

  async function codeFlow(
    browser = new FormBrowser(),
    scope = 'openid profile email offline_access spark-admin:organizations_read',
  ) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const callback = await signInAndConsent(browser, url.href, person.email, person.password);
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    return { tokens, callback, browser };
  }

  it('discovery lists the endpoints and exactly what is supported', () => {
    const m = config.serverMetadata();
    assert.equal(m.authorization_endpoint, `${k.baseUrl}/oauth/authorize`);
    assert.deepEqual(m.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(m.response_types_supported, ['code']);
    assert.ok(m.grant_types_supported?.includes('refresh_token'));
  });

  it('code flow with PKCE: login form, consent, code, tokens, validated ID token', async () => {
    const { tokens, callback } = await codeFlow();
    assert.equal(callback.searchParams.get('iss'), k.baseUrl);
    assert.ok(tokens.access_token && tokens.refresh_token && tokens.id_token);
    const claims = tokens.claims()!;
    assert.equal(claims.sub, person.id);
    assert.equal(claims.email, person.email);
    assert.equal(claims.name, 'Ada Lovelace');
    assert.ok(typeof claims.auth_time === 'number');
    assert.ok(claims.at_hash);
    const header = JSON.parse(Buffer.from(tokens.id_token!.split('.')[0]!, 'base64url').toString());
    assert.equal(header.alg, 'RS256');
  });

  it("the person token calls a management API with the person's roles; userinfo answers", async () => {
    const { tokens } = await codeFlow();
    const res = await fetch(`${k.baseUrl}/v1/organizations`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    assert.equal(res.status, 200);
    const info = await oidc.fetchUserInfo(config, tokens.access_token, person.id);
    assert.equal(info.email, person.email);
    assert.equal(info.email_verified, true);
  });

  it('consent is remembered: a second flow in the same browser needs neither login nor consent', async () => {
    const { browser } = await codeFlow();
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 's2',
    });
    const res = await browser.get(url.href);
    assert.equal(res.status, 303);
    assert.ok(new URL(res.headers.get('location')!).searchParams.get('code'));
  });

  it('refresh rotates; presenting the old refresh token again revokes the whole family', async () => {
    const { tokens } = await codeFlow();
    const rotated = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    assert.ok(rotated.refresh_token && rotated.refresh_token !== tokens.refresh_token);
    assert.ok(rotated.access_token);
    await assert.rejects(
      oidc.refreshTokenGrant(config, tokens.refresh_token!),
      (e: any) => e.error === 'invalid_grant',
    );
    // the family is gone: the new refresh token and the access tokens are dead too
    await assert.rejects(
      oidc.refreshTokenGrant(config, rotated.refresh_token!),
      (e: any) => e.error === 'invalid_grant',
    );
    const res = await fetch(`${k.baseUrl}/v1/organizations`, {
      headers: { authorization: `Bearer ${rotated.access_token}` },
    });
    assert.equal(res.status, 401);
    assert.equal((await oidc.tokenIntrospection(config, rotated.access_token)).active, false);
  });

  it('introspection: active with claims; revoke (RFC 7009) makes it inactive everywhere', async () => {
    const { tokens } = await codeFlow();
    const live = await oidc.tokenIntrospection(config, tokens.access_token);
    assert.equal(live.active, true);
    assert.equal(live.sub, person.id);
    assert.equal(live.client_id, app.id);
    assert.equal((await oidc.tokenIntrospection(config, tokens.refresh_token!)).active, true);
    await oidc.tokenRevocation(config, tokens.refresh_token!);
    assert.equal((await oidc.tokenIntrospection(config, tokens.refresh_token!)).active, false);
    assert.equal(
      (await oidc.tokenIntrospection(config, tokens.access_token)).active,
      false,
      'revoking the refresh token revokes its access tokens',
    );
    const res = await fetch(`${k.baseUrl}/v1/organizations`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    assert.equal(res.status, 401);
    await oidc.tokenRevocation(config, 'not-a-token-at-all'); // unknown token: 200, no error
  });

  it('revoking an access token alone leaves the refresh token usable', async () => {
    const { tokens } = await codeFlow();
    await oidc.tokenRevocation(config, tokens.access_token);
    assert.equal((await oidc.tokenIntrospection(config, tokens.access_token)).active, false);
    const next = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    assert.equal((await oidc.tokenIntrospection(config, next.access_token)).active, true);
  });

  it('logout ends the session and redirects only to a registered URI', async () => {
    const { browser, tokens } = await codeFlow();
    const bad = await browser.get(
      `${k.baseUrl}/oauth/logout?client_id=${app.id}&post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`,
    );
    assert.equal(bad.status, 400);
    const url = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: REDIRECT,
      state: 'bye',
    });
    const res = await browser.get(url.href);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `${REDIRECT}?state=bye`);
    const again = await browser.get(
      oidc.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT,
        scope: 'openid',
        code_challenge: 'x'.repeat(43),
        code_challenge_method: 'S256',
        prompt: 'none',
      }).href,
    );
    assert.equal(new URL(again.headers.get('location')!).searchParams.get('error'), 'login_required');
  });
});

/**
 * Basic OP plan: OIDCCBasicTestPlan (oidcc-basic-certification-test-plan) of
 * openid-certification/conformance-suite, src/main/java/net/openid/conformance/openid/. One test per
 * module, named after it, asserting what the module's class asserts; modules Keyward fails today are
 * todos with the reason (docs/conformance.md has the checklist).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { insertPerson } from '../support/fixtures.js';
import { FormBrowser, signInAndConsent } from '../support/formBrowser.js';
import {
  ADDRESS,
  authorizationUrl,
  codeFlow,
  exchange,
  pageShown,
  REDIRECT,
  silent,
  sleep,
  startScene,
  type Scene,
} from './scene.js';

describe('OpenID conformance: Basic OP plan (OIDCCBasicTestPlan)', () => {
  let s: Scene;
  before(async () => {
    s = await startScene();
  });
  after(() => s.close());

  // OIDCCServerTest: happy code flow, state returned, ID token valid (iss, aud, sub, nonce, at_hash).
  it('oidcc-server', async () => {
    const { tokens, callback, idToken } = await codeFlow(s);
    assert.ok(callback.searchParams.get('code'));
    assert.equal(tokens.token_type.toLowerCase(), 'bearer');
    assert.equal(idToken.sub, s.person.id);
    assert.ok(
      typeof idToken.iat === 'number' && typeof idToken.exp === 'number' && idToken.exp > idToken.iat,
    );
    assert.ok(idToken.nonce && idToken.at_hash);
  });

  // OIDCCResponseTypeMissing: redirect back with unsupported_response_type or invalid_request.
  it('oidcc-response-type-missing', async () => {
    const { url, state } = authorizationUrl(s);
    url.searchParams.delete('response_type');
    const back = await silent(new FormBrowser(), url);
    assert.equal(back.origin + back.pathname, REDIRECT);
    assert.ok(['invalid_request', 'unsupported_response_type'].includes(back.searchParams.get('error')!));
    assert.equal(back.searchParams.get('state'), state);
  });

  // OIDCCIdTokenSignature: default ID token alg is RS256 (EnsureIdTokenSignatureIsRS256), with a kid (EnsureIdTokenContainsKid).
  it('oidcc-idtoken-signature', async () => {
    const { header } = await codeFlow(s);
    assert.equal(header.alg, 'RS256');
    assert.ok(header.kid);
  });

  // OIDCCIdTokenUnsigned: skipped by the suite unless discovery lists alg none for ID tokens.
  it('oidcc-idtoken-unsigned (skipped by the suite: none is not advertised)', () => {
    const algs = s.discovery.id_token_signing_alg_values_supported as string[];
    assert.ok(algs.includes('RS256') && !algs.includes('none'));
  });

  // OIDCCUserInfoGet: authenticated GET to UserInfo, sub equal to the ID token's.
  it('oidcc-userinfo-get', async () => {
    const { tokens } = await codeFlow(s);
    const res = await fetch(s.discovery.userinfo_endpoint as string, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^application\/json/);
    assert.equal(((await res.json()) as { sub: string }).sub, s.person.id);
  });

  // OIDCCUserInfoPostHeader: authenticated POST with the token in the Authorization header.
  it('oidcc-userinfo-post-header', async () => {
    const { tokens } = await codeFlow(s);
    const res = await fetch(s.discovery.userinfo_endpoint as string, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { sub: string }).sub, s.person.id);
  });

  // OIDCCUserInfoPostBody: POST with the access token in the form body (RFC 6750 §2.2).
  it('oidcc-userinfo-post-body', async () => {
    const { tokens } = await codeFlow(s);
    const res = await fetch(s.discovery.userinfo_endpoint as string, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ access_token: tokens.access_token }).toString(),
    });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { sub: string }).sub, s.person.id);
  });

  // OIDCCEnsureRequestWithoutNonceSucceedsForCodeFlow: no nonce, the code flow still succeeds.
  it('oidcc-ensure-request-without-nonce-succeeds-for-code-flow', async () => {
    const { idToken } = await codeFlow(s, { nonce: null });
    assert.equal(idToken.sub, s.person.id);
    assert.equal(idToken.nonce, undefined);
  });

  // OIDCCScopeProfile / OIDCCScopeEmail: the scope's claims come from the UserInfo endpoint.
  it('oidcc-scope-profile', async () => {
    const { tokens } = await codeFlow(s, { scope: 'openid profile' });
    const info = await oidc.fetchUserInfo(s.config, tokens.access_token, s.person.id);
    assert.equal(info.name, 'Buffy Summers');
  });

  it('oidcc-scope-email', async () => {
    const { tokens } = await codeFlow(s, { scope: 'openid email' });
    const info = await oidc.fetchUserInfo(s.config, tokens.access_token, s.person.id);
    assert.equal(info.email, s.person.email);
  });

  // OIDCCScopeAddress / OIDCCScopePhone / OIDCCScopeAll: the scope succeeds and its claims come
  // from UserInfo (the suite warns when they are missing).
  it('oidcc-scope-address', async () => {
    const { tokens } = await codeFlow(s, { scope: 'openid address' });
    const info = await oidc.fetchUserInfo(s.config, tokens.access_token, s.person.id);
    assert.deepEqual(info.address, {
      street_address: ADDRESS.streetAddress,
      locality: ADDRESS.locality,
      region: ADDRESS.region,
      postal_code: ADDRESS.postalCode,
      country: ADDRESS.country,
      formatted: '1630 Revello Drive\n95037 Sunnydale\nCA\nUS',
    });
    assert.equal(info.email, undefined);
  });

  it('oidcc-scope-phone', async () => {
    const { tokens } = await codeFlow(s, { scope: 'openid phone' });
    const info = await oidc.fetchUserInfo(s.config, tokens.access_token, s.person.id);
    assert.equal(info.phone_number, '+1 555 0199'); // the primary one
    assert.equal(info.phone_number_verified, false);
    assert.equal(info.address, undefined);
  });

  it('oidcc-scope-all', async () => {
    const { tokens } = await codeFlow(s, { scope: 'openid address email phone profile' });
    assert.deepEqual(tokens.scope!.split(' ').sort(), ['address', 'email', 'openid', 'phone', 'profile']);
    const info = await oidc.fetchUserInfo(s.config, tokens.access_token, s.person.id);
    assert.ok(info.address && info.email && info.phone_number && info.name);
  });

  // OIDC Core 3.1.2.1: unknown scope values are ignored (not granted); management scopes the client
  // does not hold are still refused.
  it('unknown scopes are ignored, management scopes still checked', async () => {
    const { tokens } = await codeFlow(s, { scope: 'openid frobnicate' });
    assert.equal(tokens.scope, 'openid');
    const { url, state } = authorizationUrl(s, { scope: 'openid spark-admin:people_write' });
    const back = await silent(new FormBrowser(), url);
    assert.equal(back.searchParams.get('error'), 'invalid_scope');
    assert.equal(back.searchParams.get('state'), state);
  });

  // OIDCCAlternateHappyFlow: scope entries reversed and query parameters in another order.
  it('oidcc-alternate-happy-flow', async () => {
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = new URL(`${s.k.baseUrl}/oauth/authorize`);
    const params = {
      nonce,
      state,
      scope: 'profile email openid',
      redirect_uri: REDIRECT,
      client_id: s.app.id,
    };
    for (const [k, v] of Object.entries({ ...params, response_type: 'code' })) url.searchParams.set(k, v);
    const browser = new FormBrowser();
    const callback = await signInAndConsent(browser, url.href, s.person.email, s.person.password);
    const { idToken } = await exchange(s, callback, state, nonce, browser);
    assert.equal(idToken.sub, s.person.id);
  });

  // OIDCCDisplayPage / OIDCCDisplayPopup: display must not cause an error; a normal login page.
  for (const display of ['page', 'popup']) {
    it(`oidcc-display-${display}`, async () => {
      const browser = new FormBrowser();
      const { url } = authorizationUrl(s, { extra: { display } });
      assert.equal((await pageShown(browser, url)).page, 'login');
      const { idToken } = await codeFlow(s, { extra: { display } }, browser);
      assert.equal(idToken.sub, s.person.id);
    });
  }

  // OIDCCPromptLogin: prompt=login asks for a login again; the second auth_time is later.
  it('oidcc-prompt-login', async () => {
    const first = await codeFlow(s);
    await sleep(1100); // auth_time has a one-second resolution
    const { url } = authorizationUrl(s, { extra: { prompt: 'login' } });
    assert.equal((await pageShown(first.browser, url)).page, 'login');
    const second = await codeFlow(s, { extra: { prompt: 'login' } }, first.browser);
    assert.equal(second.idToken.sub, first.idToken.sub);
    assert.ok((second.idToken.auth_time as number) > (first.idToken.auth_time as number));
  });

  // OIDCCPromptNoneNotLoggedIn: error that requires a user interface (login_required...), per OIDC Core 3.1.2.6.
  it('oidcc-prompt-none-not-logged-in', async () => {
    const { url, state } = authorizationUrl(s, { extra: { prompt: 'none' } });
    const back = await silent(new FormBrowser(), url);
    const required = [
      'login_required',
      'interaction_required',
      'consent_required',
      'account_selection_required',
    ];
    assert.ok(required.includes(back.searchParams.get('error')!));
    assert.equal(back.searchParams.get('state'), state);
  });

  // OIDCCPromptNoneLoggedIn: prompt=none with a session: no login; same sub and auth_time.
  it('oidcc-prompt-none-logged-in', async () => {
    const first = await codeFlow(s);
    const { url, state, nonce } = authorizationUrl(s, { extra: { prompt: 'none' } });
    const second = await exchange(s, await silent(first.browser, url), state, nonce, first.browser);
    assert.equal(second.idToken.sub, first.idToken.sub);
    assert.equal(second.idToken.auth_time, first.idToken.auth_time);
  });

  // OIDCCMaxAge1: after 1 second max_age=1 forces a new login; the ID token has auth_time.
  it('oidcc-max-age-1', async () => {
    const first = await codeFlow(s);
    await sleep(1100);
    const { url } = authorizationUrl(s, { extra: { max_age: '1' } });
    assert.equal((await pageShown(first.browser, url)).page, 'login');
    const second = await codeFlow(s, { extra: { max_age: '1' } }, first.browser, { maxAge: 1 });
    assert.ok((second.idToken.auth_time as number) > (first.idToken.auth_time as number));
  });

  // OIDCCMaxAge10000: max_age=15000 then max_age=10000: no login; same sub and auth_time.
  it('oidcc-max-age-10000', async () => {
    const first = await codeFlow(s, { extra: { max_age: '15000' } }, new FormBrowser(), { maxAge: 15000 });
    assert.equal(typeof first.idToken.auth_time, 'number');
    const { url, state, nonce } = authorizationUrl(s, { extra: { max_age: '10000' } });
    const second = await exchange(
      s,
      await silent(first.browser, url),
      state,
      nonce,
      first.browser,
      s.config,
      {
        maxAge: 10000,
      },
    );
    assert.equal(second.idToken.sub, first.idToken.sub);
    assert.equal(second.idToken.auth_time, first.idToken.auth_time);
  });

  // OIDCCEnsureRequestWithUnknownParameterSucceeds: extra=foobar is ignored (RFC 6749 3.1).
  it('oidcc-ensure-request-with-unknown-parameter-succeeds', async () => {
    const { idToken } = await codeFlow(s, { extra: { extra: 'foobar' } });
    assert.equal(idToken.sub, s.person.id);
  });

  // OIDCCIdTokenHint: prompt=none with the first ID token as id_token_hint: no interaction, same sub.
  it('oidcc-id-token-hint', async () => {
    const first = await codeFlow(s);
    const hint = { prompt: 'none', id_token_hint: first.tokens.id_token! };
    const { url, state, nonce } = authorizationUrl(s, { extra: hint });
    const second = await exchange(s, await silent(first.browser, url), state, nonce, first.browser);
    assert.equal(second.idToken.sub, first.idToken.sub);
    assert.equal(second.idToken.auth_time, first.idToken.auth_time);
  });

  // The claims request stays with the grant: a refreshed access token still releases it.
  it('claims request kept across a refresh', async () => {
    const claims = JSON.stringify({ userinfo: { name: null } });
    const first = await codeFlow(s, {
      scope: 'openid offline_access',
      extra: { prompt: 'consent', claims },
    });
    const renewed = await oidc.refreshTokenGrant(s.config, first.tokens.refresh_token!);
    const info = await oidc.fetchUserInfo(s.config, renewed.access_token, s.person.id);
    assert.equal(info.name, 'Buffy Summers');
  });

  // id_token_hint is checked (OIDC Core 3.1.2.1): a hint for another person with prompt=none is
  // login_required; something that is not one of Keyward's ID tokens is invalid_request.
  it('id_token_hint: another person with prompt=none, and an invalid hint', async () => {
    const first = await codeFlow(s);
    const other = await insertPerson(s.k, { displayName: 'Willow Rosenberg' });
    const browser = new FormBrowser();
    const { url: u1 } = authorizationUrl(s);
    const cb = await signInAndConsent(browser, u1.href, other.email, other.password);
    assert.ok(cb.searchParams.get('code'));
    const hint = { prompt: 'none', id_token_hint: first.tokens.id_token! };
    const { url, state } = authorizationUrl(s, { extra: hint });
    const back = await silent(browser, url);
    assert.equal(back.searchParams.get('error'), 'login_required');
    assert.equal(back.searchParams.get('state'), state);
    const forged = first.tokens.id_token!.slice(0, -4) + 'AAAA';
    const { url: bad } = authorizationUrl(s, { extra: { id_token_hint: forged } });
    const refused = await silent(first.browser, bad);
    assert.equal(refused.searchParams.get('error'), 'invalid_request');
  });

  // OIDCCLoginHint: login_hint must not cause an error (Keyward pre-fills the login form with it).
  it('oidcc-login-hint', async () => {
    const browser = new FormBrowser();
    const { url } = authorizationUrl(s, { extra: { login_hint: s.person.email } });
    const res = await browser.get(url.href);
    assert.equal(res.status, 200);
    assert.ok((await res.text()).includes(`value="${s.person.email}"`));
    const { idToken } = await codeFlow(s, { extra: { login_hint: s.person.email } }, browser);
    assert.equal(idToken.sub, s.person.id);
  });

  // OIDCCUiLocales / OIDCCClaimsLocales: the parameter must not cause an error.
  for (const [module, param] of [
    ['oidcc-ui-locales', 'ui_locales'],
    ['oidcc-claims-locales', 'claims_locales'],
  ] as const) {
    it(module, async () => {
      const { idToken } = await codeFlow(s, { extra: { [param]: 'se' } });
      assert.equal(idToken.sub, s.person.id);
    });
  }

  // OIDCCEnsureRequestWithAcrValuesSucceeds: acr_values=1 2 succeeds; the ID token has an acr
  // (the suite warns without one). Keyward asserts its password-level value whatever was asked.
  it('oidcc-ensure-request-with-acr-values-succeeds', async () => {
    const { idToken } = await codeFlow(s, { extra: { acr_values: '1 2' } });
    assert.equal(idToken.acr, 'urn:keyward:acr:pwd');
    assert.deepEqual(s.discovery.acr_values_supported, ['urn:keyward:acr:pwd']);
    const plain = await codeFlow(s);
    assert.equal(plain.idToken.acr, undefined);
  });
});

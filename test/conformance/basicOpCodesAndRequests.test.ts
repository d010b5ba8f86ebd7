/**
 * Basic OP plan (OIDCCBasicTestPlan), second half: the modules about codes, redirect URIs, client
 * authentication, request objects, refresh tokens and PKCE. The first half (code flow, ID token,
 * UserInfo, scopes, prompts, max_age, hints) is basicOp.test.ts; same conventions, one test per module.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { insertClient } from '../support/fixtures.js';
import { FormBrowser, readForm, signInAndConsent } from '../support/formBrowser.js';
import { authorizationUrl, codeFlow, exchange, REDIRECT, silent, startScene, type Scene } from './scene.js';

/** An unsigned (alg none) request object for the test client (OIDC Core 6.1). */
function unsignedRequestObject(s: Scene, claims: Record<string, string>): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const payload = {
    iss: s.app.id,
    aud: s.k.baseUrl,
    response_type: 'code',
    client_id: s.app.id,
    scope: 'openid',
    ...claims,
  };
  return `${part({ alg: 'none' })}.${part(payload)}.`;
}

const isError = (code: string) => (e: unknown) => (e as { error?: string }).error === code;

describe('OpenID conformance: Basic OP plan (OIDCCBasicTestPlan), codes and requests', () => {
  let s: Scene;
  before(async () => {
    s = await startScene();
  });
  after(() => s.close());

  // OIDCCAuthCodeReuse: a second use of the code gives invalid_grant.
  it('oidcc-codereuse', async () => {
    const { callback } = await codeFlow(s);
    await assert.rejects(
      oidc.authorizationCodeGrant(s.config, callback, { expectedState: callback.searchParams.get('state')! }),
      isError('invalid_grant'),
    );
  });

  // OIDCCAuthCodeReuseAfter30Seconds: reuse gives invalid_grant and revokes the first access
  // token (RFC 6749 4.1.2). The suite waits 30 s first; the outcome does not depend on the delay
  // here (a used code is refused whatever its age), so it is not reproduced.
  it('oidcc-codereuse-30seconds', async () => {
    const { callback, tokens } = await codeFlow(s);
    const userinfo = () =>
      fetch(s.discovery.userinfo_endpoint as string, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
    assert.equal((await userinfo()).status, 200);
    await assert.rejects(
      oidc.authorizationCodeGrant(s.config, callback, { expectedState: callback.searchParams.get('state')! }),
      isError('invalid_grant'),
    );
    assert.equal((await userinfo()).status, 401);
  });

  // OIDCCEnsureRegisteredRedirectUri: an unregistered redirect_uri gives an error page, no redirect.
  it('oidcc-ensure-registered-redirect-uri', async () => {
    const { url } = authorizationUrl(s, { extra: { redirect_uri: 'http://127.0.0.1:9/not-registered' } });
    const res = await new FormBrowser().get(url.href);
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('location'), null);
    assert.match(await res.text(), /redirect_uri/);
  });

  // OIDCCEnsurePostRequestSucceeds: the authorization request as a form POST completes (OIDC Core 3.1.2.1).
  it('oidcc-ensure-post-request-succeeds', async () => {
    const { url, state, nonce } = authorizationUrl(s);
    const browser = new FormBrowser();
    let res = await browser.post(`${s.k.baseUrl}/oauth/authorize`, Object.fromEntries(url.searchParams));
    assert.equal(res.status, 200);
    const login = readForm(await res.text());
    assert.match(login.action, /\/oauth\/authorize\/login$/);
    res = await browser.post(s.k.baseUrl + login.action, {
      ...login.fields,
      email: s.person.email,
      password: s.person.password,
    });
    if (res.status === 200) {
      const consent = readForm(await res.text());
      res = await browser.post(s.k.baseUrl + consent.action, { ...consent.fields, decision: 'allow' });
    }
    assert.equal(res.status, 303);
    const callback = new URL(res.headers.get('location')!);
    const { idToken } = await exchange(s, callback, state, nonce, browser);
    assert.equal(idToken.sub, s.person.id);
  });

  // OIDCCServerTestClientSecretPost: the happy flow with client_secret_post.
  it('oidcc-server-client-secret-post', async () => {
    const config = await oidc.discovery(
      new URL(s.k.baseUrl),
      s.app.id,
      undefined,
      oidc.ClientSecretPost(s.app.secret!),
      {
        execute: [oidc.allowInsecureRequests],
      },
    );
    const { url, state, nonce } = authorizationUrl(s);
    const browser = new FormBrowser();
    const callback = await signInAndConsent(browser, url.href, s.person.email, s.person.password);
    const { idToken } = await exchange(s, callback, state, nonce, browser, config);
    assert.equal(idToken.sub, s.person.id);
  });

  // OIDCCRequestUriUnsignedSupportedCorrectlyOrRejectedAsUnsupported: a request_uri is processed
  // or refused with request_uri_not_supported (refused here, and discovery says so).
  it('oidcc-request-uri-unsigned-supported-correctly-or-rejected-as-unsupported', async () => {
    assert.equal(s.discovery.request_uri_parameter_supported, false);
    const { url, state } = authorizationUrl(s, { extra: { request_uri: 'https://rp.example/request.jwt' } });
    const back = await silent(new FormBrowser(), url);
    assert.equal(back.origin + back.pathname, REDIRECT);
    assert.equal(back.searchParams.get('error'), 'request_uri_not_supported');
    assert.equal(back.searchParams.get('state'), state);
    assert.equal(back.searchParams.get('code'), null);
  });

  // OIDCCUnsignedRequestObjectSupportedCorrectlyOrRejectedAsUnsupported: an unsigned request object
  // is processed or refused with request_not_supported, never ignored.
  it('oidcc-unsigned-request-object-supported-correctly-or-rejected-as-unsupported', async () => {
    assert.equal(s.discovery.request_parameter_supported, false);
    const { url, state } = authorizationUrl(s);
    url.searchParams.set('request', unsignedRequestObject(s, { state: 'from-object', nonce: 'n' }));
    const back = await silent(new FormBrowser(), url);
    assert.equal(back.searchParams.get('error'), 'request_not_supported');
    assert.equal(back.searchParams.get('state'), state);
    assert.equal(back.searchParams.get('code'), null);
  });
  // OIDCCClaimsEssential: claims={"userinfo":{"name":{"essential":true}}} with scope=openid: the
  // name comes from UserInfo (warning if not). Voluntary (null) members and the id_token part too.
  it('oidcc-claims-essential', async () => {
    assert.equal(s.discovery.claims_parameter_supported, true);
    const claims = JSON.stringify({
      userinfo: { name: { essential: true }, phone_number: null },
      id_token: { email: { essential: true }, address: null },
    });
    const { tokens, idToken } = await codeFlow(s, { extra: { claims } });
    const info = await oidc.fetchUserInfo(s.config, tokens.access_token, s.person.id);
    assert.equal(info.name, 'Buffy Summers');
    assert.equal(info.phone_number, '+1 555 0199');
    assert.equal(info.email, undefined);
    assert.equal(idToken.email, s.person.email);
    assert.equal((idToken.address as { locality: string }).locality, 'Sunnydale');
    assert.equal(idToken.name, undefined);
    // A malformed claims request is refused (redirected back with invalid_request).
    const { url } = authorizationUrl(s, { extra: { claims: '{"userinfo": [1]}' } });
    const back = await silent(new FormBrowser(), url);
    assert.equal(back.searchParams.get('error'), 'invalid_request');
  });
  // OIDCCEnsureRequestObjectWithRedirectUri: the object carries the registered redirect_uri, the
  // query an unregistered one: the object's must win, or an error page (never a redirect to the
  // registered URI with request_not_supported: EnsureOPDoesNotUseDefaultRedirectUriInCaseOfInvalidRedirectUri).
  it('oidcc-ensure-request-object-with-redirect-uri', async () => {
    const { url } = authorizationUrl(s, { extra: { redirect_uri: 'http://127.0.0.1:9/not-registered' } });
    url.searchParams.set('request', unsignedRequestObject(s, { redirect_uri: REDIRECT }));
    const res = await new FormBrowser().get(url.href);
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('location'), null);
  });

  // OIDCCRefreshToken: offline_access (with prompt=consent) gives a refresh token that works, uses
  // only RFC 6749 A.17 characters, and is bound to its client.
  it('oidcc-refresh-token', async () => {
    const first = await codeFlow(s, { scope: 'openid offline_access', extra: { prompt: 'consent' } });
    const refresh = first.tokens.refresh_token!;
    assert.match(refresh, /^[\x20-\x7e]+$/);
    assert.ok((s.discovery.grant_types_supported as string[]).includes('refresh_token'));
    const other = await insertClient(s.k, { redirectUris: [REDIRECT], scopes: [] });
    const otherConfig = await oidc.discovery(
      new URL(s.k.baseUrl),
      other.id,
      undefined,
      oidc.ClientSecretBasic(other.secret!),
      {
        execute: [oidc.allowInsecureRequests],
      },
    );
    await assert.rejects(oidc.refreshTokenGrant(otherConfig, refresh), isError('invalid_grant'));
    const renewed = await oidc.refreshTokenGrant(s.config, refresh);
    assert.ok(renewed.access_token);
    const info = await oidc.fetchUserInfo(s.config, renewed.access_token, s.person.id);
    assert.equal(info.sub, s.person.id);
  });

  // OIDCCEnsureRequestWithValidPkceSucceeds: a valid S256 PKCE request succeeds.
  it('oidcc-ensure-request-with-valid-pkce-succeeds', async () => {
    const verifier = oidc.randomPKCECodeVerifier();
    const challenge = await oidc.calculatePKCECodeChallenge(verifier);
    const extra = { code_challenge: challenge, code_challenge_method: 'S256' };
    const { url, state, nonce } = authorizationUrl(s, { extra });
    const browser = new FormBrowser();
    const callback = await signInAndConsent(browser, url.href, s.person.email, s.person.password);
    const { idToken } = await exchange(s, callback, state, nonce, browser, s.config, {
      pkceCodeVerifier: verifier,
    });
    assert.equal(idToken.sub, s.person.id);
  });
});

/**
 * RP-Initiated Logout OP plan: OIDCCRpInitiatedLogoutTestPlan of openid-certification/conformance-suite
 * (src/main/java/net/openid/conformance/openid/rpinitiatedlogout/). One test per module, named after
 * it. "No redirect" modules accept an error or a confirmation page, as the suite's do. The client's
 * post-logout redirect URIs are their own list (postLogoutRedirectUris), not its login redirect URIs.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { FormBrowser } from '../support/formBrowser.js';
import { authorizationUrl, codeFlow, LOGGED_OUT, REDIRECT, startScene, type Scene } from './scene.js';

describe('OpenID conformance: RP-Initiated Logout OP plan (OIDCCRpInitiatedLogoutTestPlan)', () => {
  let s: Scene;
  before(async () => {
    s = await startScene();
  });
  after(() => s.close());

  const logout = (browser: FormBrowser, params: Record<string, string>) =>
    browser.get(`${s.discovery.end_session_endpoint as string}?${new URLSearchParams(params)}`);

  /** After logout, prompt=none must come back with an error (the session is gone). */
  async function signedOut(browser: FormBrowser): Promise<boolean> {
    const { url } = authorizationUrl(s, { extra: { prompt: 'none' } });
    const res = await browser.get(url.href);
    const back = new URL(res.headers.get('location')!);
    return back.searchParams.get('error') === 'login_required';
  }

  /** No redirect to the RP: an error page or a confirmation/logged-out page. */
  function noRedirect(res: Response) {
    assert.ok(res.status === 200 || res.status === 400, `status ${res.status}`);
    assert.equal(res.headers.get('location'), null);
  }

  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

  // OIDCCRpInitiatedLogoutDiscoveryEndpointVerification: end_session_endpoint in discovery.
  it('oidcc-rp-initiated-logout-discovery-endpoint-verification', () => {
    assert.equal(s.discovery.end_session_endpoint, `${s.k.baseUrl}/oauth/logout`);
  });

  // OIDCCRpInitiatedLogout: id_token_hint + registered post_logout_redirect_uri + state → redirect
  // there with the state; then prompt=none gives an error.
  it('oidcc-rp-initiated-logout', async () => {
    const { tokens, browser } = await codeFlow(s);
    const res = await logout(browser, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: LOGGED_OUT,
      state: 'st-1',
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `${LOGGED_OUT}?state=st-1`);
    assert.equal(await signedOut(browser), true);
  });

  // The post-logout list is separate: a login redirect URI is not a post-logout one.
  it('a login redirect URI is not a post_logout_redirect_uri', async () => {
    const { tokens, browser } = await codeFlow(s);
    noRedirect(
      await logout(browser, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: REDIRECT }),
    );
  });

  // The list is managed through the SailPoint-style client API (an extension field), validated
  // like redirectUris (absolute, no fragment), and used by logout at once.
  it('postLogoutRedirectUris through the client API', async () => {
    const admin = await s.k.token();
    const call = (method: string, path: string, body: unknown, type = 'application/json') =>
      fetch(`${s.k.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${admin}`, 'content-type': type },
        body: JSON.stringify(body),
      });
    const base = {
      name: 'Logout app',
      description: null,
      accessTokenValiditySeconds: 600,
      grantTypes: ['AUTHORIZATION_CODE'],
      accessType: 'ONLINE',
      enabled: true,
      redirectUris: [REDIRECT],
      scope: [],
    };
    const bad = await call('POST', '/v3/oauth-clients', {
      ...base,
      postLogoutRedirectUris: ['http://127.0.0.1:9/out#frag'],
    });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /postLogoutRedirectUris/);
    const created = await call('POST', '/v3/oauth-clients', {
      ...base,
      postLogoutRedirectUris: [LOGGED_OUT],
    });
    assert.equal(created.status, 200);
    const client = (await created.json()) as { id: string; postLogoutRedirectUris: string[] };
    assert.deepEqual(client.postLogoutRedirectUris, [LOGGED_OUT]);
    const other = 'http://127.0.0.1:9/bye';
    const patched = await call(
      'PATCH',
      `/v3/oauth-clients/${client.id}`,
      [{ op: 'add', path: '/postLogoutRedirectUris/-', value: other }],
      'application/json-patch+json',
    );
    assert.equal(patched.status, 200);
    const res = await logout(new FormBrowser(), { client_id: client.id, post_logout_redirect_uri: other });
    assert.equal(res.status, 200, 'a confirmation page (no hint), not a refusal');
  });

  // OIDCCRpInitiatedLogoutBadPostLogoutRedirectUri: unregistered URI → no redirect.
  it('oidcc-rp-initiated-logout-bad-post-logout-redirect-uri', async () => {
    const { tokens, browser } = await codeFlow(s);
    const res = await logout(browser, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: 'http://127.0.0.1:9/elsewhere',
      state: 'x',
    });
    noRedirect(res);
  });

  // OIDCCRpInitiatedLogoutModifiedIdTokenHint: the hint re-encoded with alg none → no redirect.
  it('oidcc-rp-initiated-logout-modified-id-token-hint', async () => {
    const { tokens, browser } = await codeFlow(s);
    const payload = tokens.id_token!.split('.')[1]!;
    const unsigned = `${part({ alg: 'none' })}.${payload}.`;
    noRedirect(await logout(browser, { id_token_hint: unsigned, post_logout_redirect_uri: LOGGED_OUT }));
    assert.equal(await signedOut(browser), false);
  });

  // OIDCCRpInitiatedLogoutNoIdTokenHint: a post_logout_redirect_uri without a hint → no redirect.
  it('oidcc-rp-initiated-logout-no-id-token-hint', async () => {
    const { browser } = await codeFlow(s);
    noRedirect(await logout(browser, { post_logout_redirect_uri: LOGGED_OUT, state: 'x' }));
  });

  // OIDCCRpInitiatedLogoutNoParams: no parameters → a page (confirmation), no redirect.
  it('oidcc-rp-initiated-logout-no-params', async () => {
    const { browser } = await codeFlow(s);
    const res = await logout(browser, {});
    assert.equal(res.status, 200);
    noRedirect(res);
  });

  // OIDCCRpInitiatedLogoutNoPostLogoutRedirectUri: a hint only → logged-out page, session ended.
  it('oidcc-rp-initiated-logout-no-post-logout-redirect-uri', async () => {
    const { tokens, browser } = await codeFlow(s);
    const res = await logout(browser, { id_token_hint: tokens.id_token! });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /Signed out/);
    assert.equal(await signedOut(browser), true);
  });

  // OIDCCRpInitiatedLogoutNoState: redirect without a state; then prompt=none gives an error.
  it('oidcc-rp-initiated-logout-no-state', async () => {
    const { tokens, browser } = await codeFlow(s);
    const res = await logout(browser, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: LOGGED_OUT,
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), LOGGED_OUT);
    assert.equal(await signedOut(browser), true);
  });

  // OIDCCRpInitiatedLogoutOnlyState: only a state → a page, no redirect.
  it('oidcc-rp-initiated-logout-only-state', async () => {
    const { browser } = await codeFlow(s);
    const res = await logout(browser, { state: 'only' });
    assert.equal(res.status, 200);
    noRedirect(res);
  });

  // OIDCCRpInitiatedLogoutQueryAddedToPostLogoutRedirectUri: registered URI + ?foo=bar → no redirect.
  it('oidcc-rp-initiated-logout-query-added-to-post-logout-redirect-uri', async () => {
    const { tokens, browser } = await codeFlow(s);
    const res = await logout(browser, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: `${LOGGED_OUT}?foo=bar`,
    });
    noRedirect(res);
  });

  // OIDCCRpInitiatedLogoutBadIdTokenHint: a hint signed by another key → no redirect.
  it('oidcc-rp-initiated-logout-bad-id-token-hint', async () => {
    const { tokens, browser } = await codeFlow(s);
    const [h, p] = tokens.id_token!.split('.') as [string, string];
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const signature = sign('sha256', Buffer.from(`${h}.${p}`), privateKey).toString('base64url');
    noRedirect(
      await logout(browser, {
        id_token_hint: `${h}.${p}.${signature}`,
        post_logout_redirect_uri: LOGGED_OUT,
      }),
    );
    assert.equal(await signedOut(browser), false);
  });
});

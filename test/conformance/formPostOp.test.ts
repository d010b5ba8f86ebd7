/**
 * Form Post OP plan: OIDCCFormPostBasicTestPlan of openid-certification/conformance-suite — the
 * Basic OP modules with response_mode=form_post (AbstractFormPostTestPlan switches the ResponseMode
 * variant; the suite reads the response from the POSTed form). Each module here is the Basic one
 * with its response read from the auto-submitting page; the rest of each module's checks are the
 * Basic plan's (basicOp.test.ts), which share the code path after the response is delivered.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { FormBrowser, readForm } from '../support/formBrowser.js';
import { authorizationUrl, exchange, REDIRECT, startScene, type Scene } from './scene.js';

interface Posted {
  /** The response fields as the redirect URI receives them (a callback URL for openid-client). */
  callback: URL;
  fields: Record<string, string>;
  csp: string;
  html: string;
}

/** Reads the auto-submitting form page: it must POST to the redirect URI, nothing else. */
async function formPostPage(res: Response): Promise<Posted> {
  assert.equal(res.status, 200, `expected the form_post page, got ${res.status}`);
  assert.equal(res.headers.get('location'), null);
  const html = await res.text();
  const form = readForm(html);
  assert.equal(form.action, REDIRECT);
  assert.match(html, /<form method="post"/);
  const callback = new URL(REDIRECT);
  for (const [k, v] of Object.entries(form.fields)) callback.searchParams.set(k, v);
  return { callback, fields: form.fields, csp: res.headers.get('content-security-policy') ?? '', html };
}

/** Log in and consent, then read the form_post page the last step answers with. */
async function signInFormPost(s: Scene, browser: FormBrowser, url: URL): Promise<Posted> {
  let res = await browser.get(url.href);
  for (let step = 0; step < 3 && res.status === 200; step++) {
    const html = await res.text();
    const form = readForm(html);
    if (!form.action.startsWith('/oauth/authorize/')) {
      return formPostPage(new Response(html, { status: 200, headers: res.headers }));
    }
    const extra: Record<string, string> = form.action.endsWith('/login')
      ? { email: s.person.email, password: s.person.password }
      : { decision: 'allow' };
    res = await browser.post(s.k.baseUrl + form.action, { ...form.fields, ...extra });
  }
  return formPostPage(res);
}

const formPost = { response_mode: 'form_post' };

describe('OpenID conformance: Form Post OP plan (OIDCCFormPostBasicTestPlan)', () => {
  let s: Scene;
  before(async () => {
    s = await startScene();
  });
  after(() => s.close());

  it('discovery lists form_post and only supported response modes', () => {
    assert.deepEqual(s.discovery.response_modes_supported, ['query', 'form_post']);
  });

  // OIDCCServerTest (form_post): code, state and iss arrive in the POSTed form; the flow completes.
  it('oidcc-server (form_post)', async () => {
    const browser = new FormBrowser();
    const { url, state, nonce } = authorizationUrl(s, { extra: formPost });
    const posted = await signInFormPost(s, browser, url);
    assert.ok(posted.fields.code);
    assert.equal(posted.fields.state, state);
    assert.equal(posted.fields.iss, s.k.baseUrl);
    const { idToken } = await exchange(s, posted.callback, state, nonce, browser);
    assert.equal(idToken.sub, s.person.id);
  });

  // The page: no unsafe-inline; its one script carries the CSP nonce; the form may go only to the
  // redirect URI; a noscript button for browsers without scripts.
  it('the form_post page: nonce script, form-action to the redirect URI only, no unsafe-inline', async () => {
    const browser = new FormBrowser();
    const { url } = authorizationUrl(s, { extra: formPost });
    const posted = await signInFormPost(s, browser, url);
    assert.doesNotMatch(posted.csp, /unsafe-inline/);
    const nonce = posted.csp.match(/script-src 'nonce-([A-Za-z0-9_-]+)'/)?.[1];
    assert.ok(nonce, posted.csp);
    assert.match(posted.csp, new RegExp(`form-action ${REDIRECT.replace(/[.:/]/g, '\\$&')}(;|$)`));
    assert.match(posted.csp, /default-src 'none'/);
    const scripts = [...posted.html.matchAll(/<script([^>]*)>/g)];
    assert.equal(scripts.length, 1);
    assert.ok(scripts[0]![1]!.includes(`nonce="${nonce}"`));
    assert.match(posted.html, /<noscript>.*<button type="submit">/s);
  });

  // OIDCCResponseTypeMissing (form_post): the error is POSTed back too.
  it('oidcc-response-type-missing (form_post)', async () => {
    const { url, state } = authorizationUrl(s, { extra: formPost });
    url.searchParams.delete('response_type');
    const posted = await formPostPage(await new FormBrowser().get(url.href));
    assert.ok(['invalid_request', 'unsupported_response_type'].includes(posted.fields.error!));
    assert.equal(posted.fields.state, state);
  });

  // OIDCCPromptNoneNotLoggedIn (form_post): login_required in the form.
  it('oidcc-prompt-none-not-logged-in (form_post)', async () => {
    const { url, state } = authorizationUrl(s, { extra: { ...formPost, prompt: 'none' } });
    const posted = await formPostPage(await new FormBrowser().get(url.href));
    assert.equal(posted.fields.error, 'login_required');
    assert.equal(posted.fields.state, state);
    assert.equal(posted.fields.code, undefined);
  });

  // OIDCCPromptNoneLoggedIn (form_post): with a session, the code comes in the form at once.
  it('oidcc-prompt-none-logged-in (form_post)', async () => {
    const browser = new FormBrowser();
    const first = authorizationUrl(s, { extra: formPost });
    const one = await exchange(
      s,
      (await signInFormPost(s, browser, first.url)).callback,
      first.state,
      first.nonce,
      browser,
    );
    const { url, state, nonce } = authorizationUrl(s, { extra: { ...formPost, prompt: 'none' } });
    const posted = await formPostPage(await browser.get(url.href));
    const two = await exchange(s, posted.callback, state, nonce, browser);
    assert.equal(two.idToken.sub, one.idToken.sub);
    assert.equal(two.idToken.auth_time, one.idToken.auth_time);
  });

  // OIDCCAuthCodeReuse (form_post): the second use of the code is invalid_grant.
  it('oidcc-codereuse (form_post)', async () => {
    const browser = new FormBrowser();
    const { url, state, nonce } = authorizationUrl(s, { extra: formPost });
    const posted = await signInFormPost(s, browser, url);
    await exchange(s, posted.callback, state, nonce, browser);
    await assert.rejects(
      oidc.authorizationCodeGrant(s.config, posted.callback, { expectedState: state }),
      (e: unknown) => (e as { error?: string }).error === 'invalid_grant',
    );
  });

  // OIDCCEnsureRegisteredRedirectUri (form_post): an error page, never a form to that URI.
  it('oidcc-ensure-registered-redirect-uri (form_post)', async () => {
    const bad = 'http://127.0.0.1:9/not-registered';
    const { url } = authorizationUrl(s, { extra: { ...formPost, redirect_uri: bad } });
    const res = await new FormBrowser().get(url.href);
    assert.equal(res.status, 400);
    assert.doesNotMatch(await res.text(), /not-registered"/);
  });

  // OIDCCScopeAll (form_post): every identity scope through the form_post response.
  it('oidcc-scope-all (form_post)', async () => {
    const browser = new FormBrowser();
    const scope = 'openid address email phone profile';
    const { url, state, nonce } = authorizationUrl(s, { scope, extra: formPost });
    const { tokens } = await exchange(
      s,
      (await signInFormPost(s, browser, url)).callback,
      state,
      nonce,
      browser,
    );
    const info = await oidc.fetchUserInfo(s.config, tokens.access_token, s.person.id);
    assert.ok(info.address && info.phone_number && info.email && info.name);
  });

  // fragment (and unknown modes) are refused, in the query, rather than silently answered there.
  for (const mode of ['fragment', 'web_message']) {
    it(`response_mode=${mode} is refused with invalid_request`, async () => {
      const { url, state } = authorizationUrl(s, { extra: { response_mode: mode } });
      const res = await new FormBrowser().get(url.href);
      assert.equal(res.status, 303);
      const back = new URL(res.headers.get('location')!);
      assert.equal(back.searchParams.get('error'), 'invalid_request');
      assert.equal(back.searchParams.get('state'), state);
      assert.equal(back.searchParams.get('code'), null);
    });
  }
});

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { insertClient, insertPerson, type TestClient } from '../support/fixtures.js';
import { FormBrowser, readForm, signInAndConsent } from '../support/formBrowser.js';
import { startKeyward, type Harness } from '../support/harness.js';

const REDIRECT = 'http://127.0.0.1:9/cb?app=1';
const j = (r: Response): Promise<any> => r.json();
const verifier = () => randomBytes(32).toString('base64url');
const challenge = (v: string) => createHash('sha256').update(v).digest('base64url');

describe('authorization endpoint and code/refresh grants: RFC 9700 points', () => {
  let k: Harness;
  let app: TestClient;
  let other: TestClient;
  let publicApp: TestClient;
  let online: TestClient;
  let person: { id: string; email: string; password: string };

  const authorizeUrl = (client: TestClient, extra: Record<string, string> = {}) =>
    `${k.baseUrl}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: client.id, redirect_uri: REDIRECT, scope: 'openid', state: 'st', ...extra })}`;

  const token = (client: TestClient, fields: Record<string, string>) =>
    fetch(`${k.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: client.id,
        ...(client.secret ? { client_secret: client.secret } : {}),
        ...fields,
      }),
    });

  /** A fresh code for `client` with PKCE, and its verifier. */
  async function code(client: TestClient, browser = new FormBrowser()) {
    const v = verifier();
    const back = await signInAndConsent(
      browser,
      authorizeUrl(client, { code_challenge: challenge(v), code_challenge_method: 'S256' }),
      person.email,
      person.password,
    );
    return { code: back.searchParams.get('code')!, verifier: v, back };
  }

  before(async () => {
    k = await startKeyward({ listen: true });
    app = await insertClient(k, { redirectUris: [REDIRECT] });
    other = await insertClient(k, { redirectUris: [REDIRECT] });
    publicApp = await insertClient(k, { type: 'PUBLIC', redirectUris: [REDIRECT] });
    online = await insertClient(k, {
      accessType: 'ONLINE',
      grantTypes: ['AUTHORIZATION_CODE'],
      redirectUris: [REDIRECT],
    });
    person = await insertPerson(k);
  });
  after(() => k.close());

  it('unknown client or unregistered redirect URI: error page, never a redirect', async () => {
    const browser = new FormBrowser();
    for (const url of [
      authorizeUrl({ id: 'nope' }),
      authorizeUrl(app, { redirect_uri: 'https://evil.example/cb' }),
      authorizeUrl(app, { redirect_uri: 'http://127.0.0.1:9/cb?app=2' }), // changed query
      authorizeUrl(app, { redirect_uri: 'http://127.0.0.1:9/cb?app=1&x=1' }),
      authorizeUrl(app, { redirect_uri: 'http://127.0.0.1:9/cb' }),
    ]) {
      const res = await browser.get(url);
      assert.equal(res.status, 400, url);
      assert.equal(res.headers.get('location'), null);
      assert.match(await res.text(), /Cannot continue/);
    }
  });

  it('errors after the redirect URI is verified go back to it with state and iss', async () => {
    const res = await new FormBrowser().get(authorizeUrl(app, { response_type: 'token' }));
    assert.equal(res.status, 303);
    const back = new URL(res.headers.get('location')!);
    assert.equal(back.origin + back.pathname, 'http://127.0.0.1:9/cb');
    assert.equal(back.searchParams.get('app'), '1', 'the registered query is kept');
    assert.equal(back.searchParams.get('error'), 'unsupported_response_type');
    assert.equal(back.searchParams.get('state'), 'st');
    assert.equal(back.searchParams.get('iss'), k.baseUrl);
  });

  it('PKCE: plain is refused; public clients must send S256', async () => {
    const plain = await new FormBrowser().get(
      authorizeUrl(app, { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }),
    );
    assert.equal(new URL(plain.headers.get('location')!).searchParams.get('error'), 'invalid_request');
    const noMethod = await new FormBrowser().get(authorizeUrl(app, { code_challenge: 'a'.repeat(43) }));
    assert.equal(new URL(noMethod.headers.get('location')!).searchParams.get('error'), 'invalid_request');
    const missing = await new FormBrowser().get(authorizeUrl(publicApp));
    const err = new URL(missing.headers.get('location')!);
    assert.equal(err.searchParams.get('error'), 'invalid_request');
    assert.match(err.searchParams.get('error_description')!, /PKCE/);
  });

  it('a wrong or missing code_verifier is refused; the right one works once', async () => {
    const c = await code(app);
    const wrong = await token(app, {
      grant_type: 'authorization_code',
      code: c.code,
      redirect_uri: REDIRECT,
      code_verifier: verifier(),
    });
    assert.equal(wrong.status, 400);
    assert.equal((await j(wrong)).error, 'invalid_grant');
    const missing = await token(app, {
      grant_type: 'authorization_code',
      code: c.code,
      redirect_uri: REDIRECT,
    });
    assert.equal((await j(missing)).error, 'invalid_grant');
    const ok = await token(app, {
      grant_type: 'authorization_code',
      code: c.code,
      redirect_uri: REDIRECT,
      code_verifier: c.verifier,
    });
    assert.equal(ok.status, 200);
  });

  it('a public client exchanges its code with PKCE and no secret', async () => {
    const c = await code(publicApp);
    const ok = await token(publicApp, {
      grant_type: 'authorization_code',
      code: c.code,
      redirect_uri: REDIRECT,
      code_verifier: c.verifier,
    });
    assert.equal(ok.status, 200, await ok.clone().text());
    assert.ok((await j(ok)).access_token);
  });

  it('a replayed code fails and revokes the tokens it issued', async () => {
    const c = await code(app);
    const first = await token(app, {
      grant_type: 'authorization_code',
      code: c.code,
      redirect_uri: REDIRECT,
      code_verifier: c.verifier,
    });
    const issued = await j(first);
    const replay = await token(app, {
      grant_type: 'authorization_code',
      code: c.code,
      redirect_uri: REDIRECT,
      code_verifier: c.verifier,
    });
    assert.equal(replay.status, 400);
    assert.equal((await j(replay)).error, 'invalid_grant');
    const refresh = await token(app, { grant_type: 'refresh_token', refresh_token: issued.refresh_token });
    assert.equal((await j(refresh)).error, 'invalid_grant');
    const call = await fetch(`${k.baseUrl}/oauth/userinfo`, {
      headers: { authorization: `Bearer ${issued.access_token}` },
    });
    assert.equal(call.status, 401);
  });

  it('a code is bound to its client and redirect URI', async () => {
    const c = await code(app);
    const stolen = await token(other, {
      grant_type: 'authorization_code',
      code: c.code,
      redirect_uri: REDIRECT,
      code_verifier: c.verifier,
    });
    assert.equal((await j(stolen)).error, 'invalid_grant');
    const otherUri = await token(app, {
      grant_type: 'authorization_code',
      code: c.code,
      redirect_uri: 'http://127.0.0.1:9/cb',
      code_verifier: c.verifier,
    });
    assert.equal((await j(otherUri)).error, 'invalid_grant');
    const still = await token(app, {
      grant_type: 'authorization_code',
      code: c.code,
      redirect_uri: REDIRECT,
      code_verifier: c.verifier,
    });
    assert.equal(still.status, 200, 'failed attempts by others do not burn the code');
  });

  it('an expired code is refused', async () => {
    const c = await code(app);
    await k.services.store.db
      .updateTable('authorization_codes')
      .set({ expires_at: Date.now() - 1 })
      .execute();
    const res = await token(app, {
      grant_type: 'authorization_code',
      code: c.code,
      redirect_uri: REDIRECT,
      code_verifier: c.verifier,
    });
    assert.equal((await j(res)).error_description, 'The authorization code has expired.');
  });

  it('an ONLINE client gets no refresh token and may not use the refresh grant', async () => {
    const c = await code(online);
    const res = await token(online, {
      grant_type: 'authorization_code',
      code: c.code,
      redirect_uri: REDIRECT,
      code_verifier: c.verifier,
    });
    const body = await j(res);
    assert.ok(body.access_token);
    assert.equal(body.refresh_token, undefined);
    const refresh = await token(online, { grant_type: 'refresh_token', refresh_token: 'anything' });
    assert.equal((await j(refresh)).error, 'unauthorized_client');
  });

  it('the login form without its CSRF token is refused and signs nobody in', async () => {
    const browser = new FormBrowser();
    const page = await browser.get(
      authorizeUrl(app, { code_challenge: challenge(verifier()), code_challenge_method: 'S256' }),
    );
    const form = readForm(await page.text());
    const { csrf: _drop, ...noCsrf } = form.fields;
    const res = await browser.post(`${k.baseUrl}${form.action}`, {
      ...noCsrf,
      email: person.email,
      password: person.password,
    });
    assert.equal(res.status, 403);
    assert.equal(browser.cookies.has('kw_session'), false);
    const forged = await browser.post(`${k.baseUrl}${form.action}`, {
      ...form.fields,
      csrf: 'x'.repeat(32),
      email: person.email,
      password: person.password,
    });
    assert.equal(forged.status, 403);
  });

  it('session cookie is HttpOnly and SameSite=Lax', async () => {
    const browser = new FormBrowser();
    const page = await browser.get(
      authorizeUrl(app, { code_challenge: challenge(verifier()), code_challenge_method: 'S256' }),
    );
    const form = readForm(await page.text());
    const res = await browser.post(`${k.baseUrl}${form.action}`, {
      ...form.fields,
      email: person.email,
      password: person.password,
    });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('kw_session='))!;
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.doesNotMatch(cookie, /Secure/, 'http issuer: no Secure flag');
  });

  it('prompt=none without a session: login_required back to the client', async () => {
    const res = await new FormBrowser().get(authorizeUrl(app, { prompt: 'none' }));
    assert.equal(new URL(res.headers.get('location')!).searchParams.get('error'), 'login_required');
  });

  it('denying consent returns access_denied', async () => {
    const v = verifier();
    const back = await signInAndConsent(
      new FormBrowser(),
      authorizeUrl(other, {
        code_challenge: challenge(v),
        code_challenge_method: 'S256',
        scope: 'openid email',
      }),
      person.email,
      person.password,
      'deny',
    );
    assert.equal(back.searchParams.get('error'), 'access_denied');
  });

  it('repeated wrong passwords: slowed down, and the message never says whether the account exists', async () => {
    const victim = await insertPerson(k);
    const browser = new FormBrowser();
    const attempt = async (email: string, password: string) => {
      const page = await browser.get(
        authorizeUrl(app, { code_challenge: challenge(verifier()), code_challenge_method: 'S256' }),
      );
      const form = readForm(await page.text());
      return browser.post(`${k.baseUrl}${form.action}`, { ...form.fields, email, password });
    };
    const unknown = await attempt('nobody@example.test', 'whatever');
    const wrong = await attempt(victim.email, 'wrong');
    const textOf = async (r: Response) => (await r.text()).match(/role="alert">([^<]*)</)?.[1];
    assert.equal(unknown.status, 401);
    assert.equal(await textOf(unknown), await textOf(wrong));
    for (let i = 0; i < 5; i++) await attempt(victim.email, 'wrong');
    const locked = await attempt(victim.email, victim.password);
    assert.equal(locked.status, 401, 'even the right password is refused while locked');
    const row = await k.services.store.db
      .selectFrom('login_throttle')
      .selectAll()
      .where('key', '=', `account:${victim.email}`)
      .executeTakeFirstOrThrow();
    assert.equal(row.failures, 6);
    assert.ok(row.locked_until! > Date.now());
    const address = await k.services.store.db
      .selectFrom('login_throttle')
      .selectAll()
      .where('key', '=', 'address:127.0.0.1')
      .executeTakeFirstOrThrow();
    assert.equal(address.locked_until, null, 'an address gets more room than an account');
    await k.services.store.db.deleteFrom('login_throttle').execute();
  });

  it('open redirect attempts through logout are refused', async () => {
    const res = await new FormBrowser().get(
      `${k.baseUrl}/oauth/logout?post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`,
    );
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('location'), null);
  });

  it('refresh tokens: another client cannot use one; scope cannot grow', async () => {
    const c = await code(app);
    const issued = await j(
      await token(app, {
        grant_type: 'authorization_code',
        code: c.code,
        redirect_uri: REDIRECT,
        code_verifier: c.verifier,
      }),
    );
    const theft = await token(other, { grant_type: 'refresh_token', refresh_token: issued.refresh_token });
    assert.equal((await j(theft)).error, 'invalid_grant');
    const grow = await token(app, {
      grant_type: 'refresh_token',
      refresh_token: issued.refresh_token,
      scope: 'openid email',
    });
    assert.equal((await j(grow)).error, 'invalid_scope');
    const ok = await token(app, { grant_type: 'refresh_token', refresh_token: issued.refresh_token });
    assert.equal(ok.status, 200);
  });
});

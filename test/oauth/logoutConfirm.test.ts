/**
 * Issue 13 §7: GET /oauth/logout without a valid id_token_hint ends nothing until the person
 * confirms on a page whose form carries the CSRF double-submit token; with a valid hint it ends
 * the session at once, as before.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { insertClient, insertPerson, type TestClient } from '../support/fixtures.js';
import { FormBrowser, readForm, signInAndConsent } from '../support/formBrowser.js';
import { startKeyward, type Harness } from '../support/harness.js';

const REDIRECT = 'http://127.0.0.1:9/callback';

describe('RP-initiated logout needs a valid id_token_hint or a confirmation (issue 13 §7)', () => {
  let k: Harness;
  let client: TestClient;
  let person: { email: string; password: string };
  before(async () => {
    k = await startKeyward({ env: { KEYWARD_RATE_LIMIT_MAX: '0' }, listen: true });
    client = await insertClient(k, {
      redirectUris: [REDIRECT],
      postLogoutRedirectUris: [REDIRECT],
      scopes: ['openid'],
    });
    person = await insertPerson(k);
  });
  after(() => k.close());

  const authorizeUrl = (verifier: string, extra: Record<string, string> = {}) =>
    `${k.baseUrl}/oauth/authorize?${new URLSearchParams({
      response_type: 'code',
      client_id: client.id,
      redirect_uri: REDIRECT,
      scope: 'openid',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      ...extra,
    })}`;

  /** A signed-in browser and its ID token. */
  async function signedIn(): Promise<{ browser: FormBrowser; idToken: string }> {
    const browser = new FormBrowser();
    const verifier = randomBytes(32).toString('base64url');
    const back = await signInAndConsent(browser, authorizeUrl(verifier), person.email, person.password);
    const res = await fetch(`${k.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: back.searchParams.get('code')!,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
        client_id: client.id,
        client_secret: client.secret!,
      }),
    });
    assert.equal(res.status, 200);
    return { browser, idToken: ((await res.json()) as { id_token: string }).id_token };
  }

  /** Whether the browser still has a Keyward session (prompt=none answers with a code). */
  async function stillSignedIn(browser: FormBrowser): Promise<boolean> {
    const res = await browser.get(authorizeUrl(randomBytes(32).toString('base64url'), { prompt: 'none' }));
    const location = new URL(res.headers.get('location')!);
    return location.searchParams.has('code');
  }

  const forged = (idToken: string) => {
    const [h, p] = idToken.split('.');
    return `${h}.${p}.${Buffer.from('not our signature').toString('base64url')}`;
  };

  const HINTLESS: { name: string; hint: (idToken: string) => string | undefined }[] = [
    { name: 'no id_token_hint', hint: () => undefined },
    { name: 'a forged id_token_hint', hint: forged },
    { name: 'a malformed id_token_hint', hint: () => 'garbage' },
  ];

  for (const { name, hint } of HINTLESS) {
    it(`GET with ${name} shows a confirmation page and ends nothing`, async () => {
      const { browser, idToken } = await signedIn();
      const q = new URLSearchParams({
        post_logout_redirect_uri: REDIRECT,
        client_id: client.id,
        state: 's1',
      });
      const h = hint(idToken);
      if (h) q.set('id_token_hint', h);
      const res = await browser.get(`${k.baseUrl}/oauth/logout?${q}`);
      assert.equal(res.status, 200);
      const form = readForm(await res.text());
      assert.equal(form.action, '/oauth/logout');
      assert.ok(form.fields.csrf, 'the form carries the CSRF token');
      assert.equal(await stillSignedIn(browser), true);
    });
  }

  it('a cross-site POST without the CSRF token ends nothing; the confirmed form ends the session', async () => {
    const { browser } = await signedIn();
    const page = await browser.get(
      `${k.baseUrl}/oauth/logout?${new URLSearchParams({ post_logout_redirect_uri: REDIRECT, client_id: client.id, state: 'bye' })}`,
    );
    const form = readForm(await page.text());
    const forgedPost = await browser.post(`${k.baseUrl}/oauth/logout`, {
      ...form.fields,
      csrf: 'x'.repeat(32),
    });
    assert.equal(forgedPost.status, 200, 'shown the confirmation page again');
    const noToken = { ...form.fields };
    delete noToken.csrf;
    assert.equal((await browser.post(`${k.baseUrl}/oauth/logout`, noToken)).status, 200);
    assert.equal(await stillSignedIn(browser), true);

    const confirmed = await browser.post(`${k.baseUrl}/oauth/logout`, form.fields);
    assert.equal(confirmed.status, 303);
    assert.equal(confirmed.headers.get('location'), `${REDIRECT}?state=bye`);
    assert.equal(await stillSignedIn(browser), false);
  });

  it('a valid id_token_hint ends the session at once (GET, as before)', async () => {
    const { browser, idToken } = await signedIn();
    const q = new URLSearchParams({
      id_token_hint: idToken,
      post_logout_redirect_uri: REDIRECT,
      state: 'now',
    });
    const res = await browser.get(`${k.baseUrl}/oauth/logout?${q}`);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `${REDIRECT}?state=now`);
    assert.equal(await stillSignedIn(browser), false);
  });

  it('an unregistered post_logout_redirect_uri is still refused with 400 first', async () => {
    const res = await new FormBrowser().get(
      `${k.baseUrl}/oauth/logout?post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`,
    );
    assert.equal(res.status, 400);
  });
});

import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { chromium, type Browser } from 'playwright-core';
import { insertClient, insertPerson, type TestClient } from '../support/fixtures.js';
import { CHROMIUM, CHROMIUM_ARGS as ARGS, skipWithoutChromium } from '../support/chromium.js';
import { freePort, startKeyward, type Harness } from '../support/harness.js';

describe('the code flow in real headless Chromium', { skip: skipWithoutChromium }, () => {
  let k: Harness;
  let browser: Browser;
  let app: TestClient;
  let callback: Server;
  let redirectUri: string;
  let person: { email: string; password: string; id: string };

  before(async () => {
    k = await startKeyward({ listen: true });
    const port = await freePort();
    redirectUri = `http://127.0.0.1:${port}/callback`;
    // The application's own callback page: a real server the browser lands on.
    callback = createServer((_req, res) => res.end('<html><body>back at the app</body></html>'));
    await new Promise<void>((r) => callback.listen(port, '127.0.0.1', r));
    app = await insertClient(k, { redirectUris: [redirectUri] });
    person = await insertPerson(k);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  after(async () => {
    await browser?.close();
    callback?.close();
    await k?.close();
  });

  it('logs in through the real pages, consents, lands on the app with a code that exchanges for tokens', async (t) => {
    const config = await oidc.discovery(new URL(k.baseUrl), app.id, app.secret, undefined, {
      execute: [oidc.allowInsecureRequests],
    });
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    const page = await browser.newPage();
    await page.goto(url.href);
    assert.equal(await page.title(), 'Sign in · Keyward');
    mkdirSync('test-output', { recursive: true });
    await page.screenshot({ path: 'test-output/login-page.png', fullPage: true });
    assert.ok(statSync('test-output/login-page.png').size > 1000);
    t.diagnostic('login page screenshot: test-output/login-page.png');

    await page.fill('#email', person.email);
    await page.fill('#password', person.password);
    await page.click('button[type=submit]');
    await page.waitForSelector('text=Allow access?');
    await page.click('button[value=allow]');
    await page.waitForURL((u) => u.href.startsWith(redirectUri));
    assert.match(await page.content(), /back at the app/);

    const back = new URL(page.url());
    assert.equal(back.searchParams.get('state'), state);
    const tokens = await oidc.authorizationCodeGrant(config, back, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    assert.equal(tokens.claims()!.email, person.email);
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'kw_session')!;
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Lax');
  });
});

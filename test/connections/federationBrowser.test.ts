import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { chromium, type Browser } from 'playwright-core';
import { insertClient, type TestClient } from '../support/fixtures.js';
import { CHROMIUM, CHROMIUM_ARGS as ARGS, skipWithoutChromium } from '../support/chromium.js';
import { freePort, startKeyward, type Harness } from '../support/harness.js';
import { caller } from './support/connectionsSupport.js';
import { startUpstream, type Upstream } from './support/upstream.js';

describe(
  'federated login in real headless Chromium: Keyward login page → "Sign in with" → upstream → back to the app',
  { skip: skipWithoutChromium },
  () => {
    let k: Harness;
    let upstream: Upstream;
    let browser: Browser | undefined;
    let launchError: string | undefined;
    let app: TestClient;
    let callback: Server;
    let redirectUri: string;

    before(async () => {
      k = await startKeyward({ listen: true, env: { KEYWARD_UPSTREAM_ALLOW: '127.0.0.1' } });
      upstream = await startUpstream({ redirectUri: `${k.baseUrl}/sso/callback` });
      const created = await caller(k, await k.token())('POST', '/v1/connections', {
        connectionId: 'upstream',
        authenticationUrl: `${upstream.issuer}/auth`,
        tokenUrl: `${upstream.issuer}/token`,
        issuerUrl: upstream.issuer,
        clientId: upstream.clientId,
        clientSecret: upstream.clientSecret,
        data: { name: 'Upstream IdP', supportedContentType: 'application/x-www-form-urlencoded' },
      });
      assert.equal(created.status, 201);
      const port = await freePort();
      redirectUri = `http://127.0.0.1:${port}/callback`;
      callback = createServer((_req, res) => res.end('<html><body>back at the app</body></html>'));
      await new Promise<void>((r) => callback.listen(port, '127.0.0.1', r));
      app = await insertClient(k, { redirectUris: [redirectUri] });
      try {
        browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
      } catch (error) {
        launchError = (error as Error).message.split('\n')[0];
      }
    });
    after(async () => {
      await browser?.close();
      callback?.close();
      await upstream?.close();
      await k?.close();
    });

    it("signs in through the upstream provider's pages and lands on the app with a code that exchanges for tokens", async (t) => {
      if (!browser) return t.skip(`Chromium could not launch: ${launchError}`);
      const config = await oidc.discovery(new URL(k.baseUrl), app.id, app.secret, undefined, {
        execute: [oidc.allowInsecureRequests],
      });
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
      });
      const page = await browser.newPage();
      await page.goto(url.href);
      assert.equal(await page.title(), 'Sign in · Keyward');
      mkdirSync('test-output', { recursive: true });
      await page.screenshot({ path: 'test-output/login-page-connections.png', fullPage: true });
      assert.ok(statSync('test-output/login-page-connections.png').size > 1000);
      t.diagnostic('login page with a connection button: test-output/login-page-connections.png');

      await page.click('text=Sign in with Upstream IdP');
      await page.waitForURL((u) => u.href.startsWith(upstream.issuer));
      await page.fill('input[name=login]', upstream.account.id);
      await page.fill('input[name=password]', 'anything');
      await page.click('button[type=submit]');
      await page.waitForSelector('text=Continue'); // the upstream's consent
      await page.click('button[type=submit]');
      await page.waitForSelector('text=Allow access?'); // Keyward's consent for the application
      await page.click('button[value=allow]');
      await page.waitForURL((u) => u.href.startsWith(redirectUri));
      assert.match(await page.content(), /back at the app/);

      const back = new URL(page.url());
      const tokens = await oidc.authorizationCodeGrant(config, back, {
        pkceCodeVerifier: verifier,
        expectedState: state,
      });
      assert.equal(tokens.claims()!.email, upstream.account.email);
      const cookies = await page.context().cookies(k.baseUrl);
      assert.ok(cookies.find((c) => c.name === 'kw_session')?.httpOnly);
      const fed = cookies.find((c) => c.name === 'kw_fed');
      assert.ok(fed && fed.httpOnly && fed.sameSite === 'Lax');
    });
  },
);

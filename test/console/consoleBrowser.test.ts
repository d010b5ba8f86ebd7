/**
 * The admin console end to end in Debian's headless Chromium against a real Keyward on a fresh
 * database: sign in as the bootstrap admin, create a person and an application, rotate a key, sign
 * out; what the server then holds is asserted through the API. Every page: a screenshot in
 * test-output/console/ and axe-core with zero serious or critical violations.
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, skipWithoutChromium } from '../support/chromium.js';
import { startKeyward, TEST_DB, type Harness } from '../support/harness.js';
import { callerWith } from '../support/tenants.js';
import {
  buildConsole,
  checkPage,
  heading as headingOf,
  initialJsGzip,
  nav as navTo,
  OUT,
} from './consoleSupport.js';

describe('the admin console in real headless Chromium', { skip: skipWithoutChromium }, () => {
  let k: Harness;
  let browser: Browser;
  let page: Page;
  let dir: string;
  const cspErrors: string[] = [];
  const axeFindings: string[] = [];

  const check = (name: string) => checkPage(page, name, axeFindings);

  const tokenStatus = async (clientId: string, clientSecret: string) =>
    (
      await k.app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
        }).toString(),
      })
    ).statusCode;
  const heading = (text: string) => headingOf(page, text);
  const nav = (label: string) => navTo(page, label);

  before(async () => {
    dir = buildConsole();
    k = await startKeyward({ listen: true, env: { KEYWARD_CONSOLE: 'true', KEYWARD_CONSOLE_DIR: dir } });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
  });
  after(async () => {
    await browser?.close();
    await k?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('signs in, creates a person and an application, rotates a key, signs out', async (t) => {
    const api = callerWith(k, await k.token());
    const gzip = initialJsGzip(dir);
    t.diagnostic(`initial JS: ${(gzip / 1024).toFixed(1)} kB gzip`);
    assert.ok(gzip <= 250 * 1024, `initial JS ${gzip} bytes gzip exceeds 250 kB`);

    // Sign in: /console → /oauth/authorize (code + PKCE) → login → consent → back, signed in.
    await page.goto(`${k.baseUrl}/console/`);
    await page.waitForSelector('#email');
    assert.equal(await page.title(), 'Sign in · Keyward');
    await page.fill('#email', k.admin.adminEmail);
    await page.fill('#password', k.admin.adminPassword);
    await page.click('button[type=submit]');
    await page.waitForSelector('text=Allow access?');
    await page.click('button[value=allow]');
    await heading('Overview');
    assert.equal(new URL(page.url()).pathname, '/console/');
    await page.getByText('Signed in as Administrator').waitFor();
    // The 24-hour chart counts this sign-in (one login, the console's token).
    await page.getByRole('img', { name: /Per hour over the last 24 hours/ }).waitFor();
    await page.getByText(/^[1-9]\d* access tokens issued to people, 1 logins\./).waitFor();
    await check('overview');

    // A reload loses the in-memory tokens: the console signs in again silently (session + consent).
    const started = performance.now();
    await page.goto(`${k.baseUrl}/console/people`);
    await heading('People');
    const interactiveMs = performance.now() - started;
    // From the start of the last document (the sign-in callback) to the list shown: code exchange,
    // /admin/v1/me and the first page of people.
    const pageMs = Number(await page.evaluate('performance.now()'));
    t.diagnostic(`console interactive from its page load: ${pageMs.toFixed(0)} ms`);
    t.diagnostic(
      `console page interactive after a full load (silent re-sign-in included): ${interactiveMs.toFixed(0)} ms`,
    );
    writeFileSync(
      `${OUT}/metrics-${TEST_DB}.json`,
      JSON.stringify(
        {
          initialJsGzipBytes: gzip,
          pageInteractiveMs: Math.round(pageMs),
          withSilentSignInMs: Math.round(interactiveMs),
        },
        null,
        2,
      ),
    );
    await page.getByRole('cell', { name: k.admin.adminEmail }).waitFor();
    await check('people');

    // Create a person.
    await page.getByRole('link', { name: 'Add a person' }).click();
    await heading('Add a person');
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Display name').fill('Ada Lovelace');
    await page.getByLabel('user_admin').check();
    await check('person-new');
    await page.getByRole('button', { name: 'Create person' }).click();
    await page.getByText('The person was created.').waitFor();
    await heading('Ada Lovelace');
    const personId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    await check('person-detail');
    const person = await api('GET', `/v1/people/${personId}`);
    assert.equal(person.status, 200);
    assert.deepEqual(person.body.emails, ['ada@example.com']);
    assert.deepEqual(person.body.roles, ['user_admin']);

    // Search finds her (server-side, by display-name prefix).
    await nav('People');
    await page.getByLabel('Search by email or name').fill('ada');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Ada Lovelace' }).waitFor();
    assert.equal(await page.getByRole('cell', { name: k.admin.adminEmail }).count(), 0);

    // Create a machine-to-machine application; its secret is shown once and works.
    await nav('Applications');
    await check('applications');
    await page.getByRole('link', { name: 'Create an application' }).click();
    await heading('Create an application');
    await check('application-wizard-kind');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Nightly sync');
    await page.getByLabel('Admin role of its tokens').selectOption('read_only_admin');
    await check('application-wizard-details');
    await page.getByRole('button', { name: 'Create application' }).click();
    await heading('Application created');
    const secret = (await page.getByTestId('client-secret').textContent())!.trim();
    const clientId = (await page.locator('.secret code').textContent())!.trim();
    await check('application-created');
    const client = await api('GET', `/v3/oauth-clients/${clientId}`);
    assert.equal(client.status, 200);
    assert.equal(client.body.name, 'Nightly sync');
    assert.deepEqual(client.body.grantTypes, ['CLIENT_CREDENTIALS']);
    assert.deepEqual(client.body.roles, ['read_only_admin']);
    assert.equal(await tokenStatus(clientId, secret), 200);
    await page.getByRole('link', { name: 'Open Nightly sync' }).click();
    await heading('Nightly sync');
    await check('application-detail');

    // Rotate its secret: the new one is shown once and works, the old one no longer does.
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByTestId('client-secret').waitFor();
    const rotatedSecret = (await page.getByTestId('client-secret').textContent())!.trim();
    assert.notEqual(rotatedSecret, secret);
    assert.equal(await tokenStatus(clientId, secret), 401);
    assert.equal(await tokenStatus(clientId, rotatedSecret), 200);

    // Access keys: created (shown once), then revoked; the server holds exactly that.
    await page.getByRole('button', { name: 'Create access key' }).click();
    const accessKey = (await page.getByTestId('access-key').textContent())!.trim();
    assert.ok(accessKey.length > 20);
    const keys = async () => (await api('GET', `/v1/clients/${clientId}/access-keys`)).body.keys;
    const [key] = await keys();
    await page.locator(`tr[data-key-id="${key.keyId}"]`).waitFor();
    await check('application-access-keys');
    await page.locator(`tr[data-key-id="${key.keyId}"]`).getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await page
      .locator(`tr[data-key-id="${key.keyId}"]`)
      .getByText(/^revoked/)
      .waitFor();
    assert.ok((await keys())[0].revokedDate, 'the key is revoked on the server');

    // Rotate the EdDSA signing key.
    const keysBefore = await api('GET', '/admin/v1/signingKeys');
    const oldKid = keysBefore.body.items.find((i: any) => i.alg === 'EdDSA' && i.state === 'active').kid;
    await nav('Signing keys');
    await page.getByRole('cell', { name: oldKid }).waitFor();
    await check('signing-keys');
    await page.getByRole('button', { name: 'Rotate EdDSA key' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate' }).click();
    await page.getByText('New EdDSA key').waitFor();
    const keysAfter = await api('GET', '/admin/v1/signingKeys');
    const states = new Map(keysAfter.body.items.map((i: any) => [i.kid, `${i.alg}:${i.state}`]));
    assert.equal(states.get(oldKid), 'EdDSA:retiring');
    assert.equal([...states.values()].filter((s) => s === 'EdDSA:active').length, 1);

    // The audit log shows what the admin did, attributed to the person.
    await nav('Audit log');
    await page.getByRole('cell', { name: 'signing_key.rotate' }).waitFor();
    await check('audit-log');
    const audit = await api('GET', '/v1/adminAudit/events?max=20');
    const rotation = audit.body.items.find((e: any) => e.action === 'signing_key.rotate');
    assert.match(rotation.actorId, /^person:/);

    // The other sections render from their APIs.
    for (const section of ['Organizations', 'Licenses', 'Authorisations', 'Connections']) {
      await nav(section);
      await page.waitForLoadState('networkidle');
      await check(section.toLowerCase());
    }

    // The console's own grant is listed for the admin; sign out revokes it and ends the session.
    const adminId = (await api('GET', `/v1/people?email=${encodeURIComponent(k.admin.adminEmail)}`)).body
      .items[0].id;
    const grantsOf = async () =>
      (await api('GET', `/v1/authorizations?personId=${adminId}`)).body.items.filter(
        (g: any) => g.clientId === 'keyward-console' && g.type === 'refresh',
      );
    // Two sign-ins so far (the reload above re-signed in): two refresh grants of the console. The
    // older one (the first page load's) is revoked from the admin's own page.
    const before = (await grantsOf()).sort((a: any, b: any) => a.created.localeCompare(b.created));
    assert.equal(before.length, 2);
    await nav('People');
    await page.getByRole('link', { name: 'Administrator' }).click();
    await heading('Administrator');
    await page.locator(`tr[data-grant-id="${before[0].id}"]`).getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await page.locator(`tr[data-grant-id="${before[0].id}"]`).waitFor({ state: 'detached' });
    // The admin's own live Keyward session is listed on their page.
    await page.getByRole('table', { name: 'Live sign-in sessions' }).getByRole('row').nth(1).waitFor();
    await check('person-grants');
    assert.deepEqual(
      (await grantsOf()).map((g: any) => g.id),
      [before[1].id],
    );
    await page.getByRole('button', { name: 'Sign out' }).click();
    // The console sends its ID token as id_token_hint: no confirmation page in between.
    await page.getByText('You are signed out.').waitFor();
    assert.equal(new URL(page.url()).pathname, '/console/signed-out');
    await check('signed-out');
    // Sign-out revoked this tab's grant too.
    assert.deepEqual(await grantsOf(), []);
    await page.goto(`${k.baseUrl}/console/`);
    await page.waitForSelector('#email');
    assert.equal(await page.title(), 'Sign in · Keyward');

    assert.deepEqual(cspErrors, [], 'the console broke its Content-Security-Policy');
    assert.deepEqual(axeFindings, [], 'serious or critical accessibility violations');
  });
});

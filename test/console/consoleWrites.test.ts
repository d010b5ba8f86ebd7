/**
 * The console's write pages in real headless Chromium: create a customer organization and manage
 * it, add a person there, assign and remove a license, create an authorisation type and an
 * authorisation, check it at a time, revoke it with a cause, see a SCIM filter error pointed at its
 * character, create/edit/delete an OIDC connection. What the server then holds is asserted through
 * the API; every page is screenshotted and checked with axe-core (zero serious/critical).
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, skipWithoutChromium } from '../support/chromium.js';
import { startKeyward, type Harness } from '../support/harness.js';
import { callerWith, type Caller } from '../support/tenants.js';
import { buildConsole, checkPage, heading, nav, signIn } from './consoleSupport.js';

describe('the console writes through the public APIs (real Chromium)', { skip: skipWithoutChromium }, () => {
  let k: Harness;
  let browser: Browser;
  let page: Page;
  let dir: string;
  let api: Caller;
  const axeFindings: string[] = [];
  const check = (name: string) => checkPage(page, name, axeFindings);

  before(async () => {
    dir = buildConsole();
    k = await startKeyward({ listen: true, env: { KEYWARD_CONSOLE: 'true', KEYWARD_CONSOLE_DIR: dir } });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    api = callerWith(k, await k.token());
  });
  after(async () => {
    await browser?.close();
    await k?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('creates and manages a customer org: person, license, authorisation, connection', async () => {
    await signIn(page, k);
    const root = (await api('GET', '/v1/organizations')).body.items.find((o: any) => !o.parentId);

    // Organizations: create a customer org under the root partner, then manage it.
    await nav(page, 'Organizations');
    await page.getByLabel('Organization name').fill('Acme Oy');
    await page.getByLabel('Code').fill('acme');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.getByText('Created Acme Oy.').waitFor();
    const acme = (await api('GET', '/v1/organizations')).body.items.find((o: any) => o.code === 'acme');
    assert.equal(acme.displayName, 'Acme Oy');
    assert.equal(acme.parentId, root.id);
    await page.locator(`tr[data-org-id="${acme.id}"]`).waitFor();
    await check('organizations-tree');
    await page.getByRole('button', { name: 'Manage Acme Oy' }).click();
    await page.getByText('Managing Acme Oy').waitFor();

    // People: a person created while managing Acme lands in Acme; the list shows Acme's people only.
    await nav(page, 'People');
    await page.getByRole('link', { name: 'Add a person' }).click();
    await heading(page, 'Add a person');
    await page.getByLabel('Email').fill('ada@acme.test');
    await page.getByLabel('Display name').fill('Ada Acme');
    await page.getByRole('button', { name: 'Create person' }).click();
    await heading(page, 'Ada Acme');
    const ada = (await api('GET', `/v1/people?email=${encodeURIComponent('ada@acme.test')}&orgId=${acme.id}`))
      .body.items[0];
    assert.equal(ada.orgId, acme.id);
    await nav(page, 'People');
    await page.getByRole('link', { name: 'Ada Acme' }).waitFor();
    assert.equal(await page.getByRole('cell', { name: k.admin.adminEmail }).count(), 0);

    // Licenses: assign Acme's license to Ada, then remove it.
    const created = await api('POST', '/v1/licenses', { orgId: acme.id, name: 'Meetings', totalUnits: 5 });
    assert.equal(created.status, 201);
    const licenseId = created.body.id;
    const holders = async () =>
      (await api('GET', `/v1/licenses/${licenseId}?includeAssignedTo=user&orgId=${acme.id}`)).body;
    await nav(page, 'Licenses');
    await page.getByRole('meter', { name: 'Meetings usage' }).waitFor();
    await check('licenses-inventory');
    await page.getByRole('link', { name: 'Meetings' }).click();
    await heading(page, 'Meetings');
    await page.getByLabel('Assign to (email)').fill('ada@acme.test');
    await page.getByRole('button', { name: 'Assign license' }).click();
    await page.getByText('Assigned to ada@acme.test.').waitFor();
    await page.getByRole('link', { name: 'Ada Acme' }).waitFor();
    await check('license-detail');
    let held = await holders();
    assert.equal(held.consumedUnits, 1);
    assert.deepEqual(
      held.users.map((u: any) => [u.id, u.type]),
      [[ada.id, 'INTERNAL']],
    );
    // The person's page lists the license too.
    await page.getByRole('link', { name: 'Ada Acme' }).click();
    await heading(page, 'Ada Acme');
    await page.getByRole('region', { name: 'Licenses' }).getByRole('link', { name: 'Meetings' }).click();
    await heading(page, 'Meetings');
    await page.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await page.getByText('Removed from ada@acme.test.').waitFor();
    held = await holders();
    assert.equal(held.consumedUnits, 0);
    assert.deepEqual(held.users, []);

    // Authorisations: a type in Acme's namespace, an authorisation, check, revoke with a cause.
    await nav(page, 'Authorisations');
    await page.getByLabel('New type code').fill('door');
    await page.getByLabel('New type name').fill('Door');
    await page.getByRole('button', { name: 'Add type' }).click();
    await page.getByText('Types (1)').waitFor();
    // A bad filter: the server's error, pointed at the character.
    await page.getByLabel('SCIM filter').fill('type eq "door" and');
    await page.getByRole('button', { name: 'Filter' }).click();
    const pointer = page.locator('pre.pointer');
    await pointer.waitFor();
    const [typed, caret] = (await pointer.textContent())!.split('\n');
    assert.equal(typed, 'type eq "door" and');
    const direct = await api(
      'GET',
      `/api/rest/v1/authorisation?filter=${encodeURIComponent('type eq "door" and')}`,
    );
    assert.equal(direct.status, 400);
    assert.equal(caret.indexOf('^'), direct.body.position, 'the caret sits where the server said');
    await check('authorisations-filter-error');
    await page.getByLabel('SCIM filter').fill('');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('link', { name: 'Create an authorisation' }).click();
    await heading(page, 'Create an authorisation');
    await page.getByLabel('Type', { exact: true }).selectOption('door');
    await page.getByLabel('Subject value').fill(ada.id);
    await page.getByLabel('Object type').selectOption('Target');
    await page.getByLabel('Object value').fill('front');
    await check('authorisation-new');
    await page.getByRole('button', { name: 'Create authorisation' }).click();
    await page.getByText('The authorisation was created.').waitFor();
    const authId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    let stored = (await api('GET', `/api/rest/v1/authorisation/${authId}`)).body;
    assert.equal(stored.nsCode, 'acme');
    assert.equal(stored.type, 'door');
    assert.deepEqual(stored.subject, { type: 'User', value: ada.id });
    assert.deepEqual(stored.object, { type: 'Target', value: 'front' });
    assert.equal(stored.active, true);
    await check('authorisation-detail');
    await page.getByLabel('Cause').fill('badge lost');
    await page.getByRole('button', { name: 'Revoke authorisation' }).click();
    await page
      .getByTestId('authorisation-state')
      .getByText(/^revoked/)
      .waitFor();
    stored = (await api('GET', `/api/rest/v1/authorisation/${authId}`)).body;
    assert.equal(stored.revoked, true);
    assert.equal(stored.revocationDetails.cause, 'badge lost');
    // Check at a time: before the revocation it was authorised, now it is not.
    await nav(page, 'Authorisations');
    const fillCheck = async (at: string) => {
      const form = page.getByRole('region', { name: 'Check at a time' });
      await form.getByLabel('Subject value').fill(ada.id);
      await form.getByLabel('Object value').fill('front');
      await form.getByLabel('Type code').fill('door');
      await form.getByLabel('At', { exact: true }).fill(at);
      await form.getByRole('button', { name: 'Check', exact: true }).click();
    };
    await fillCheck('');
    await page.getByText(/^Not authorised at/).waitFor();
    const local = (ms: number) => {
      const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
      return d.toISOString().slice(0, 16);
    };
    const createdMs = Date.parse(stored.validFrom);
    const revokedMs = Date.parse(stored.revokedAt);
    if (Math.floor(revokedMs / 60_000) > Math.floor(createdMs / 60_000)) {
      // Only when a whole minute lies between them: datetime-local has minute precision.
      await fillCheck(local(revokedMs - 60_000));
      await page.getByText(/^Authorised at/).waitFor();
    }
    await check('authorisations');

    // Connections: create an OIDC connection in Acme, edit it, delete it.
    await nav(page, 'Connections');
    await page.getByRole('link', { name: 'Add an OIDC connection' }).click();
    await heading(page, 'Add an OIDC connection');
    await page.getByLabel('Name').fill('Acme IdP');
    await page.getByLabel('Authorization URL').fill('https://idp.acme.test/authorize');
    await page.getByLabel('Token URL').fill('https://idp.acme.test/token');
    await page.getByLabel('Client ID').fill('keyward');
    await page.getByLabel('Client secret').fill('s3cret-s3cret-s3cret');
    await check('connection-new');
    await page.getByRole('button', { name: 'Create connection' }).click();
    await page.getByText('The connection was created.').waitFor();
    const connectionId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    const conn = async () => api('GET', `/v1/connections/${connectionId}?orgId=${acme.id}`);
    assert.equal((await conn()).body.data.name, 'Acme IdP');
    assert.equal((await conn()).body.tokenUrl, 'https://idp.acme.test/token');
    assert.equal((await api('GET', `/v1/connections/${connectionId}`)).status, 404, 'not in the root org');
    await page.getByRole('button', { name: 'Test sign-in' }).waitFor();
    await page.getByLabel('Name').fill('Acme SSO');
    await page.getByRole('button', { name: 'Save connection' }).click();
    await page.getByText('Saved.').waitFor();
    await check('connection-detail');
    assert.equal((await conn()).body.data.name, 'Acme SSO');
    // Upstream credentials of a person who never signed in through it: the server's error in words.
    await page.getByLabel('Person id').fill(ada.id);
    await page.getByRole('button', { name: 'Show access token' }).click();
    await page.locator('#cred-h ~ [role=alert]').waitFor();
    await page.getByRole('button', { name: 'Delete connection' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await heading(page, 'Connections');
    assert.equal((await conn()).status, 404);

    // Back to the admin's own organization: Acme's person is no longer listed.
    await page.getByRole('button', { name: 'Back to my organization' }).click();
    await nav(page, 'People');
    await page.getByRole('cell', { name: k.admin.adminEmail }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Ada Acme' }).count(), 0);

    assert.deepEqual(axeFindings, [], 'serious or critical accessibility violations');
  });
});

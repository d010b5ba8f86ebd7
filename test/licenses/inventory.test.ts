/** License inventory: list, details, the Keyward provisioning extension, permissions and tenancy. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertPerson } from '../support/fixtures.js';
import { startKeyward, type Harness } from '../support/harness.js';
import {
  adminClient,
  callerWith,
  partnerAndCustomer,
  unrelatedTenant,
  type Caller,
} from '../support/tenants.js';
import { auditActions, createLicense, ok, webexError } from './support.js';

describe('licenses: inventory', () => {
  let k: Harness;
  let as: Caller;

  before(async () => {
    k = await startKeyward({ env: { KEYWARD_RATE_LIMIT_MAX: '0' } });
    as = callerWith(k, await k.token());
  });
  after(() => k.close());

  it('creates, lists and details licenses with the vendor fields, omitting what does not apply', async () => {
    const meeting = await createLicense(as, {
      name: 'Meeting - Webex Meeting Center',
      totalUnits: 25,
      siteUrl: 'Site1-Example.webex.com',
      siteType: 'Control Hub managed site',
    });
    assert.deepEqual(Object.keys(meeting).sort(), [
      'consumedByUsers',
      'consumedByWorkspaces',
      'consumedUnits',
      'id',
      'name',
      'siteType',
      'siteUrl',
      'totalUnits',
    ]);
    assert.equal(meeting.siteUrl, 'site1-example.webex.com');
    assert.equal(meeting.consumedUnits, 0);
    const calling = await createLicense(as, { name: 'Webex Calling - Professional', totalUnits: 5 });
    assert.equal(calling.siteUrl, undefined);
    const list = ok(await as('GET', '/v1/licenses'), 200);
    assert.deepEqual(
      list.items.map((l: any) => l.id),
      [meeting.id, calling.id],
    );
    assert.deepEqual(ok(await as('GET', `/v1/licenses/${calling.id}`), 200), calling);
    assert.deepEqual(ok(await as('GET', `/v1/licenses?orgId=${k.admin.orgId}`), 200).items.length, 2);
    assert.deepEqual(await auditActions(k, k.admin.orgId), ['license.create', 'license.create']);
  });

  it('PUT changes totalUnits, never below consumption', async () => {
    const lic = await createLicense(as, { totalUnits: 3 });
    for (let i = 0; i < 2; i++) {
      const person = await insertPerson(k);
      ok(await as('PATCH', '/v1/licenses/users', { personId: person.id, licenses: [{ id: lic.id }] }), 200);
    }
    webexError(
      await as('PUT', `/v1/licenses/${lic.id}`, { totalUnits: 1 }),
      400,
      /totalUnits: 1 is below the 2 units consumed/,
    );
    const changed = ok(await as('PUT', `/v1/licenses/${lic.id}`, { totalUnits: 2 }), 200);
    assert.equal(changed.totalUnits, 2);
    assert.equal(changed.consumedUnits, 2);
    webexError(await as('PUT', `/v1/licenses/${lic.id}`, { totalUnits: -1 }), 400, /totalUnits/);
    assert.ok((await auditActions(k, k.admin.orgId)).includes('license.update'));
  });

  it('rejects bad inventory input in Webex error shape', async () => {
    webexError(await as('POST', '/v1/licenses', { name: '', totalUnits: 1 }), 400, /name/);
    webexError(
      await as('POST', '/v1/licenses', { name: 'X', totalUnits: 1, siteType: 'Bogus' }),
      400,
      /siteType/,
    );
    webexError(await as('GET', '/v1/licenses/nope'), 404, /License nope was not found/);
    const lic = await createLicense(as);
    webexError(
      await as('GET', `/v1/licenses/${lic.id}?includeAssignedTo=workspace`),
      400,
      /includeAssignedTo/,
    );
  });

  it('needs spark-admin:licenses_read to read and an admin role', async () => {
    const noScope = callerWith(k, await k.token('spark-admin:people_read'));
    webexError(await noScope('GET', '/v1/licenses'), 403, /spark-admin:licenses_read/);
    const lic = await createLicense(as);
    webexError(await noScope('GET', `/v1/licenses/${lic.id}`), 403, /spark-admin:licenses_read/);
    const noRole = await adminClient(k, k.admin.orgId, []);
    webexError(await callerWith(k, noRole.token)('GET', '/v1/licenses'), 403, /roles/);
    const readOnly = await adminClient(k, k.admin.orgId, ['read_only_admin']);
    const ro = callerWith(k, readOnly.token);
    ok(await ro('GET', '/v1/licenses'), 200);
    webexError(await ro('POST', '/v1/licenses', { name: 'X', totalUnits: 1 }), 403, /roles/);
    webexError(
      await ro('PATCH', '/v1/licenses/users', { email: k.admin.adminEmail, licenses: [{ id: lic.id }] }),
      403,
      /roles/,
    );
    const readOnlyPeopleWrite = callerWith(k, await k.token('spark-admin:licenses_read'));
    webexError(
      await readOnlyPeopleWrite('PATCH', '/v1/licenses/users', {
        email: k.admin.adminEmail,
        licenses: [{ id: lic.id }],
      }),
      403,
      /spark-admin:people_write/,
    );
  });

  it("another org's license is not found; a partner reaches its customer's licenses", async () => {
    const other = await unrelatedTenant(k);
    const asOther = callerWith(k, other.token);
    const theirs = await createLicense(asOther, { name: 'Messaging' });
    webexError(await as('GET', `/v1/licenses/${theirs.id}`), 404, /not found/);
    webexError(await as('PUT', `/v1/licenses/${theirs.id}`, { totalUnits: 100 }), 404, /not found/);
    assert.equal(ok(await asOther('GET', '/v1/licenses'), 200).items.length, 1);
    assert.ok(!ok(await as('GET', '/v1/licenses'), 200).items.some((l: any) => l.id === theirs.id));
    const person = await insertPerson(k);
    webexError(
      await as('PATCH', '/v1/licenses/users', { personId: person.id, licenses: [{ id: theirs.id }] }),
      400,
      /not recognized/,
    );
    webexError(await as('GET', `/v1/licenses?orgId=${other.orgId}`), 400, /orgId/);

    const { partner, customer } = await partnerAndCustomer(k);
    const asPartner = callerWith(k, partner.token);
    const forCustomer = await createLicense(asPartner, { orgId: customer.orgId, totalUnits: 7 });
    assert.deepEqual(
      ok(await asPartner('GET', `/v1/licenses?orgId=${customer.orgId}`), 200).items.map((l: any) => l.id),
      [forCustomer.id],
    );
    assert.equal(
      ok(await callerWith(k, customer.token)('GET', '/v1/licenses'), 200).items[0].id,
      forCustomer.id,
    );
    const asCustomer = callerWith(k, customer.token);
    webexError(
      await asCustomer('POST', '/v1/licenses', { name: 'X', totalUnits: 1, orgId: partner.orgId }),
      400,
      /orgId/,
    );
  });
});

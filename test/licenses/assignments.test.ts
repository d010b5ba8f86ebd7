/** PATCH /v1/licenses/users: the seed's rules, the bad-input list, pending users, workspaces. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertPerson } from '../support/fixtures.js';
import { startKeyward, type Harness } from '../support/harness.js';
import { callerWith, unrelatedTenant, type Caller, type Tenant } from '../support/tenants.js';
import {
  assertCountsAddUp,
  auditActions,
  createLicense,
  insertLocation,
  insertWorkspace,
  ok,
  personToken,
  webexError,
} from './support.js';

describe('licenses: assignment (PATCH /v1/licenses/users)', () => {
  let k: Harness;
  let as: Caller;
  let orgId: string;
  let meeting: any;
  let calling: any;
  let location: string;

  const patch = (body: unknown) => as('PATCH', '/v1/licenses/users', body);

  before(async () => {
    k = await startKeyward({ env: { KEYWARD_RATE_LIMIT_MAX: '0' } });
    as = callerWith(k, await k.token());
    orgId = k.admin.orgId;
    meeting = await createLicense(as, {
      name: 'Meeting - Webex Meeting Center',
      totalUnits: 10,
      siteUrl: 'acme.webex.com',
      siteType: 'Control Hub managed site',
    });
    calling = await createLicense(as, { name: 'Webex Calling - Professional', totalUnits: 10 });
    location = await insertLocation(k, orgId);
  });
  after(() => k.close());

  it('assigns by personId or email and removes; the response is a UserLicensesResponse', async () => {
    const p = await insertPerson(k, { email: 'ann@example.com' });
    const added = ok(await patch({ personId: p.id, licenses: [{ id: meeting.id }] }), 200);
    assert.deepEqual(added, {
      orgId,
      personId: p.id,
      email: 'ann@example.com',
      licenses: [meeting.id],
      siteUrls: [],
      pendingLicenses: [],
      pendingSiteUrls: [],
    });
    // adding again is a no-op (no second unit); email is case-insensitive
    ok(await patch({ email: 'ANN@example.com', licenses: [{ id: meeting.id, operation: 'add' }] }), 200);
    assert.equal(ok(await as('GET', `/v1/licenses/${meeting.id}`), 200).consumedByUsers, 1);
    const removed = ok(
      await patch({ email: 'ann@example.com', licenses: [{ id: meeting.id, operation: 'remove' }] }),
      200,
    );
    assert.deepEqual(removed.licenses, []);
    assert.equal(ok(await as('GET', `/v1/licenses/${meeting.id}`), 200).consumedUnits, 0);
    const actions = await auditActions(k, orgId);
    assert.ok(actions.includes('license.assign') && actions.includes('license.remove'));
    await assertCountsAddUp(k, meeting.id);
  });

  it('bad input: neither email nor personId; unknown license or person', async () => {
    webexError(await patch({ licenses: [{ id: meeting.id }] }), 400, /email or personId/);
    webexError(
      await patch({ personId: 'nobody', licenses: [{ id: meeting.id }] }),
      404,
      /Person nobody was not found/,
    );
    // An unknown address is an invitation (issue 13 §6): removing what it does not hold is a 400.
    webexError(
      await patch({ email: 'ghost@example.com', licenses: [{ id: meeting.id, operation: 'remove' }] }),
      400,
      /user ghost@example.com does not hold/,
    );
    webexError(await patch({ email: 'not-an-address', licenses: [{ id: meeting.id }] }), 400, /email/);
    const p = await insertPerson(k);
    webexError(
      await patch({ personId: p.id, licenses: [{ id: 'no-such-license' }] }),
      400,
      /no-such-license is not recognized/,
    );
    webexError(
      await patch({ personId: p.id, licenses: [{ id: meeting.id, operation: 'swap' }] }),
      400,
      /operation/,
    );
    webexError(
      await patch({ personId: p.id, licenses: [{ id: meeting.id }, { id: meeting.id }] }),
      400,
      /more than once/,
    );
  });

  it('bad input: calling license without number/extension/location, malformed number, unknown location', async () => {
    const p = await insertPerson(k);
    const id = calling.id;
    webexError(await patch({ personId: p.id, licenses: [{ id }] }), 400, /phoneNumber or extension/);
    webexError(
      await patch({ personId: p.id, licenses: [{ id, properties: { locationId: location } }] }),
      400,
      /phoneNumber or extension/,
    );
    webexError(
      await patch({ personId: p.id, licenses: [{ id, properties: { extension: '1234' } }] }),
      400,
      /locationId: is required/,
    );
    webexError(
      await patch({ personId: p.id, licenses: [{ id, properties: { phoneNumber: '555-CALL-ME' } }] }),
      400,
      /phoneNumber: 555-CALL-ME is not an E.164 phone number/,
    );
    webexError(
      await patch({ personId: p.id, licenses: [{ id, properties: { phoneNumber: '+0123' } }] }),
      400,
      /E.164/,
    );
    webexError(
      await patch({
        personId: p.id,
        licenses: [{ id, properties: { locationId: 'nowhere', extension: '1234' } }],
      }),
      400,
      /Unable to find location nowhere/,
    );
    const foreign = await unrelatedTenant(k);
    const theirLocation = await insertLocation(k, foreign.orgId);
    webexError(
      await patch({
        personId: p.id,
        licenses: [{ id, properties: { locationId: theirLocation, extension: '1234' } }],
      }),
      400,
      /Unable to find location/,
    );
    assert.equal(ok(await as('GET', `/v1/licenses/${id}`), 200).consumedUnits, 0);
  });

  it('calling: extension unique per location, E.164 number unique per org, one calling license each', async () => {
    const [a, b, c] = [await insertPerson(k), await insertPerson(k), await insertPerson(k)];
    const id = calling.id;
    const res = ok(
      await patch({
        personId: a.id,
        licenses: [{ id, properties: { locationId: location, extension: '1001' } }],
      }),
      200,
    );
    assert.deepEqual(res.licenses, [id]);
    webexError(
      await patch({
        personId: b.id,
        licenses: [{ id, properties: { locationId: location, extension: '1001' } }],
      }),
      409,
      /Extension 1001 is already used in location/,
    );
    const elsewhere = await insertLocation(k, orgId);
    ok(
      await patch({
        personId: b.id,
        licenses: [{ id, properties: { locationId: elsewhere, extension: '1001' } }],
      }),
      200,
    );
    ok(await patch({ personId: c.id, licenses: [{ id, properties: { phoneNumber: '14085267209' } }] }), 200);
    const d = await insertPerson(k);
    webexError(
      await patch({ personId: d.id, licenses: [{ id, properties: { phoneNumber: '+1 408 526 7209' } }] }),
      409,
      /Phone number \+14085267209 is already used/,
    );
    const basic = await createLicense(as, { name: 'Webex Calling - Basic', totalUnits: 5 });
    webexError(
      await patch({
        personId: a.id,
        licenses: [{ id: basic.id, properties: { locationId: location, extension: '1002' } }],
      }),
      400,
      /already holds Webex Calling - Professional/,
    );
    // a swap in one request: removals run first
    const swapped = ok(
      await patch({
        personId: a.id,
        licenses: [
          { id: basic.id, properties: { locationId: location, extension: '1001' } },
          { id, operation: 'remove' },
        ],
      }),
      200,
    );
    assert.deepEqual(swapped.licenses, [basic.id]);
    const ws = await createLicense(as, { name: 'Webex Calling - Workspaces', totalUnits: 5 });
    webexError(
      await patch({
        personId: d.id,
        licenses: [{ id: ws.id, properties: { phoneNumber: '+358401234567' } }],
      }),
      400,
      /for workspaces/,
    );
    await assertCountsAddUp(k, id);
    await assertCountsAddUp(k, basic.id);
  });

  it('bad input: removing a license the person does not hold', async () => {
    const p = await insertPerson(k);
    webexError(
      await patch({ personId: p.id, licenses: [{ id: meeting.id, operation: 'remove' }] }),
      400,
      /does not hold license/,
    );
  });

  it('all or nothing: one failing license leaves every other unchanged', async () => {
    const p = await insertPerson(k);
    const before = ok(await as('GET', `/v1/licenses/${meeting.id}`), 200).consumedUnits;
    webexError(
      await patch({ personId: p.id, licenses: [{ id: meeting.id }, { id: calling.id }] }),
      400,
      /licenses\[1\]/,
    );
    assert.equal(ok(await as('GET', `/v1/licenses/${meeting.id}`), 200).consumedUnits, before);
    const held = await k.services.store.db
      .selectFrom('license_assignments')
      .select('id')
      .where('holder_id', '=', p.id)
      .execute();
    assert.equal(held.length, 0);
  });

  it('site URLs: attendee accounts on an org site; host is refused with a hint', async () => {
    const p = await insertPerson(k);
    const res = ok(
      await patch({ personId: p.id, siteUrls: [{ siteUrl: 'acme.webex.com', accountType: 'attendee' }] }),
      200,
    );
    assert.deepEqual(res.siteUrls, [{ siteUrl: 'acme.webex.com', accountType: 'attendee' }]);
    webexError(
      await patch({ personId: p.id, siteUrls: [{ siteUrl: 'acme.webex.com', accountType: 'host' }] }),
      400,
      /only attendee accounts.*assign the license of that site/,
    );
    webexError(
      await patch({ personId: p.id, siteUrls: [{ siteUrl: 'other.webex.com', accountType: 'attendee' }] }),
      400,
      /not a site/,
    );
    const gone = ok(
      await patch({
        personId: p.id,
        siteUrls: [{ siteUrl: 'acme.webex.com', accountType: 'ATTENDEE', operation: 'remove' }],
      }),
      200,
    );
    assert.deepEqual(gone.siteUrls, []);
  });

  it('a user of another org gets pending licenses and site URLs until they accept or decline', async () => {
    const other: Tenant = await unrelatedTenant(k);
    const outsider = await insertPerson(k, { orgId: other.orgId, email: 'guest@elsewhere.example' });
    webexError(await patch({ personId: outsider.id, licenses: [{ id: meeting.id }] }), 404, /not found/);
    const res = ok(
      await patch({
        email: 'guest@elsewhere.example',
        licenses: [{ id: meeting.id }],
        siteUrls: [{ siteUrl: 'acme.webex.com', accountType: 'attendee' }],
      }),
      200,
    );
    assert.deepEqual(res, {
      orgId,
      email: 'guest@elsewhere.example',
      licenses: [],
      siteUrls: [],
      pendingLicenses: [meeting.id],
      pendingSiteUrls: [{ siteUrl: 'acme.webex.com', accountType: 'attendee' }],
    });
    // pending units are consumed (reserved) at once
    assert.equal(ok(await as('GET', `/v1/licenses/${meeting.id}`), 200).consumedUnits >= 1, true);
    const users = ok(await as('GET', `/v1/licenses/${meeting.id}?includeAssignedTo=user`), 200).users;
    assert.deepEqual(
      users.find((u: any) => u.email === 'guest@elsewhere.example'),
      {
        type: 'EXTERNAL',
        email: 'guest@elsewhere.example',
      },
    );
    webexError(
      await patch({
        email: 'guest@elsewhere.example',
        licenses: [{ id: calling.id, properties: { phoneNumber: '+358501112223' } }],
      }),
      400,
      /outside the organization/,
    );
    const asGuest = callerWith(k, await personToken(k, { id: outsider.id, orgId: other.orgId }));
    const accepted = ok(await asGuest('POST', '/v1/licenses/pending/accept', {}), 200);
    assert.deepEqual(accepted.items[0].licenses, [meeting.id]);
    assert.deepEqual(accepted.items[0].pendingLicenses, []);
    const after = ok(await as('GET', `/v1/licenses/${meeting.id}?includeAssignedTo=user`), 200).users;
    assert.deepEqual(
      after.find((u: any) => u.email === 'guest@elsewhere.example'),
      {
        id: outsider.id,
        type: 'EXTERNAL',
        displayName: 'Test Person',
        email: 'guest@elsewhere.example',
      },
    );
    // declining gives the unit back
    const second = await createLicense(as, { name: 'Messaging', totalUnits: 1 });
    ok(await patch({ email: 'guest@elsewhere.example', licenses: [{ id: second.id }] }), 200);
    assert.equal(ok(await as('GET', `/v1/licenses/${second.id}`), 200).consumedUnits, 1);
    const declined = ok(await asGuest('POST', '/v1/licenses/pending/decline', { orgId }), 200);
    assert.equal(declined.items.length, 1);
    assert.equal(ok(await as('GET', `/v1/licenses/${second.id}`), 200).consumedUnits, 0);
    const actions = await auditActions(k, orgId);
    assert.ok(actions.includes('license.accept') && actions.includes('license.decline'));
    await assertCountsAddUp(k, meeting.id);
    await assertCountsAddUp(k, second.id);
  });

  it('workspaces hold licenses too (consumedByWorkspaces); deleting a holder frees its units', async () => {
    const wsLicense = await createLicense(as, { name: 'Webex Calling - Workspaces', totalUnits: 2 });
    const room = await insertWorkspace(k, orgId, location);
    const res = ok(
      await as('PATCH', `/v1/workspaces/${room}/licenses`, {
        licenses: [
          { id: wsLicense.id, properties: { locationId: location, extension: '2001' } },
          { id: meeting.id },
        ],
      }),
      200,
    );
    assert.deepEqual(res, { workspaceId: room, orgId, licenses: [wsLicense.id, meeting.id].sort() });
    assert.deepEqual(ok(await as('GET', `/v1/workspaces/${room}/licenses`), 200), res);
    const detail = ok(await as('GET', `/v1/licenses/${wsLicense.id}`), 200);
    assert.equal(detail.consumedByWorkspaces, 1);
    assert.equal(detail.consumedByUsers, 0);
    // workspaces are not users: includeAssignedTo=user lists none of them
    assert.deepEqual(
      ok(await as('GET', `/v1/licenses/${wsLicense.id}?includeAssignedTo=user`), 200).users,
      [],
    );
    webexError(await as('GET', '/v1/workspaces/nope/licenses'), 404, /Workspace nope/);
    const foreign = await unrelatedTenant(k);
    const theirRoom = await insertWorkspace(k, foreign.orgId);
    webexError(
      await as('PATCH', `/v1/workspaces/${theirRoom}/licenses`, { licenses: [{ id: meeting.id }] }),
      404,
      /not found/,
    );

    // deletion hooks (people/workspaces deletion of issue 3) release units in the same transaction
    const p = await insertPerson(k);
    ok(await patch({ personId: p.id, licenses: [{ id: meeting.id }] }), 200);
    const consumed = ok(await as('GET', `/v1/licenses/${meeting.id}`), 200).consumedUnits;
    await k.services.store.db.transaction().execute(async (trx) => {
      const { releaseOnDelete } = await import('../../src/domain/licenses/workspaceLicenses.js');
      await releaseOnDelete('person')(trx, { id: p.id, org_id: orgId });
      await releaseOnDelete('workspace')(trx, { id: room, org_id: orgId });
    });
    assert.equal(ok(await as('GET', `/v1/licenses/${meeting.id}`), 200).consumedUnits, consumed - 2);
    assert.equal(ok(await as('GET', `/v1/licenses/${wsLicense.id}`), 200).consumedUnits, 0);
    await assertCountsAddUp(k, meeting.id);
    await assertCountsAddUp(k, wsLicense.id);

    // and through the people/workspaces APIs (issue 3): DELETE releases the units it held
    const q = await insertPerson(k);
    ok(await patch({ personId: q.id, licenses: [{ id: meeting.id }] }), 200);
    const room2 = await insertWorkspace(k, orgId);
    ok(await as('PATCH', `/v1/workspaces/${room2}/licenses`, { licenses: [{ id: meeting.id }] }), 200);
    const held = ok(await as('GET', `/v1/licenses/${meeting.id}`), 200).consumedUnits;
    ok(await as('DELETE', `/v1/people/${q.id}`), 204);
    ok(await as('DELETE', `/v1/workspaces/${room2}`), 204);
    assert.equal(ok(await as('GET', `/v1/licenses/${meeting.id}`), 200).consumedUnits, held - 2);
    await assertCountsAddUp(k, meeting.id);
  });
});

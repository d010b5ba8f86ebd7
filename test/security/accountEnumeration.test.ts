/**
 * No account enumeration across tenants (issue 13 §6). PATCH /v1/licenses/users with the email of
 * another tenant's person and with an address nobody has: the same status, the same body (but for
 * the address), the same assigned-users listing and the same errors. The pending license of an
 * unknown address is an invitation: the account created later for it finds it pending.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertPerson } from '../support/fixtures.js';
import { startKeyward, type Harness } from '../support/harness.js';
import { callerWith, unrelatedTenant, type Call, type Caller, type Tenant } from '../support/tenants.js';

/** The answer with the address replaced, so two answers about two addresses compare equal. */
const masked = (res: Call, email: string) => ({
  status: res.status,
  body: JSON.parse(JSON.stringify(res.body).split(email).join('<email>'), (key, value) =>
    key === 'trackingId' ? '<id>' : value,
  ),
});

describe('no account enumeration across tenants', () => {
  let k: Harness;
  let asA: Caller;
  let b: Tenant;
  let license: any;
  const existing = 'someone@tenant-b.example.com';
  const unknown = 'nobody@tenant-b.example.com';

  before(async () => {
    k = await startKeyward({ env: { KEYWARD_RATE_LIMIT_MAX: '0' } });
    asA = callerWith(k, await k.token());
    b = await unrelatedTenant(k);
    await insertPerson(k, { orgId: b.orgId, email: existing });
    const res = await asA('POST', '/v1/licenses', { name: 'Meeting - Webex Meeting Center', totalUnits: 5 });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    license = res.body;
  });
  after(async () => k?.close());

  const patch = (email: string, operation: 'add' | 'remove' = 'add') =>
    asA('PATCH', '/v1/licenses/users', { email, licenses: [{ id: license.id, operation }] });

  it('removing a license neither holds: the same 400', async () => {
    assert.deepEqual(
      masked(await patch(existing, 'remove'), existing),
      masked(await patch(unknown, 'remove'), unknown),
    );
    assert.equal((await patch(unknown, 'remove')).status, 400);
  });

  it('assigning: the same 200 with a pending license and no personId, whether or not the account exists', async () => {
    const known = await patch(existing);
    const ghost = await patch(unknown);
    assert.equal(known.status, 200, JSON.stringify(known.body));
    assert.deepEqual(masked(known, existing), masked(ghost, unknown));
    assert.deepEqual(ghost.body.pendingLicenses, [license.id]);
    assert.equal(ghost.body.personId, undefined);
    // Repeating it is as idempotent for both.
    assert.deepEqual(masked(await patch(existing), existing), masked(await patch(unknown), unknown));
  });

  it('the license and its assigned users look the same for both', async () => {
    const detail = await asA('GET', `/v1/licenses/${license.id}`);
    assert.equal(detail.body.consumedByUsers, 2);
    const users = (await asA('GET', `/v1/licenses/${license.id}?includeAssignedTo=user`)).body.users;
    assert.deepEqual(users.map((u: any) => u.email).sort(), [unknown, existing].sort());
    const [first, second] = users.map((u: any) => JSON.stringify({ ...u, email: '<email>' }));
    assert.equal(first, second);
  });

  it('the account created later for the address finds the invitation pending', async () => {
    const asB = callerWith(k, b.token);
    const person = await asB('POST', '/v1/people', { emails: [unknown], displayName: 'Nobody yet' });
    assert.equal(person.status, 200, JSON.stringify(person.body));
    const held = await k.services.store.db
      .selectFrom('license_assignments')
      .select(['holder_id', 'holder_org_id', 'status'])
      .where('license_id', '=', license.id)
      .orderBy('holder_id')
      .execute();
    assert.equal(held.length, 2);
    assert.ok(held.every((h) => h.status === 'pending' && h.holder_org_id === b.orgId));
    assert.ok(held.some((h) => h.holder_id === person.body.id));
    // Removing it from A's side now finds the person by email as before.
    const removed = await patch(unknown, 'remove');
    assert.equal(removed.status, 200, JSON.stringify(removed.body));
    assert.deepEqual(removed.body.pendingLicenses, []);
  });
});

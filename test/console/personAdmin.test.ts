/** /admin/v1/people/:id/{sessions,licenses}: a person's Keyward sessions and licenses for the console. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertPerson } from '../support/fixtures.js';
import { startKeyward, type Harness } from '../support/harness.js';
import { adminClient, callerWith, unrelatedTenant } from '../support/tenants.js';

describe('Keyward admin API: a person’s sessions and licenses', () => {
  let k: Harness;
  before(async () => {
    k = await startKeyward();
  });
  after(async () => {
    await k?.close();
  });

  it('lists live sessions and ends them all, audited; the cookie then signs in no one', async () => {
    const api = callerWith(k, await k.token());
    const person = await insertPerson(k);
    const a = await k.services.sessions.start(person.id, k.admin.orgId);
    const b = await k.services.sessions.start(person.id, k.admin.orgId);
    const other = await insertPerson(k);
    const kept = await k.services.sessions.start(other.id, k.admin.orgId);
    await k.services.sessions.end(a.cookieValue); // already ended: not listed
    const url = `/admin/v1/people/${person.id}/sessions`;
    const listed = await api('GET', url);
    assert.equal(listed.status, 200);
    assert.equal(listed.body.items.length, 1);
    assert.deepEqual(Object.keys(listed.body.items[0]).sort(), ['authTime', 'created', 'expires']);

    // A read-only admin sees them but may not end them.
    const ro = callerWith(k, (await adminClient(k, k.admin.orgId, ['read_only_admin'])).token);
    assert.equal((await ro('GET', url)).status, 200);
    const refused = await ro('DELETE', url);
    assert.equal(refused.status, 403);
    assert.equal(typeof refused.body.message, 'string');

    const ended = await api('DELETE', url);
    assert.deepEqual(ended.body, { ended: 1 });
    assert.deepEqual((await api('GET', url)).body.items, []);
    assert.equal(await k.services.sessions.find(b.cookieValue), undefined);
    assert.ok(await k.services.sessions.find(kept.cookieValue), "another person's session is untouched");
    const audit = await api('GET', '/v1/adminAudit/events?max=5');
    const event = audit.body.items.find((e: any) => e.action === 'person.sessions.end');
    assert.equal(event.target, `person:${person.id}`);
  });

  it('lists the licenses a person holds', async () => {
    const api = callerWith(k, await k.token());
    const person = await insertPerson(k, { email: 'holder@example.test' });
    const own = await api('POST', '/v1/licenses', { name: 'Meetings', totalUnits: 3 });
    assert.equal(own.status, 201);
    const assigned = await api('PATCH', '/v1/licenses/users', {
      personId: person.id,
      licenses: [{ id: own.body.id, operation: 'add' }],
    });
    assert.equal(assigned.status, 200);
    const res = await api('GET', `/admin/v1/people/${person.id}/licenses`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.items, [
      { licenseId: own.body.id, name: 'Meetings', orgId: k.admin.orgId, status: 'active' },
    ]);
  });

  it('answers 404 for a person of an organization the caller cannot see, 400 for bad ids', async () => {
    const stranger = await unrelatedTenant(k);
    const theirs = await insertPerson(k, { orgId: stranger.orgId });
    const api = callerWith(k, stranger.token);
    const mine = await insertPerson(k);
    for (const path of ['sessions', 'licenses']) {
      const res = await api('GET', `/admin/v1/people/${mine.id}/${path}`);
      assert.equal(res.status, 404, path);
      assert.equal(typeof res.body.trackingId, 'string');
      assert.equal((await api('GET', `/admin/v1/people/${theirs.id}/${path}`)).status, 200, path);
      const long = await api('GET', `/admin/v1/people/${'x'.repeat(200)}/${path}`);
      assert.equal(long.status, 400, path);
    }
    assert.equal((await api('DELETE', `/admin/v1/people/${mine.id}/sessions`)).status, 404);
  });
});

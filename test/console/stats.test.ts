/** GET /admin/v1/stats: people's access tokens and logins per hour over the last 24 h, per org. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { issueTokens } from '../authorizations/support.js';
import { insertClient, insertPerson } from '../support/fixtures.js';
import { startKeyward, type Harness } from '../support/harness.js';
import { adminClient, callerWith, unrelatedTenant } from '../support/tenants.js';

describe('Keyward admin API: activity stats', () => {
  let k: Harness;
  before(async () => {
    k = await startKeyward();
  });
  after(() => k.close());

  it('counts this hour’s tokens and logins of the org only, 24 hourly buckets, older rows left out', async () => {
    const app = await insertClient(k, { scopes: ['spark-admin:people_read'] });
    const person = await insertPerson(k);
    for (let i = 0; i < 3; i++) await issueTokens(k, app, person);
    await k.services.sessions.start(person.id, k.admin.orgId);
    await k.services.sessions.start(person.id, k.admin.orgId);
    // Two days old: outside the window.
    const old = Date.now() - 48 * 3_600_000;
    await k.services.store.db
      .insertInto('login_sessions')
      .values({
        id_hash: 'old-session-hash',
        person_id: person.id,
        org_id: k.admin.orgId,
        auth_time: old,
        created_at: old,
        expires_at: old + 1000,
        revoked_at: null,
      })
      .execute();
    // Another org's activity is not counted here.
    const other = await unrelatedTenant(k);
    const stranger = await insertPerson(k, { orgId: other.orgId });
    await k.services.sessions.start(stranger.id, other.orgId);

    const res = await callerWith(k, await k.token())('GET', '/admin/v1/stats');
    assert.equal(res.status, 200);
    assert.equal(res.body.orgId, k.admin.orgId);
    assert.equal(res.body.hours.length, 24);
    const last = res.body.hours[23];
    assert.ok(Date.parse(last.hour) <= Date.now() && Date.now() - Date.parse(last.hour) < 3_600_000);
    assert.deepEqual({ tokens: last.tokens, logins: last.logins }, { tokens: 3, logins: 2 });
    const total = res.body.hours.reduce((n: number, h: any) => n + h.logins, 0);
    assert.equal(total, 2, 'the two-day-old login is outside the window');

    const theirs = await callerWith(k, other.token)('GET', '/admin/v1/stats');
    assert.equal(theirs.body.hours[23].logins, 1);
    const peek = await callerWith(k, other.token)('GET', `/admin/v1/stats?orgId=${k.admin.orgId}`);
    assert.ok([400, 403, 404].includes(peek.status), `another org's stats: ${peek.status}`);
  });

  it('is for audit readers only', async () => {
    const narrow = await callerWith(k, await k.token('spark-admin:people_read'))('GET', '/admin/v1/stats');
    assert.equal(narrow.status, 403);
    assert.equal(typeof narrow.body.message, 'string');
    const ro = await adminClient(k, k.admin.orgId, ['read_only_admin']);
    assert.equal((await callerWith(k, ro.token)('GET', '/admin/v1/stats')).status, 200);
  });
});

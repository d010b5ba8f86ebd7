import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startKeyward, type Harness } from '../support/harness.js';
import { callerWith } from '../support/tenants.js';
import { personWithRoles } from './support.js';

describe("changing one's own password is throttled like a login", () => {
  let k: Harness;
  before(async () => {
    k = await startKeyward({ env: { KEYWARD_RATE_LIMIT_MAX: '0' } });
  });
  after(() => k.close());

  it('after repeated wrong current passwords even the right one is refused with 429 for a while', async () => {
    const person = await personWithRoles(k, []);
    const asPerson = callerWith(k, person.token);
    const change = (currentPassword: string) =>
      asPerson('POST', '/v1/people/me/password', { currentPassword, newPassword: 'a brand new password' });
    for (let i = 0; i < 6; i++) assert.equal((await change(`guess ${i}`)).status, 400);
    const locked = await change(person.password);
    assert.equal(locked.status, 429);
    assert.ok(Number(locked.headers['retry-after']) >= 1);
    assert.ok(locked.body.trackingId, 'Webex error shape');
  });
});

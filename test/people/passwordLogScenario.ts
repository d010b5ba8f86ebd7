/**
 * Run by passwordLogs.test.ts in a child process with every log line on (trace): exercises each
 * way a password reaches Keyward's people endpoints, good and bad. The parent reads what was logged.
 * Prints `SCENARIO OK` on stderr at the end.
 */
import assert from 'node:assert/strict';
import { startKeyward } from '../support/harness.js';
import { callerWith } from '../support/tenants.js';
import { newPerson, personToken } from './support.js';

export const PASSWORDS = {
  initial: 'initial-Pa55word-7f3a9c',
  tooShort: 'sh0rt-9b1e',
  wrongCurrent: 'wrong-Pa55word-c04d2e',
  changed: 'changed-Pa55word-5e8b71',
  tooLongPrefix: 'toolong-Pa55word-',
};

const k = await startKeyward({ env: { KEYWARD_RATE_LIMIT_MAX: '0' } });
try {
  const admin = callerWith(k, await k.token());
  const person = (await admin('POST', '/v1/people', newPerson())).body;
  const set = (password: string) => admin('PUT', `/v1/people/${person.id}/password`, { password });
  assert.equal((await set(PASSWORDS.tooShort)).status, 400);
  assert.equal((await set(PASSWORDS.tooLongPrefix + 'x'.repeat(2000))).status, 400);
  assert.equal((await set(PASSWORDS.initial)).status, 204);
  // Unknown field beside the password: refused by the schema, value not echoed.
  assert.equal(
    (await admin('PUT', `/v1/people/${person.id}/password`, { password: PASSWORDS.initial, extra: 1 }))
      .status,
    400,
  );
  const asPerson = callerWith(k, await personToken(k, person));
  const change = (currentPassword: string, newPassword: string) =>
    asPerson('POST', '/v1/people/me/password', { currentPassword, newPassword });
  assert.equal((await change(PASSWORDS.wrongCurrent, PASSWORDS.changed)).status, 400);
  assert.equal((await change(PASSWORDS.initial, PASSWORDS.tooShort)).status, 400);
  assert.equal((await change(PASSWORDS.initial, PASSWORDS.changed)).status, 204);
  // A body that is not JSON, carrying a password.
  const broken = await k.app.inject({
    method: 'POST',
    url: '/v1/people/me/password',
    headers: { authorization: 'Bearer x', 'content-type': 'application/json' },
    payload: `{"currentPassword":"${PASSWORDS.changed}",`,
  });
  assert.ok(broken.statusCode >= 400);
  process.stderr.write('SCENARIO OK\n');
} finally {
  await k.close();
}

/**
 * Issue 13 §4: the login lockout holds under concurrency. 50 parallel tries for one account get
 * exactly the allowed number of verifications (5 free failures + the one that starts the lock) in
 * one window; over HTTP, an account past its free failures gets exactly one verification (the
 * next lock is minutes long), counted by the process's argon2 verification counter and by the
 * throttle row. On PostgreSQL the 50 are split over two nodes sharing the database.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { passwordVerifications } from '../../src/domain/people/passwords.js';
import { insertClient, insertPerson } from '../support/fixtures.js';
import { FormBrowser, readForm } from '../support/formBrowser.js';
import { startKeyward, TEST_DB, type Harness } from '../support/harness.js';

const ALLOWED = 6;
const PARALLEL = 50;
const REDIRECT = 'http://127.0.0.1:9/callback';

describe('login throttling under concurrency (issue 13 §4)', () => {
  const nodes: Harness[] = [];
  before(async () => {
    const env = { KEYWARD_RATE_LIMIT_MAX: '0' };
    const first = await startKeyward({ env, listen: true });
    nodes.push(first);
    if (TEST_DB === 'postgres')
      nodes.push(await startKeyward({ env, listen: true, database: first.config.database }));
  });
  after(async () => {
    for (const node of nodes.reverse()) await node.close();
  });

  it(`${PARALLEL} parallel tries in one window: exactly ${ALLOWED} may verify`, async () => {
    const now = Date.now();
    const keys = [`account:race-${now}@example.test`, `address:192.0.2.${now % 200}`];
    const results = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        nodes[i % nodes.length]!.services.throttle.attempt(keys, now),
      ),
    );
    assert.equal(results.filter((wait) => wait === 0).length, ALLOWED);
  });

  it(`${PARALLEL} parallel wrong-password logins of a locked-out account verify one; the right one is refused`, async () => {
    const k = nodes[0]!;
    const client = await insertClient(k, { redirectUris: [REDIRECT] });
    const person = await insertPerson(k);
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: client.id,
      redirect_uri: REDIRECT,
      scope: 'openid',
      code_challenge: createHash('sha256').update('v'.repeat(43)).digest('base64url'),
      code_challenge_method: 'S256',
    });
    // One login form per node (its CSRF cookie is per browser, valid on any node).
    const forms = await Promise.all(
      nodes.map(async (node) => {
        const browser = new FormBrowser();
        const page = await browser.get(`${node.baseUrl}/oauth/authorize?${query}`);
        assert.equal(page.status, 200);
        return { node, browser, form: readForm(await page.text()) };
      }),
    );
    const login = (i: number, password: string) => {
      const { node, browser, form } = forms[i % forms.length]!;
      return browser.post(node.baseUrl + form.action, { ...form.fields, email: person.email, password });
    };
    // Past its free failures with the last lock expired: the next failure locks for 512 s.
    await k.services.store.db
      .insertInto('login_throttle')
      .values({
        key: `account:${person.email}`,
        failures: 14,
        first_failure_at: Date.now(),
        locked_until: null,
      })
      .execute();
    const before = passwordVerifications();
    const answers = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => login(i, `wrong ${i}`)));
    const verified = passwordVerifications() - before;
    assert.ok(
      answers.every((r) => r.status === 401),
      'every wrong try answers the same 401 page',
    );
    assert.equal(verified, 1, `${verified} passwords verified`);
    const row = await k.services.store.db
      .selectFrom('login_throttle')
      .selectAll()
      .where('key', '=', `account:${person.email}`)
      .executeTakeFirstOrThrow();
    assert.equal(row.failures, 15, 'the row counts exactly the verified try');
    assert.ok(Number(row.locked_until) > Date.now(), 'the account is locked');

    const right = await login(0, person.password);
    assert.equal(right.status, 401, 'locked: even the right password is refused');
    assert.equal(passwordVerifications() - before, verified, 'and not even verified');
  });
});

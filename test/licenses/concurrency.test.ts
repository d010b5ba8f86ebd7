/**
 * Capacity under concurrency: consumedUnits never passes totalUnits. 100 PATCHes race for 10 free
 * units (run on SQLite and on PostgreSQL via KEYWARD_TEST_DB): exactly 10 win, the rest get a 409
 * naming the license, and the counters equal the assignment rows afterwards.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertPerson } from '../support/fixtures.js';
import { startKeyward, type Harness } from '../support/harness.js';
import { callerWith, type Caller } from '../support/tenants.js';
import { assertCountsAddUp, createLicense, ok } from './support.js';

async function people(k: Harness, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await insertPerson(k, { password: 'x' })).id);
  return ids;
}

describe('licenses: capacity under concurrency', () => {
  let k: Harness;
  let as: Caller;

  before(async () => {
    k = await startKeyward({ env: { KEYWARD_RATE_LIMIT_MAX: '0' } });
    as = callerWith(k, await k.token());
  });
  after(() => k.close());

  it('100 concurrent PATCHes at 10 free units: exactly 10 succeed, the rest get a clear 409', async () => {
    const license = await createLicense(as, { name: 'Meeting - Webex Meeting Center', totalUnits: 15 });
    const ids = await people(k, 105);
    for (const id of ids.slice(0, 5)) {
      ok(await as('PATCH', '/v1/licenses/users', { personId: id, licenses: [{ id: license.id }] }), 200);
    }
    const results = await Promise.all(
      ids
        .slice(5)
        .map((personId) => as('PATCH', '/v1/licenses/users', { personId, licenses: [{ id: license.id }] })),
    );
    const won = results.filter((r) => r.status === 200);
    const lost = results.filter((r) => r.status !== 200);
    assert.equal(won.length, 10, JSON.stringify(results.map((r) => r.status)));
    assert.equal(lost.length, 90);
    for (const r of lost) {
      assert.equal(r.status, 409, JSON.stringify(r.body));
      assert.match(
        r.body.message,
        new RegExp(`License ${license.id} \\(Meeting - Webex Meeting Center\\) has no free units`),
      );
    }
    const detail = ok(await as('GET', `/v1/licenses/${license.id}`), 200);
    assert.equal(detail.consumedUnits, 15);
    assert.equal(detail.totalUnits, 15);
    assert.deepEqual(await assertCountsAddUp(k, license.id), { users: 15, workspaces: 0 });
  });

  it('20 concurrent identical adds for one person all succeed with one assignment (issue 14, finding 7)', async () => {
    const license = await createLicense(as, { name: 'Messaging', totalUnits: 2 });
    const [personId] = await people(k, 1);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        as('PATCH', '/v1/licenses/users', { personId, licenses: [{ id: license.id }] }),
      ),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      Array(20).fill(200),
      JSON.stringify(results.filter((r) => r.status !== 200).map((r) => r.body)),
    );
    for (const r of results) assert.deepEqual(r.body.licenses, [license.id]);
    assert.deepEqual(await assertCountsAddUp(k, license.id), { users: 1, workspaces: 0 });
  });

  it('concurrent multi-license requests are all or nothing', async () => {
    const scarce = await createLicense(as, { name: 'Messaging', totalUnits: 4 });
    const plenty = await createLicense(as, { name: 'Meeting - Webex Meeting Center', totalUnits: 1000 });
    const ids = await people(k, 30);
    const results = await Promise.all(
      ids.map((personId, i) =>
        as('PATCH', '/v1/licenses/users', {
          personId,
          // alternate the order in the request: the server locks in id order either way
          licenses: i % 2 ? [{ id: scarce.id }, { id: plenty.id }] : [{ id: plenty.id }, { id: scarce.id }],
        }),
      ),
    );
    assert.equal(results.filter((r) => r.status === 200).length, 4);
    assert.ok(results.every((r) => r.status === 200 || r.status === 409));
    assert.deepEqual(await assertCountsAddUp(k, scarce.id), { users: 4, workspaces: 0 });
    assert.deepEqual(await assertCountsAddUp(k, plenty.id), { users: 4, workspaces: 0 });
  });

  it('concurrent removals and additions keep the counters equal to the rows', async () => {
    const license = await createLicense(as, { name: 'Messaging', totalUnits: 10 });
    const ids = await people(k, 20);
    for (const id of ids.slice(0, 10)) {
      ok(await as('PATCH', '/v1/licenses/users', { personId: id, licenses: [{ id: license.id }] }), 200);
    }
    const results = await Promise.all(
      ids.map((personId, i) =>
        as('PATCH', '/v1/licenses/users', {
          personId,
          licenses: [{ id: license.id, operation: i < 10 ? 'remove' : 'add' }],
        }),
      ),
    );
    assert.ok(results.slice(0, 10).every((r) => r.status === 200));
    const { users } = await assertCountsAddUp(k, license.id);
    assert.equal(users, results.slice(10).filter((r) => r.status === 200).length);
  });
});

/**
 * GET /api/rest/v1/authorisation/check: for now or any instant, answered from the recorded
 * history, so revocations, expiries, window changes and deletions answer exactly for the past.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startKeyward, type Harness } from '../support/harness.js';
import { addCatalogEntry, addPerson, basic, caller } from './support.js';

const URL_ = '/api/rest/v1/authorisation';
const tick = () => new Promise((r) => setTimeout(r, 5));
const iso = (ms: number) => new Date(ms).toISOString();

describe('authorisation check', () => {
  let k: Harness;
  let call: ReturnType<typeof caller>;
  let pair = 0;

  /** A fresh subject/object pair per test, so answers never mix. */
  const fresh = () => {
    pair += 1;
    return { subject: { type: 'String', value: `s${pair}` }, object: { type: 'String', value: `o${pair}` } };
  };
  const check = async (p: ReturnType<typeof fresh>, at?: number, type = 'employment') => {
    const q = new URLSearchParams({ 'subject.value': p.subject.value, 'object.value': p.object.value, type });
    if (at !== undefined) q.set('at', iso(at));
    const res = await call('GET', `${URL_}/check?${q}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as { active: boolean; authorisationIds: string[]; at: string };
  };

  before(async () => {
    k = await startKeyward();
    call = caller(k, basic(k.admin.clientId, k.admin.clientSecret));
    await addPerson(k, 'alice');
    await addCatalogEntry(call, 'type', 'employment');
    await addCatalogEntry(call, 'type', 'other');
  });
  after(() => k.close());

  it('answers now: active, not for another type, pair or direction', async () => {
    const p = fresh();
    const created = (await call('POST', URL_, { type: 'employment', ...p })).body;
    const now = await check(p);
    assert.deepEqual([now.active, now.authorisationIds], [true, [created.id]]);
    assert.ok(Math.abs(Date.parse(now.at) - Date.now()) < 60_000);
    assert.equal((await check(p, undefined, 'other')).active, false);
    assert.equal((await check(p, undefined, 'missing')).active, false);
    assert.equal((await check({ subject: p.object, object: p.subject })).active, false);
  });

  it('a revoked authorisation answers true before the revocation, false after', async () => {
    const p = fresh();
    const created = (
      await call('POST', URL_, { type: 'employment', ...p, validFrom: '2000-01-01T00:00:00Z' })
    ).body;
    const createdAt = Date.parse(created.meta.created);
    await tick();
    const during = Date.now();
    await tick();
    const revoked = (await call('POST', `${URL_}/${created.id}/revoke`, { cause: 'x' })).body;
    const revokedAt = Date.parse(revoked.revokedAt);
    assert.equal((await check(p, during)).active, true);
    assert.equal((await check(p, revokedAt - 1)).active, true);
    assert.equal((await check(p, revokedAt)).active, false);
    assert.equal((await check(p)).active, false);
    // Before it was recorded the system did not know it: the answer is what it would have said then.
    assert.equal((await check(p, createdAt - 1)).active, false);
  });

  it('an expired authorisation answers true inside its window only', async () => {
    const p = fresh();
    const validTo = Date.now() + 300;
    const created = (await call('POST', URL_, { type: 'employment', ...p, validTo: iso(validTo) })).body;
    assert.equal(created.active, true);
    while (Date.now() <= validTo) await tick();
    assert.equal((await check(p)).active, false);
    assert.equal((await check(p, validTo - 1)).active, true);
    assert.equal((await check(p, validTo)).active, false);
  });

  it('a window changed by PUT answers with the window in force at the instant', async () => {
    const p = fresh();
    const created = (
      await call('POST', URL_, { type: 'employment', ...p, validFrom: '2000-01-01T00:00:00Z' })
    ).body;
    await tick();
    const beforePut = Date.now();
    await tick();
    const future = Date.now() + 3_600_000;
    const put = await call('PUT', `${URL_}/${created.id}`, {
      type: 'employment',
      ...p,
      validFrom: iso(future),
    });
    assert.equal(put.status, 200);
    assert.equal((await check(p, beforePut)).active, true); // the old window was in force then
    assert.equal((await check(p)).active, false); // now it starts in the future
    assert.equal((await check(p, future + 1)).active, true); // and the new window answers later
    // A PUT moving it to another type: the old type answers for the past only.
    await tick();
    const beforeRetype = Date.now();
    await tick();
    await call('PUT', `${URL_}/${created.id}`, { type: 'other', ...p, validFrom: '2000-01-01T00:00:00Z' });
    assert.equal((await check(p, future + 1, 'employment')).active, false);
    assert.equal((await check(p, undefined, 'other')).active, true);
    assert.equal((await check(p, beforeRetype, 'other')).active, false);
  });

  it('a deleted authorisation still answers for instants before the deletion', async () => {
    const p = fresh();
    const created = (await call('POST', URL_, { type: 'employment', ...p })).body;
    await tick();
    const during = Date.now();
    await tick();
    assert.equal((await call('DELETE', `${URL_}/${created.id}`)).status, 204);
    assert.deepEqual((await check(p, during)).authorisationIds, [created.id]);
    assert.equal((await check(p)).active, false);
  });

  it('lists every authorisation active at the instant', async () => {
    const p = fresh();
    const a = (await call('POST', URL_, { type: 'employment', ...p })).body;
    const b = (await call('POST', URL_, { type: 'employment', ...p, validTo: '2099-01-01T00:00:00Z' })).body;
    assert.deepEqual((await check(p)).authorisationIds, [a.id, b.id].sort());
  });

  it('refuses bad input with 400 naming the parameter', async () => {
    for (const [query, field] of [
      ['object.value=o&type=employment', 'subject.value'],
      ['subject.value=s&type=employment', 'object.value'],
      ['subject.value=s&object.value=o', 'type'],
      ['subject.value=s&object.value=o&type=employment&at=yesterday', 'at'],
      ['subject.value=s&object.value=o&type=employment&at=2022-13-01T00:00:00Z', 'at'],
    ] as const) {
      const res = await call('GET', `${URL_}/check?${query}`);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.statusCode, 400);
      assert.equal(res.body.field, field, JSON.stringify(res.body));
    }
  });
});

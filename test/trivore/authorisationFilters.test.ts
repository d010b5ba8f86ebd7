/** SCIM filters, sorting and paging on GET /api/rest/v1/authorisation, compiled to SQL. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startKeyward, type Harness } from '../support/harness.js';
import { addCatalogEntry, addOrg, addPerson, basic, caller } from './support.js';

const URL_ = '/api/rest/v1/authorisation';

describe('authorisation list: SCIM filter, sort and paging', () => {
  let k: Harness;
  let call: ReturnType<typeof caller>;
  /** label → id */
  const ids: Record<string, string> = {};
  let createdBetween: string;

  const list = async (query: Record<string, string>) => {
    const res = await call('GET', `${URL_}?${new URLSearchParams(query)}`);
    return res;
  };
  const labels = async (filter: string, extra: Record<string, string> = {}) => {
    const res = await list({ filter, count: '100', ...extra });
    assert.equal(res.status, 200, `${filter}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.totalResults, res.body.resources.length);
    const byId = Object.fromEntries(Object.entries(ids).map(([l, id]) => [id, l]));
    return res.body.resources.map((r: any) => byId[r.id]).sort();
  };

  before(async () => {
    k = await startKeyward();
    call = caller(k, basic(k.admin.clientId, k.admin.clientSecret));
    const customer = await addOrg(k, 'customer', k.admin.orgId);
    await addPerson(k, 'alice');
    await addPerson(k, 'bob');
    await addPerson(k, 'carol', customer);
    await addCatalogEntry(call, 'type', 'employment');
    await addCatalogEntry(call, 'type', 'file_for_permit');
    await addCatalogEntry(call, 'type', 'emp_contract');
    await addCatalogEntry(call, 'type', 'employment', 'customer');
    await addCatalogEntry(call, 'source', 'hr');
    const create = async (label: string, body: Record<string, unknown>) => {
      const res = await call('POST', URL_, body);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      ids[label] = res.body.id;
      await new Promise((r) => setTimeout(r, 3)); // distinct meta.created
    };
    const user = (value: string) => ({ type: 'User', value });
    await create('live', {
      type: 'employment',
      authSource: 'hr',
      subject: user('alice'),
      object: user('bob'),
      validFrom: '2020-01-01T00:00:00Z',
      validTo: '2099-01-01T00:00:00Z',
    });
    await create('future', {
      type: 'file_for_permit',
      subject: { type: 'String', value: 'say "hi"' },
      object: { type: 'Group', value: 'g1' },
      validFrom: '2030-01-01T00:00:00Z',
      validTo: '2031-01-01T00:00:00Z',
    });
    createdBetween = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 3));
    await create('expired', {
      type: 'emp_contract',
      subject: user('alice'),
      object: { type: 'String', value: 'x%y' },
      validFrom: '2010-01-01T00:00:00Z',
      validTo: '2011-01-01T00:00:00Z',
    });
    await create('revoked', { type: 'file_for_permit', subject: user('alice'), object: user('bob') });
    assert.equal((await call('POST', `${URL_}/${ids.revoked}/revoke`, { cause: 'no' })).status, 200);
    await create('customer', {
      type: 'employment',
      nsCode: 'customer',
      subject: user('carol'),
      object: { type: 'String', value: 'ACME' },
    });
  });
  after(() => k.close());

  const cases: [string, string[]][] = [
    ['subject.value eq "alice"', ['expired', 'live', 'revoked']],
    ['SUBJECT.VALUE EQ "alice"', ['expired', 'live', 'revoked']],
    ['subject.value eq "ALICE"', []], // ids are case-exact
    ['subject[value eq "alice" and type eq "user"]', ['expired', 'live', 'revoked']],
    ['subject.value eq "say \\"hi\\""', ['future']],
    ['object.value co "%"', ['expired']],
    ['object.value sw "AC"', ['customer']],
    ['object.value ew "1"', ['future']],
    ['subject.type eq "user"', ['customer', 'expired', 'live', 'revoked']],
    ['object.type ne "User"', ['customer', 'expired', 'future']],
    ['type eq "employment"', ['customer', 'live']],
    ['authType eq "employment"', ['customer', 'live']],
    ['type sw "emp"', ['customer', 'expired', 'live']],
    ['type ew "permit"', ['future', 'revoked']],
    ['type co "_"', ['expired', 'future', 'revoked']],
    ['type ne "employment"', ['expired', 'future', 'revoked']],
    ['type eq "EMPLOYMENT"', []],
    ['authSource eq "hr"', ['live']],
    ['authSource pr', ['live']],
    ['not (authSource pr)', ['customer', 'expired', 'future', 'revoked']],
    ['authSource ne "hr"', ['customer', 'expired', 'future', 'revoked']],
    ['authSource eq null', ['customer', 'expired', 'future', 'revoked']],
    ['nsCode eq "root"', ['expired', 'future', 'live', 'revoked']],
    ['nsCode eq "customer"', ['customer']],
    ['nsCode ne "root"', ['customer']],
    ['validFrom gt "2029-12-31T23:59:59Z"', ['future']],
    ['validFrom le "2010-01-01"', ['expired']],
    ['validTo lt "2020-01-01T00:00:00+02:00"', ['expired']],
    ['validTo pr', ['expired', 'future', 'live']],
    ['not (validTo pr)', ['customer', 'revoked']],
    ['revoked eq true', ['revoked']],
    ['revoked eq false', ['customer', 'expired', 'future', 'live']],
    ['active eq true', ['customer', 'live']],
    ['active eq false', ['expired', 'future', 'revoked']],
    ['active ne true', ['expired', 'future', 'revoked']],
    ['not (active eq true)', ['expired', 'future', 'revoked']],
    ['active pr', ['customer', 'expired', 'future', 'live', 'revoked']],
    ['revokedAt pr', ['revoked']],
    ['revocationDetails.cause eq "NO"', ['revoked']],
    ['creator.type eq "ManagementApiClient"', ['customer', 'expired', 'future', 'live', 'revoked']],
    // RFC precedence: and binds tighter than or.
    [
      'type eq "file_for_permit" or subject.value eq "alice" and active eq true',
      ['future', 'live', 'revoked'],
    ],
    ['(type eq "file_for_permit" or subject.value eq "alice") and active eq true', ['live']],
    ['subject.value eq "alice" and not (type sw "emp" or revoked eq true)', []],
    ['subject.value eq "alice" and not (type sw "emp") or nsCode eq "customer"', ['customer', 'revoked']],
  ];
  for (const [filter, expected] of cases) {
    it(`filters ${filter}`, async () => {
      assert.deepEqual(await labels(filter), expected);
    });
  }

  it('filters on id and on meta.created / meta.lastModified', async () => {
    assert.deepEqual(await labels(`id eq "${ids.future}"`), ['future']);
    assert.deepEqual(await labels(`meta.created lt "${createdBetween}"`), ['future', 'live']);
    assert.deepEqual(await labels(`meta.lastModified ge "${createdBetween}"`), [
      'customer',
      'expired',
      'revoked',
    ]);
  });

  const invalid: [string, number][] = [
    ['nsCode eq "root" and', 20],
    ['foo eq "x"', 0],
    ['subject.value eq "alice" and bogus.attr pr', 29],
    ['type eq', 7],
    ['type equals "x"', 5],
    ['active eq "yes"', 0],
    ['validFrom gt "not a date"', 0],
    ['subject.value eq alice', 17],
    ['(type eq "x"', 12],
    ['type eq "x\\q"', 10],
  ];
  for (const [filter, position] of invalid) {
    it(`rejects ${JSON.stringify(filter)} with invalidFilter at ${position}`, async () => {
      const res = await list({ filter });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.scimType, 'invalidFilter');
      assert.equal(res.body.position, position, res.body.errorMessage);
      assert.equal(res.body.statusCode, 400);
      assert.equal(res.body.status, '400');
      assert.deepEqual(res.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
      assert.equal(typeof res.body.trackingId, 'string');
    });
  }

  it('pages with 1-based startIndex and count', async () => {
    const all = (await list({})).body;
    assert.equal(all.totalResults, 5);
    assert.equal(all.itemsPerPage, 20);
    const order = all.resources.map((r: any) => r.id);
    assert.deepEqual(order, [...order].sort()); // id order = creation order
    const page2 = (await list({ startIndex: '3', count: '2' })).body;
    assert.deepEqual(
      page2.resources.map((r: any) => r.id),
      order.slice(2, 4),
    );
    assert.equal(page2.startIndex, 3);
    assert.equal(page2.itemsPerPage, 2);
    assert.equal(page2.totalResults, 5);
    const past = (await list({ startIndex: '9' })).body;
    assert.deepEqual([past.totalResults, past.resources.length], [5, 0]);
    const countOnly = (await list({ count: '0', filter: 'active eq true' })).body;
    assert.deepEqual([countOnly.totalResults, countOnly.resources.length], [2, 0]);
    // SCIM: startIndex < 1 means 1; negative count means 0; oversized count is clamped.
    assert.deepEqual(
      (await list({ startIndex: '0' })).body.resources.map((r: any) => r.id),
      order,
    );
    assert.equal((await list({ count: '-5' })).body.resources.length, 0);
    assert.equal((await list({ count: '100000' })).body.itemsPerPage, 500);
    const bads: Record<string, string>[] = [
      { startIndex: 'x' },
      { count: '1.5' },
      { sortOrder: 'up' },
      { sortBy: 'nope' },
    ];
    for (const bad of bads) {
      const res = await list(bad);
      assert.equal(res.status, 400, JSON.stringify(bad));
      assert.equal(res.body.statusCode, 400);
    }
  });

  it('sorts by a declared attribute, absent values last ascending and first descending', async () => {
    const by = async (sortBy: string, sortOrder?: string) => {
      const q: Record<string, string> = { sortBy };
      if (sortOrder) q.sortOrder = sortOrder;
      const res = await list(q);
      assert.equal(res.status, 200);
      const byId = Object.fromEntries(Object.entries(ids).map(([l, id]) => [id, l]));
      return res.body.resources.map((r: any) => byId[r.id]);
    };
    assert.deepEqual((await by('validTo')).slice(0, 3), ['expired', 'future', 'live']);
    assert.deepEqual((await by('validTo', 'descending')).slice(2), ['live', 'future', 'expired']);
    assert.deepEqual(await by('validFrom', 'descending'), [
      'future',
      'customer',
      'revoked',
      'live',
      'expired',
    ]);
    assert.deepEqual(await by('object.value'), ['customer', 'live', 'revoked', 'future', 'expired']);
    assert.deepEqual(await by('META.CREATED'), ['live', 'future', 'expired', 'revoked', 'customer']);
  });
});

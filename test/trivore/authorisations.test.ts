/** Create, get, replace, revoke and delete authorisations: the rules and the bad-input list. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startKeyward, type Harness } from '../support/harness.js';
import { addCatalogEntry, addPerson, basic, caller } from './support.js';

const URL_ = '/api/rest/v1/authorisation';
const ALICE = 'person-alice';
const BOB = 'person-bob';

describe('authorisations: CRUD, revoke and validation', () => {
  let k: Harness;
  let call: ReturnType<typeof caller>;
  const body = (over: Record<string, unknown> = {}) => ({
    type: 'employment',
    subject: { type: 'User', value: ALICE },
    object: { type: 'User', value: BOB },
    ...over,
  });

  before(async () => {
    k = await startKeyward();
    call = caller(k, basic(k.admin.clientId, k.admin.clientSecret));
    await addPerson(k, ALICE);
    await addPerson(k, BOB);
    await addCatalogEntry(call, 'type', 'employment');
    await addCatalogEntry(call, 'type', 'file_for_permit');
    await addCatalogEntry(call, 'source', 'hr_system');
  });
  after(() => k.close());

  it('creates with defaults: default namespace, validFrom now, open-ended, creator', async () => {
    const before = Date.now();
    const res = await call('POST', URL_, body());
    assert.equal(res.status, 201);
    const a = res.body;
    assert.equal(a.nsCode, 'root');
    assert.ok(Date.parse(a.validFrom) >= before && Date.parse(a.validFrom) <= Date.now());
    assert.equal('validTo' in a, false);
    assert.equal('effectiveValidTo' in a, false);
    assert.equal(a.active, true);
    assert.equal(a.revoked, false);
    assert.equal('authSource' in a, false);
    assert.deepEqual(a.creator, { type: 'ManagementApiClient', id: k.admin.clientId });
    const row = await k.services.store.db
      .selectFrom('authorisations')
      .selectAll()
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.subject_value, ALICE);
    assert.equal(row.revoked_at, null);
    const audit = await k.services.store.db
      .selectFrom('audit_events')
      .selectAll()
      .where('target', '=', `authorisation:${a.id}`)
      .execute();
    assert.deepEqual(
      audit.map((e) => e.action),
      ['authorisation.create'],
    );
    const history = await k.services.store.db
      .selectFrom('authorisation_history')
      .selectAll()
      .where('authorisation_id', '=', a.id)
      .execute();
    assert.equal(history.length, 1);
    assert.equal(history[0]!.recorded_to, null);
  });

  it('accepts Bearer tokens as well as Basic', async () => {
    const bearer = caller(k, `Bearer ${await k.token()}`);
    const res = await bearer(
      'POST',
      URL_,
      body({ authType: 'file_for_permit', type: undefined, authSource: 'hr_system' }),
    );
    assert.equal(res.status, 201);
    assert.equal(res.body.type, 'file_for_permit');
    assert.equal(res.body.authSource, 'hr_system');
    const viaSource = await bearer('POST', URL_, body({ source: 'hr_system' }));
    assert.equal(viaSource.body.authSource, 'hr_system');
  });

  it('accepts any case of the party type and stores the canonical one', async () => {
    const res = await call(
      'POST',
      URL_,
      body({ subject: { type: 'string', value: 'Some Text' }, object: { type: 'GROUP', value: 'g1' } }),
    );
    assert.equal(res.status, 201);
    assert.deepEqual(res.body.subject, { type: 'String', value: 'Some Text' });
    assert.deepEqual(res.body.object, { type: 'Group', value: 'g1' });
  });

  const bad: [string, unknown, number, string][] = [
    ['no type', body({ type: undefined }), 400, 'type'],
    ['unknown type', body({ type: 'nope' }), 400, 'type'],
    ['type and authType differ', body({ authType: 'file_for_permit' }), 400, 'authType'],
    ['unknown source', body({ authSource: 'nope' }), 400, 'authSource'],
    ['no subject', body({ subject: undefined }), 400, 'subject'],
    ['null object', body({ object: null }), 400, 'object'],
    ['subject without type', body({ subject: { value: ALICE } }), 400, 'subject.type'],
    ['subject of unknown type', body({ subject: { type: 'Robot', value: 'r' } }), 400, 'subject.type'],
    ['object without value', body({ object: { type: 'User' } }), 400, 'object.value'],
    ['blank object value', body({ object: { type: 'String', value: '  ' } }), 400, 'object.value'],
    ['unknown User subject', body({ subject: { type: 'User', value: 'ghost' } }), 400, 'subject.value'],
    ['unknown User object', body({ object: { type: 'User', value: 'ghost' } }), 400, 'object.value'],
    ['unparsable validFrom', body({ validFrom: 'yesterday' }), 400, 'validFrom'],
    ['impossible validTo date', body({ validTo: '2022-02-30T00:00:00Z' }), 400, 'validTo'],
    ['numeric validTo', body({ validTo: 12 }), 400, 'validTo'],
    [
      'validFrom after validTo',
      body({ validFrom: '2030-01-02T00:00:00Z', validTo: '2030-01-01T00:00:00Z' }),
      400,
      'validTo',
    ],
    [
      'validFrom equal to validTo',
      body({ validFrom: '2030-01-01T00:00:00Z', validTo: '2030-01-01T00:00:00Z' }),
      400,
      'validTo',
    ],
    ['created revoked', body({ revoked: true }), 400, 'revoked'],
    ['inaccessible namespace', body({ nsCode: 'elsewhere' }), 403, ''],
    ['array body', [1, 2], 400, ''],
  ];
  for (const [name, payload, status, field] of bad) {
    it(`refuses ${name} with ${status}${field ? ` naming ${field}` : ''}`, async () => {
      const res = await call('POST', URL_, payload);
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.equal(res.body.statusCode, status);
      assert.equal(typeof res.body.errorMessage, 'string');
      assert.equal(res.body.message, res.body.errorMessage);
      assert.equal(res.body.trackingId, res.headers.trackingid);
      if (field) assert.equal(res.body.field, field);
    });
  }

  it('refuses malformed JSON with 400 and no body with 400', async () => {
    const res = await call('POST', URL_, '{"type":');
    assert.equal(res.status, 400);
    assert.equal(res.body.statusCode, 400);
    const none = await call('POST', URL_, undefined, { 'content-type': 'application/json' });
    assert.equal(none.status, 400);
  });

  it('answers 401 without or with wrong credentials, in the Trivore shape', async () => {
    const anonymous = await k.app.inject({ method: 'GET', url: URL_ });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.json().statusCode, 401);
    const wrong = await caller(k, basic(k.admin.clientId, 'wrong'))('GET', URL_);
    assert.equal(wrong.status, 401);
  });

  it('gets, replaces (recording the previous window) and keeps the namespace', async () => {
    const created = (
      await call('POST', URL_, body({ validFrom: '2030-01-01T00:00:00Z', validTo: '2031-01-01T00:00:00Z' }))
    ).body;
    assert.equal(created.active, false); // starts in the future
    const got = await call('GET', `${URL_}/${created.id}`);
    assert.deepEqual(got.body, created);

    const res = await call('PUT', `${URL_}/${created.id}`, {
      ...created, // a client sends back what it read; read-only fields are ignored
      type: 'file_for_permit',
      validFrom: '2020-01-01T00:00:00Z',
      validTo: null,
      subject: { type: 'String', value: 'anyone' },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.type, 'file_for_permit');
    assert.equal(res.body.validFrom, '2020-01-01T00:00:00.000Z');
    assert.equal('validTo' in res.body, false);
    assert.equal(res.body.active, true);
    assert.equal(res.body.meta.created, created.meta.created);
    assert.ok(res.body.meta.lastModified >= created.meta.lastModified);

    const history = await k.services.store.db
      .selectFrom('authorisation_history')
      .selectAll()
      .where('authorisation_id', '=', created.id)
      .orderBy('version')
      .execute();
    assert.equal(history.length, 2);
    assert.equal(history[0]!.valid_from, Date.parse('2030-01-01T00:00:00Z'));
    assert.equal(history[0]!.recorded_to, history[1]!.recorded_from);
    assert.equal(history[1]!.valid_to, null);
    const audit = await k.services.store.db
      .selectFrom('audit_events')
      .select(['action', 'detail'])
      .where('target', '=', `authorisation:${created.id}`)
      .orderBy('at')
      .execute();
    assert.deepEqual(
      audit.map((e) => e.action),
      ['authorisation.create', 'authorisation.update'],
    );
    assert.equal(JSON.parse(audit[1]!.detail!).previous.validFrom, Date.parse('2030-01-01T00:00:00Z'));

    // Omitted optional fields keep their value.
    const kept = await call('PUT', `${URL_}/${created.id}`, body({ type: 'file_for_permit' }));
    assert.equal(kept.body.validFrom, '2020-01-01T00:00:00.000Z');

    const moved = await call('PUT', `${URL_}/${created.id}`, body({ nsCode: 'other' }));
    assert.equal(moved.status, 400);
    assert.equal(moved.body.field, 'nsCode');
    const noType = await call('PUT', `${URL_}/${created.id}`, {
      subject: created.subject,
      object: created.object,
    });
    assert.equal(noType.status, 400);
    const badDate = await call('PUT', `${URL_}/${created.id}`, body({ validTo: 'soon' }));
    assert.equal(badDate.status, 400);
    assert.equal(badDate.body.field, 'validTo');
    const revokeByPut = await call('PUT', `${URL_}/${created.id}`, body({ revoked: true }));
    assert.equal(revokeByPut.status, 400);
    assert.equal(revokeByPut.body.field, 'revoked');
  });

  it('revokes once (409 the second time), and a revoked one cannot be changed or un-revoked', async () => {
    const created = (await call('POST', URL_, body({ validTo: '2099-01-01T00:00:00Z' }))).body;
    const revoked = await call('POST', `${URL_}/${created.id}/revoke`, { cause: 'left the company' });
    assert.equal(revoked.status, 200);
    assert.equal(revoked.body.revoked, true);
    assert.equal(revoked.body.active, false);
    assert.equal(revoked.body.effectiveValidTo, revoked.body.revokedAt); // revoked before validTo
    assert.deepEqual(revoked.body.revocationDetails, { cause: 'left the company' });

    const again = await call('POST', `${URL_}/${created.id}/revoke`, { cause: 'again' });
    assert.equal(again.status, 409);
    assert.equal(again.body.statusCode, 409);
    const unrevoke = await call('PUT', `${URL_}/${created.id}`, body({ revoked: false }));
    assert.equal(unrevoke.status, 409);
    const row = await k.services.store.db
      .selectFrom('authorisations')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.revocation_cause, 'left the company');
    assert.equal(new Date(row.revoked_at!).toISOString(), revoked.body.revokedAt);

    // The older SDK revokes with no body at all.
    const other = (await call('POST', URL_, body())).body;
    const bare = await k.app.inject({
      method: 'POST',
      url: `${URL_}/${other.id}/revoke`,
      headers: { authorization: basic(k.admin.clientId, k.admin.clientSecret) },
    });
    assert.equal(bare.statusCode, 200);
    assert.deepEqual(bare.json().revocationDetails, {});
    const longCause = await call('POST', `${URL_}/${(await call('POST', URL_, body())).body.id}/revoke`, {
      cause: 'x'.repeat(1001),
    });
    assert.equal(longCause.status, 400);
  });

  it('deletes (204) then answers 404 everywhere', async () => {
    const created = (await call('POST', URL_, body())).body;
    assert.equal((await call('DELETE', `${URL_}/${created.id}`)).status, 204);
    for (const [method, url, payload] of [
      ['GET', `${URL_}/${created.id}`],
      ['PUT', `${URL_}/${created.id}`, body()],
      ['DELETE', `${URL_}/${created.id}`],
      ['POST', `${URL_}/${created.id}/revoke`, {}],
    ] as const) {
      const res = await call(method, url, payload);
      assert.equal(res.status, 404, `${method} ${url}`);
      assert.equal(res.body.statusCode, 404);
    }
    const history = await k.services.store.db
      .selectFrom('authorisation_history')
      .selectAll()
      .where('authorisation_id', '=', created.id)
      .execute();
    assert.equal(history.length, 1);
    assert.notEqual(history[0]!.recorded_to, null);
  });

  it('answers unknown paths under /api/rest/v1 in the Trivore shape', async () => {
    const res = await call('GET', '/api/rest/v1/nothing-here');
    assert.equal(res.status, 404);
    assert.equal(res.body.statusCode, 404);
  });
});

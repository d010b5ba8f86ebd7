/**
 * The examples of seed 003 (Trivore's authorisation docs), sent verbatim over real HTTP with the
 * seed's own Basic header: a management client that is literally client_id:client_secret.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startKeyward, type Harness } from '../support/harness.js';
import { TRIVORE_SCOPES } from '../../src/domain/access/scopes.js';
import { addCatalogEntry, addClient, addPerson, caller, SEED_OBJECT, SEED_SUBJECT } from './support.js';

const SEED_AUTH = 'Basic Y2xpZW50X2lkOmNsaWVudF9zZWNyZXQ=';

describe('seed 003 examples, verbatim', () => {
  let k: Harness;
  let http: (method: string, path: string, body?: string) => Promise<{ status: number; body: any }>;
  let createdId: string;

  before(async () => {
    k = await startKeyward({ listen: true });
    // The seed's secret is shorter than bootstrap allows, so the client is inserted directly.
    await addClient(k, k.admin.orgId, [...TRIVORE_SCOPES], ['full_admin'], {
      id: 'client_id',
      secret: 'client_secret',
    });
    await addPerson(k, SEED_SUBJECT);
    await addPerson(k, SEED_OBJECT);
    const admin = caller(k, SEED_AUTH);
    await addCatalogEntry(admin, 'type', 'file_for_permit');
    await addCatalogEntry(admin, 'type', 'employment');
    http = async (method, path, body) => {
      const res = await fetch(k.baseUrl + path, {
        method,
        headers: {
          accept: 'application/json',
          Authorization: SEED_AUTH,
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        body,
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    };
  });
  after(() => k.close());

  it('creates an authorisation between two Users (curl POST)', async () => {
    const res = await http(
      'POST',
      '/api/rest/v1/authorisation',
      `{
"type": "file_for_permit",
"validFrom": "2022-05-23T13:03:21.711Z",
"validTo": "2022-06-23T13:03:21.711Z",
"nsCode": "root",
"subject": {
"type": "User",
"value": "58cfb7353874e103fc81ec5f"
},
"object": {
"type": "User",
"value": "5a325c543874e16a85710c5e"
}
}`,
    );
    assert.equal(res.status, 201);
    const a = res.body;
    createdId = a.id;
    assert.match(a.id, /^[0-9a-z]{26}$/);
    assert.equal(a.type, 'file_for_permit');
    assert.equal(a.validFrom, '2022-05-23T13:03:21.711Z');
    assert.equal(a.validTo, '2022-06-23T13:03:21.711Z');
    assert.equal(a.revoked, false);
    assert.equal(a.nsCode, 'root');
    assert.deepEqual(a.creator, { type: 'ManagementApiClient', id: 'client_id' });
    assert.deepEqual(a.subject, { type: 'User', value: SEED_SUBJECT });
    assert.deepEqual(a.object, { type: 'User', value: SEED_OBJECT });
    assert.equal(a.effectiveValidTo, '2022-06-23T13:03:21.711Z');
    // The window ended in 2022, so it is not active now.
    assert.equal(a.active, false);
    assert.ok(Date.parse(a.meta.created) <= Date.now());
    assert.equal(a.meta.created, a.meta.lastModified);
    assert.equal('revokedAt' in a, false);
  });

  it('creates an employment authorisation with String parties and authType (python POST)', async () => {
    const payload = {
      nsCode: 'root',
      authType: 'employment',
      object: { type: 'String', value: 'value1' },
      subject: { type: 'String', value: 'value2' },
      validFrom: '2018-10-25T12:00:31Z',
      validTo: '2019-10-25T12:00:31Z',
    };
    const res = await http('POST', '/api/rest/v1/authorisation', JSON.stringify(payload));
    assert.equal(res.status, 201);
    assert.equal(res.body.type, 'employment');
    assert.equal(res.body.validFrom, '2018-10-25T12:00:31.000Z');
    assert.deepEqual(res.body.object, { type: 'String', value: 'value1' });
  });

  it('lists the items of namespace root (python GET with params filter)', async () => {
    const params = new URLSearchParams({ filter: 'nsCode eq "root"' }); // requests encodes spaces as +
    const res = await http('GET', `/api/rest/v1/authorisation?${params}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.totalResults, 2);
    assert.equal(res.body.startIndex, 1);
    assert.equal(res.body.itemsPerPage, 20);
    assert.deepEqual(
      res.body.resources.map((r: any) => r.type),
      ['file_for_permit', 'employment'],
    );
    const pct = await http('GET', '/api/rest/v1/authorisation?filter=nsCode%20eq%20%22root%22');
    assert.deepEqual(pct.body, res.body);
  });

  it('lists the active authorisations delegated to a user (curl POST {"active": true})', async () => {
    const live = await http(
      'POST',
      '/api/rest/v1/authorisation',
      JSON.stringify({
        type: 'file_for_permit',
        subject: { type: 'User', value: SEED_SUBJECT },
        object: { type: 'User', value: SEED_OBJECT },
      }),
    );
    assert.equal(live.status, 201);
    assert.equal(live.body.active, true);
    assert.equal(live.body.nsCode, 'root'); // the client's default namespace

    const res = await http(
      'POST',
      '/api/rest/v1/user/58cfb7353874e103fc81ec5f/authorisation/subject',
      `{
"active": true
}`,
    );
    assert.equal(res.status, 200);
    assert.equal(res.body.totalResults, 1);
    assert.equal(res.body.resources[0].id, live.body.id);
    const all = await http('GET', '/api/rest/v1/user/58cfb7353874e103fc81ec5f/authorisation/subject');
    assert.deepEqual(
      all.body.resources.map((r: any) => r.id),
      [createdId, live.body.id],
    );
  });

  it('fetches one authorisation by id (python GET)', async () => {
    const res = await http('GET', `/api/rest/v1/authorisation/${createdId}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.id, createdId);
  });

  it('revokes with a cause (curl POST …/revoke)', async () => {
    const res = await http(
      'POST',
      `/api/rest/v1/authorisation/${createdId}/revoke`,
      `{
"cause": "Unnecessary"
}`,
    );
    assert.equal(res.status, 200);
    assert.equal(res.body.id, createdId);
    assert.equal(res.body.revoked, true);
    assert.ok(Math.abs(Date.parse(res.body.revokedAt) - Date.now()) < 60_000);
    assert.deepEqual(res.body.revocationDetails, { cause: 'Unnecessary' });
    assert.equal(res.body.active, false);
    // Revoked after validTo: the window's end stays the effective end.
    assert.equal(res.body.effectiveValidTo, '2022-06-23T13:03:21.711Z');
    assert.equal(res.body.meta.lastModified, res.body.meta.created);
  });

  it('removes an authorisation (python DELETE)', async () => {
    const res = await http('DELETE', `/api/rest/v1/authorisation/${createdId}`);
    assert.equal(res.status, 204);
    assert.equal((await http('GET', `/api/rest/v1/authorisation/${createdId}`)).status, 404);
  });
});

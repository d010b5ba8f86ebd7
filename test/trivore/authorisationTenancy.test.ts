/**
 * Namespaces and permissions: every Trivore-style route is limited to the caller's accessible
 * namespaces (own org; a partner full admin also its customers) and to its AUTHORISATION_* scopes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TRIVORE_SCOPES } from '../../src/domain/access/scopes.js';
import { startKeyward, type Harness } from '../support/harness.js';
import { addCatalogEntry, addClient, addOrg, addPerson, basic, caller } from './support.js';

const A = '/api/rest/v1/authorisation';

describe('authorisations: namespaces and permissions', () => {
  let k: Harness;
  let root: ReturnType<typeof caller>;
  let customer: ReturnType<typeof caller>;
  let stranger: ReturnType<typeof caller>;
  let rootAuth: any;
  let customerAuth: any;
  let rootType: any;
  let rootSource: any;
  const parties = {
    subject: { type: 'User', value: 'root-user' },
    object: { type: 'String', value: 'thing' },
  };

  before(async () => {
    k = await startKeyward();
    root = caller(k, basic(k.admin.clientId, k.admin.clientSecret));
    const customerOrg = await addOrg(k, 'customer', k.admin.orgId);
    const strangerOrg = await addOrg(k, 'stranger', null);
    customer = caller(k, await addClient(k, customerOrg, [...TRIVORE_SCOPES], ['user_admin']));
    stranger = caller(k, await addClient(k, strangerOrg, [...TRIVORE_SCOPES], ['full_admin']));
    await addPerson(k, 'root-user');
    await addPerson(k, 'customer-user', customerOrg);
    rootType = await addCatalogEntry(root, 'type', 'employment');
    rootSource = await addCatalogEntry(root, 'source', 'hr');
    await addCatalogEntry(root, 'type', 'employment', 'customer');
    await addCatalogEntry(stranger, 'type', 'employment');
    rootAuth = (await root('POST', A, { type: 'employment', ...parties })).body;
    customerAuth = (
      await customer('POST', A, {
        type: 'employment',
        subject: { type: 'User', value: 'customer-user' },
        object: { type: 'String', value: 'thing' },
      })
    ).body;
    assert.equal(customerAuth.nsCode, 'customer'); // the client's default namespace
  });
  after(() => k.close());

  const ids = (res: { body: any }) => res.body.resources.map((r: any) => r.id).sort();

  it("a partner full admin sees its own and its customers' namespaces", async () => {
    assert.deepEqual(ids(await root('GET', A)), [rootAuth.id, customerAuth.id].sort());
    assert.equal((await root('GET', `${A}/${customerAuth.id}`)).status, 200);
    const created = await root('POST', A, {
      type: 'employment',
      nsCode: 'customer',
      subject: { type: 'User', value: 'customer-user' },
      object: parties.object,
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.nsCode, 'customer');
    assert.equal((await root('DELETE', `${A}/${created.body.id}`)).status, 204);
  });

  it("a User party must belong to the authorisation's namespace", async () => {
    const res = await root('POST', A, { type: 'employment', nsCode: 'customer', ...parties });
    assert.equal(res.status, 400);
    assert.equal(res.body.field, 'subject.value');
  });

  it('a customer sees only its namespace and cannot write elsewhere', async () => {
    assert.deepEqual(ids(await customer('GET', A)), [customerAuth.id]);
    const filtered = async (filter: string) =>
      ids(await customer('GET', `${A}?filter=${encodeURIComponent(filter)}`));
    assert.deepEqual(await filtered('nsCode eq "root"'), []);
    assert.deepEqual(await filtered('nsCode ne "customer"'), []);
    assert.deepEqual(await filtered('nsCode sw "" and type pr'), [customerAuth.id]);
    assert.deepEqual(await filtered('nsCode pr'), [customerAuth.id]);
    assert.deepEqual(await filtered('nsCode eq "root" or type pr'), [customerAuth.id]);
    assert.deepEqual(await filtered('not (nsCode eq "customer")'), []);
    assert.equal((await customer('POST', A, { type: 'employment', nsCode: 'root', ...parties })).status, 403);
    assert.equal(
      (await customer('POST', A, { type: 'employment', nsCode: 'stranger', ...parties })).status,
      403,
    );
  });

  it('another tenant gets 404 for every route on a foreign record', async () => {
    const foreign: [string, string, unknown?][] = [
      ['GET', `${A}/${rootAuth.id}`],
      ['PUT', `${A}/${rootAuth.id}`, { type: 'employment', ...parties }],
      ['DELETE', `${A}/${rootAuth.id}`],
      ['POST', `${A}/${rootAuth.id}/revoke`, { cause: 'hostile' }],
      ['GET', `/api/rest/v1/authorisation_type/${rootType.id}`],
      ['PUT', `/api/rest/v1/authorisation_type/${rootType.id}`, { code: 'x' }],
      ['DELETE', `/api/rest/v1/authorisation_type/${rootType.id}`],
      ['GET', `/api/rest/v1/authorisation_source/${rootSource.id}`],
      ['DELETE', `/api/rest/v1/authorisation_source/${rootSource.id}`],
      ['GET', '/api/rest/v1/user/root-user/authorisation/subject'],
      ['POST', '/api/rest/v1/user/root-user/authorisation/object', { active: true }],
    ];
    for (const [method, url, body] of foreign) {
      for (const who of [stranger, customer]) {
        const res = await who(method, url, body);
        // The customer client is a user admin: type/source writes stop at the role check first.
        const typeWrite = method !== 'GET' && url.includes('/authorisation_');
        const expected = who === customer && typeWrite ? 403 : 404;
        assert.equal(res.status, expected, `${method} ${url}: ${JSON.stringify(res.body)}`);
      }
    }
    assert.deepEqual(ids(await stranger('GET', A)), []);
    const types = await stranger('GET', '/api/rest/v1/authorisation_type');
    assert.deepEqual(
      types.body.resources.map((t: any) => t.nsCode),
      ['stranger'],
    );
    const q = new URLSearchParams({
      'subject.value': 'root-user',
      'object.value': 'thing',
      type: 'employment',
    });
    assert.equal((await stranger('GET', `${A}/check?${q}`)).body.active, false);
    assert.equal((await root('GET', `${A}/check?${q}`)).body.active, true);
    // Nothing changed.
    const row = await k.services.store.db
      .selectFrom('authorisations')
      .selectAll()
      .where('id', '=', rootAuth.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.revoked_at, null);
  });

  it('each operation needs its AUTHORISATION_* permission', async () => {
    const viewOnly = caller(k, await addClient(k, k.admin.orgId, ['AUTHORISATION_VIEW']));
    assert.equal((await viewOnly('GET', A)).status, 200);
    for (const [method, url, body, permission] of [
      ['POST', A, { type: 'employment', ...parties }, 'AUTHORISATION_CREATE'],
      ['PUT', `${A}/${rootAuth.id}`, { type: 'employment', ...parties }, 'AUTHORISATION_MODIFY'],
      ['DELETE', `${A}/${rootAuth.id}`, undefined, 'AUTHORISATION_DELETE'],
      ['POST', `${A}/${rootAuth.id}/revoke`, {}, 'AUTHORISATION_REVOKE'],
      ['GET', '/api/rest/v1/authorisation_type', undefined, 'AUTHORISATION_TYPE_VIEW'],
      ['POST', '/api/rest/v1/authorisation_type', { code: 'x' }, 'AUTHORISATION_TYPE_CREATE'],
      ['PUT', `/api/rest/v1/authorisation_type/${rootType.id}`, { code: 'x' }, 'AUTHORISATION_TYPE_MODIFY'],
      ['DELETE', `/api/rest/v1/authorisation_type/${rootType.id}`, undefined, 'AUTHORISATION_TYPE_DELETE'],
      ['GET', '/api/rest/v1/authorisation_source', undefined, 'AUTHORISATION_SOURCE_VIEW'],
      ['POST', '/api/rest/v1/authorisation_source', { code: 'x' }, 'AUTHORISATION_SOURCE_CREATE'],
    ] as const) {
      const res = await viewOnly(method, url, body);
      assert.equal(res.status, 403, `${method} ${url}`);
      assert.equal(res.body.statusCode, 403);
      assert.match(res.body.errorMessage, new RegExp(permission));
    }
    const noView = caller(k, await addClient(k, k.admin.orgId, ['AUTHORISATION_CREATE']));
    assert.equal((await noView('GET', A)).status, 403);
    assert.equal((await noView('GET', `${A}/check?subject.value=a&object.value=b&type=c`)).status, 403);
    assert.equal((await noView('GET', '/api/rest/v1/user/root-user/authorisation/subject')).status, 403);
  });

  it('a read-only admin may read but not write, whatever its scopes', async () => {
    const readOnly = caller(k, await addClient(k, k.admin.orgId, [...TRIVORE_SCOPES], ['read_only_admin']));
    assert.equal((await readOnly('GET', A)).status, 200);
    assert.equal((await readOnly('POST', A, { type: 'employment', ...parties })).status, 403);
  });

  it('a Bearer token narrowed to AUTHORISATION_VIEW cannot create', async () => {
    const narrowed = caller(k, `Bearer ${await k.token('AUTHORISATION_VIEW')}`);
    assert.equal((await narrowed('GET', A)).status, 200);
    assert.equal((await narrowed('POST', A, { type: 'employment', ...parties })).status, 403);
  });
});

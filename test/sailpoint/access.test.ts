import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startKeyward, type Harness } from '../support/harness.js';
import { api, clientBody, createdClient, errorText, orgWithClient, VERSIONS } from './support.js';

describe('SailPoint-style OAuth clients: authentication, permissions and tenancy', () => {
  let k: Harness;
  let admin: string;
  let rootClientId: string;
  before(async () => {
    k = await startKeyward({ env: { KEYWARD_RATE_LIMIT_MAX: '0' } });
    admin = await k.token();
    rootClientId = (await createdClient(k, admin, clientBody({ name: 'Root org client' }))).id;
  });
  after(() => k.close());

  for (const version of VERSIONS) {
    it(`/${version}: no or bad credentials → 401 {error} (SailPoint's 401 shape)`, async () => {
      const cases = [
        {},
        { authorization: 'Bearer not-a-jwt' },
        { authorization: `Bearer ${admin.slice(0, -4)}AAAA` },
        { authorization: 'Digest abc' },
      ];
      for (const headers of cases) {
        const res = await k.app.inject({ method: 'GET', url: `/${version}/oauth-clients`, headers });
        assert.equal(res.statusCode, 401);
        const body = res.json();
        assert.deepEqual(Object.keys(body), ['error']);
        assert.equal(typeof body.error, 'string');
      }
    });
  }

  it('read scope: list and get, but no writes (403 ErrorResponseDto)', async () => {
    const reader = await k.token('sp:oauth-client:read');
    assert.equal((await api(k).list(reader)).statusCode, 200);
    assert.equal((await api(k).get(reader, rootClientId, 'v3')).statusCode, 200);
    const refused = [
      await api(k).create(reader, clientBody()),
      await api(k).patch(reader, rootClientId, [{ op: 'replace', path: '/name', value: 'x' }]),
      await api(k).remove(reader, rootClientId),
      await api(k).rotate(reader, rootClientId),
    ];
    for (const res of refused) {
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().detailCode, '403 Forbidden');
      assert.match(errorText(res), /sp:oauth-client:manage/);
    }
    assert.equal((await api(k).get(admin, rootClientId)).json().name, 'Root org client');
  });

  it('no SailPoint scope at all → 403 on reads too', async () => {
    const other = await k.token('spark-admin:people_read');
    const res = await api(k).list(other);
    assert.equal(res.statusCode, 403);
    assert.match(errorText(res), /sp:oauth-client:read, sp:oauth-client:manage/);
  });

  it('roles: a read-only admin with the manage scope may read but not write', async () => {
    const readOnly = await orgWithClient(k, { roles: ['read_only_admin'] });
    assert.equal((await api(k).list(readOnly.token)).statusCode, 200);
    const res = await api(k).create(readOnly.token, clientBody());
    assert.equal(res.statusCode, 403);
    assert.match(errorText(res), /full_admin/);
  });

  it('scopes: a client can only grant scopes its caller holds', async () => {
    const narrow = await k.token('sp:oauth-client:manage sp:oauth-client:read');
    const res = await api(k).create(
      narrow,
      clientBody({ scope: ['sp:oauth-client:read', 'spark-admin:people_write'] }),
    );
    assert.equal(res.statusCode, 400);
    assert.match(
      errorText(res),
      /scope: the caller does not hold, so cannot grant: spark-admin:people_write/,
    );

    const ok = await api(k).create(narrow, clientBody({ scope: ['sp:oauth-client:read', 'openid'] }));
    assert.equal(ok.statusCode, 200, ok.body);
    const defaulted = await api(k).create(narrow, clientBody());
    assert.deepEqual([...defaulted.json().scope].sort(), ['sp:oauth-client:manage', 'sp:oauth-client:read']);
  });

  it('scopes on patch: adding one the caller lacks → 400; a client beyond the caller → 403 (ceiling)', async () => {
    const wide = (
      await api(k).create(admin, clientBody({ scope: ['spark-admin:people_read', 'sp:oauth-client:read'] }))
    ).json();
    // Issue 13: a caller may not act on a client holding scopes it lacks, even to rename it.
    const weaker = await k.token('sp:oauth-client:manage');
    const refused = await api(k).patch(weaker, wide.id, [{ op: 'replace', path: '/name', value: 'Renamed' }]);
    assert.equal(refused.statusCode, 403, refused.body);
    const narrow = await k.token('sp:oauth-client:manage spark-admin:people_read sp:oauth-client:read');
    const add = await api(k).patch(narrow, wide.id, [
      { op: 'add', path: '/scope/-', value: 'spark-admin:people_write' },
    ]);
    assert.equal(add.statusCode, 400);
    assert.match(errorText(add), /cannot grant: spark-admin:people_write/);
    const rename = await api(k).patch(narrow, wide.id, [{ op: 'replace', path: '/name', value: 'Renamed' }]);
    assert.equal(rename.statusCode, 200, rename.body);
    assert.deepEqual(rename.json().scope, ['spark-admin:people_read', 'sp:oauth-client:read']);
    const drop = await api(k).patch(narrow, wide.id, [{ op: 'remove', path: '/scope/0' }]);
    assert.deepEqual(drop.json().scope, ['sp:oauth-client:read']);
  });

  it('roles: none unless asked for (least privilege); a full admin may give a client a lesser role', async () => {
    const res = await api(k).create(admin, clientBody({ roles: ['read_only_admin'] }));
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().roles, ['read_only_admin']);
    assert.deepEqual((await api(k).create(admin, clientBody())).json().roles, []);
  });

  describe('tenancy', () => {
    let other: Awaited<ReturnType<typeof orgWithClient>>;
    let customer: Awaited<ReturnType<typeof orgWithClient>>;
    let otherClientId: string;
    let customerClientId: string;
    before(async () => {
      other = await orgWithClient(k);
      customer = await orgWithClient(k, { parentId: k.admin.orgId });
      otherClientId = (await createdClient(k, other.token, clientBody({ name: 'Other org client' }))).id;
      customerClientId = (await createdClient(k, customer.token, clientBody({ name: 'Customer client' }))).id;
    });

    for (const version of VERSIONS) {
      it(`/${version}: another organization's client id → 404 on get, patch, delete, rotate`, async () => {
        const results = [
          await api(k).get(admin, otherClientId, version),
          await api(k).patch(
            admin,
            otherClientId,
            [{ op: 'replace', path: '/name', value: 'mine' }],
            version,
          ),
          await api(k).remove(admin, otherClientId, version),
          await api(k).rotate(admin, otherClientId, version),
          await api(k).get(other.token, rootClientId, version),
          await api(k).remove(other.token, rootClientId, version),
          await api(k).get(customer.token, rootClientId, version),
        ];
        for (const res of results) {
          assert.equal(res.statusCode, 404, res.body);
          assert.equal(res.json().detailCode, '404 Not found');
        }
        const row = await k.services.store.db
          .selectFrom('oauth_clients')
          .select('name')
          .where('id', '=', otherClientId)
          .executeTakeFirstOrThrow();
        assert.equal(row.name, 'Other org client');
      });
    }

    it("lists show only the caller's organization", async () => {
      const mine = (await api(k).list(admin)).json().map((c: { id: string }) => c.id);
      assert.ok(mine.includes(rootClientId));
      assert.ok(!mine.includes(otherClientId) && !mine.includes(customerClientId));
      const theirs = (await api(k).list(other.token)).json().map((c: { id: string }) => c.id);
      assert.deepEqual(theirs.sort(), [other.clientId, otherClientId].sort());
      const filtered = await api(k).list(other.token, { filters: `id eq "${rootClientId}"`, count: 'true' });
      assert.deepEqual(filtered.json(), []);
      assert.equal(filtered.headers['x-total-count'], '0');
    });

    it("a partner's full admin manages its customer's clients (orgId on list and create)", async () => {
      const listed = await api(k).list(admin, { orgId: customer.orgId });
      assert.equal(listed.statusCode, 200);
      assert.ok(listed.json().some((c: { id: string }) => c.id === customerClientId));
      assert.equal((await api(k).get(admin, customerClientId)).statusCode, 200);
      const created = await api(k).create(
        admin,
        clientBody({ name: 'Made by partner' }),
        'v3',
        `?orgId=${customer.orgId}`,
      );
      assert.equal(created.statusCode, 200, created.body);
      const row = await k.services.store.db
        .selectFrom('oauth_clients')
        .select('org_id')
        .where('id', '=', created.json().id)
        .executeTakeFirstOrThrow();
      assert.equal(row.org_id, customer.orgId);
      assert.equal((await api(k).remove(admin, created.json().id)).statusCode, 204);
    });

    it('orgId of an organization the caller does not manage → 400; a customer may not look up', async () => {
      const res = await api(k).list(admin, { orgId: other.orgId });
      assert.equal(res.statusCode, 400);
      assert.match(errorText(res), /orgId/);
      const up = await api(k).list(customer.token, { orgId: k.admin.orgId });
      assert.equal(up.statusCode, 400);
      const create = await api(k).create(customer.token, clientBody(), 'beta', `?orgId=${k.admin.orgId}`);
      assert.equal(create.statusCode, 400);
    });
  });
});

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { newId } from '../../src/platform/ids.js';
import { startKeyward, TEST_DB, type Harness } from '../support/harness.js';
import { api, clientBody, clientToken, createdClient, tokenRequest } from './support.js';

const MANAGER_SCOPES = ['sp:oauth-client:read', 'sp:oauth-client:manage', 'spark-admin:organizations_read'];

describe('SailPoint-style OAuth clients: what writes do to tokens', () => {
  let k: Harness;
  let admin: string;
  const orgs = (token: string) =>
    k.app.inject({ method: 'GET', url: '/v1/organizations', headers: { authorization: `Bearer ${token}` } });

  before(async () => {
    k = await startKeyward({ env: { KEYWARD_RATE_LIMIT_MAX: '0', KEYWARD_LAST_USED_FLUSH_MS: '100' } });
    admin = await k.token();
  });
  after(() => k.close());

  it('deleting a client refuses its tokens at once, on every API (it was cached as valid)', async () => {
    const { id, secret } = await createdClient(
      k,
      admin,
      clientBody({ scope: MANAGER_SCOPES, roles: ['full_admin'] }),
    );
    const token = await clientToken(k, id, secret);
    assert.equal((await api(k).list(token)).statusCode, 200); // the client is now in the directory cache
    assert.equal((await orgs(token)).statusCode, 200);
    assert.equal((await api(k).remove(admin, id, 'v3')).statusCode, 204);
    const sailpoint = await api(k).list(token);
    assert.equal(sailpoint.statusCode, 401);
    assert.ok(sailpoint.json().error);
    assert.equal((await orgs(token)).statusCode, 401);
    const basic = await k.app.inject({
      method: 'GET',
      url: '/beta/oauth-clients',
      headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` },
    });
    assert.equal(basic.statusCode, 401);
    assert.equal((await tokenRequest(k, id, secret)).statusCode, 401);
  });

  it('disabling a client refuses its tokens and its secret at once; enabling restores new tokens', async () => {
    const { id, secret } = await createdClient(
      k,
      admin,
      clientBody({ scope: MANAGER_SCOPES, roles: ['full_admin'] }),
    );
    const token = await clientToken(k, id, secret);
    assert.equal((await api(k).get(token, id)).statusCode, 200);
    const disabled = await api(k).patch(admin, id, [{ op: 'replace', path: '/enabled', value: false }]);
    assert.equal(disabled.statusCode, 200, disabled.body);
    assert.equal(disabled.json().enabled, false);
    assert.equal((await api(k).get(token, id)).statusCode, 401);
    assert.equal((await orgs(token)).statusCode, 401);
    const refused = await tokenRequest(k, id, secret);
    assert.equal(refused.statusCode, 401);
    assert.equal(refused.json().error, 'invalid_client');
    assert.equal(
      (await api(k).patch(admin, id, [{ op: 'replace', path: '/enabled', value: true }])).statusCode,
      200,
    );
    const fresh = await clientToken(k, id, secret);
    assert.equal((await api(k).get(fresh, id)).statusCode, 200);
  });

  it('removing a scope from a client takes it from tokens already issued', async () => {
    const { id, secret } = await createdClient(
      k,
      admin,
      clientBody({ scope: MANAGER_SCOPES, roles: ['full_admin'] }),
    );
    const token = await clientToken(k, id, secret);
    assert.equal((await orgs(token)).statusCode, 200);
    const res = await api(k).patch(admin, id, [{ op: 'remove', path: '/scope/2' }]);
    assert.deepEqual(res.json().scope, ['sp:oauth-client:read', 'sp:oauth-client:manage']);
    assert.equal((await orgs(token)).statusCode, 403);
    assert.equal((await api(k).list(token)).statusCode, 200);
  });

  it('shortening the access token lifetime applies to the next token', async () => {
    const { id, secret } = await createdClient(k, admin, clientBody());
    await api(k).patch(admin, id, [{ op: 'replace', path: '/accessTokenValiditySeconds', value: 120 }]);
    assert.equal((await tokenRequest(k, id, secret)).json().expires_in, 120);
  });

  it("deleting a client ends its people's grants and consents", async () => {
    const { id } = await createdClient(k, admin, clientBody());
    const db = k.services.store.db;
    const now = Date.now();
    const grantId = newId();
    const personId = newId();
    await db
      .insertInto('token_grants')
      .values({
        id: grantId,
        org_id: k.admin.orgId,
        client_id: id,
        person_id: personId,
        type: 'refresh',
        parent_id: null,
        family_id: grantId,
        token_hash: `hash-${grantId}`,
        jti: null,
        scope: 'openid',
        auth_time: now,
        created_at: now,
        expires_at: now + 86_400_000,
        rotated_at: null,
        revoked_at: null,
      })
      .execute();
    await db
      .insertInto('consents')
      .values({
        client_id: id,
        person_id: personId,
        org_id: k.admin.orgId,
        scope: 'openid',
        created_at: now,
        updated_at: now,
      })
      .execute();
    assert.equal((await api(k).remove(admin, id)).statusCode, 204);
    const grant = await db
      .selectFrom('token_grants')
      .select('revoked_at')
      .where('id', '=', grantId)
      .executeTakeFirstOrThrow();
    assert.ok(grant.revoked_at !== null && grant.revoked_at >= now);
    const consents = await db.selectFrom('consents').selectAll().where('client_id', '=', id).execute();
    assert.equal(consents.length, 0);
  });

  it('lastUsed: set (coalesced, within the flush interval) once the client obtains a token', async () => {
    const { id, secret } = await createdClient(k, admin, clientBody({ name: 'Used once' }));
    assert.equal((await api(k).get(admin, id)).json().lastUsed, null);
    const before = Date.now();
    await clientToken(k, id, secret);
    let lastUsed: string | null = null;
    for (let i = 0; i < 40 && lastUsed === null; i++) {
      await sleep(50);
      lastUsed = (await api(k).get(admin, id)).json().lastUsed;
    }
    assert.ok(lastUsed, 'lastUsed was never written');
    assert.ok(Date.parse(lastUsed) >= before - 1 && Date.parse(lastUsed) <= Date.now());
    const never = await api(k).list(admin, { filters: 'lastUsed isnull' });
    assert.ok(!never.json().some((c: { id: string }) => c.id === id));
    const used = await api(k).list(admin, { filters: `lastUsed le ${new Date().toISOString()}` });
    assert.ok(used.json().some((c: { id: string }) => c.id === id));
  });
});

describe(
  'SailPoint-style OAuth clients: two nodes on one PostgreSQL',
  { skip: TEST_DB !== 'postgres' },
  () => {
    let a: Harness;
    let b: Harness;
    before(async () => {
      a = await startKeyward({ env: { KEYWARD_RATE_LIMIT_MAX: '0' } });
      b = await startKeyward({ database: a.config.database, env: { KEYWARD_RATE_LIMIT_MAX: '0' } });
    });
    after(async () => {
      await b.close().catch(() => {});
      await a.close();
    });

    it('a client deleted on node A: its token is refused on node B (which had it cached)', async () => {
      const admin = await a.token();
      const { id, secret } = await createdClient(
        a,
        admin,
        clientBody({ scope: MANAGER_SCOPES, roles: ['full_admin'] }),
      );
      const token = await clientToken(a, id, secret);
      assert.equal((await api(b).list(token)).statusCode, 200);
      assert.equal((await api(a).remove(admin, id)).statusCode, 204);
      let status = 200;
      for (let i = 0; i < 40 && status === 200; i++) {
        status = (await api(b).list(token)).statusCode;
        if (status === 200) await sleep(25);
      }
      assert.equal(status, 401);
    });
  },
);

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { secretMatches } from '../../src/platform/crypto/secrets.js';
import { startKeyward, type Harness } from '../support/harness.js';
import { api, appBody, clientBody, clientToken, tokenRequest, VERSIONS } from './support.js';

const GET_KEYS = [
  'accessTokenValiditySeconds',
  'accessType',
  'backchannelLogoutSessionRequired', // Keyward extension (issue 22)
  'backchannelLogoutUri', // Keyward extension (issue 22)
  'businessName',
  'claimsSupported',
  'created',
  'description',
  'enabled',
  'grantTypes',
  'homepageUrl',
  'id',
  'internal',
  'lastUsed',
  'metadata',
  'modified',
  'name',
  'postLogoutRedirectUris', // Keyward extension (issue 22)
  'redirectUris',
  'refreshTokenValiditySeconds',
  'roles',
  'scope',
  'secret',
  'strongAuthSupported',
  'type',
];
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('SailPoint-style OAuth clients: lifecycle on /beta and /v3', () => {
  let k: Harness;
  let admin: string;
  before(async () => {
    k = await startKeyward({ env: { KEYWARD_RATE_LIMIT_MAX: '0' } });
    admin = await k.token();
  });
  after(() => k.close());

  for (const version of VERSIONS) {
    describe(`/${version}/oauth-clients`, () => {
      let id: string;
      let secret: string;

      it('POST creates a client: 200, every documented key, the secret once, hashed at rest', async () => {
        const res = await api(k).create(
          admin,
          appBody({
            businessName: 'Acme-Solar',
            homepageUrl: 'http://localhost:12345',
            redirectUris: ['http://localhost:12345', 'http://localhost:67890'],
            grantTypes: ['AUTHORIZATION_CODE', 'CLIENT_CREDENTIALS', 'REFRESH_TOKEN'],
            refreshTokenValiditySeconds: 86400,
            strongAuthSupported: false,
            claimsSupported: false,
            internal: false,
            type: 'CONFIDENTIAL',
            scope: ['sp:oauth-client:read', 'openid'],
          }),
          version,
        );
        assert.equal(res.statusCode, 200, res.body);
        assert.match(res.headers['content-type'] as string, /application\/json/);
        const body = res.json();
        assert.deepEqual(Object.keys(body).sort(), GET_KEYS);
        assert.match(body.id, /^[0-9a-f]{32}$/);
        assert.equal(typeof body.secret, 'string');
        assert.ok(body.secret.length >= 40);
        assert.equal(body.name, 'Web portal');
        assert.equal(body.businessName, 'Acme-Solar');
        assert.deepEqual(body.grantTypes, ['AUTHORIZATION_CODE', 'CLIENT_CREDENTIALS', 'REFRESH_TOKEN']);
        assert.deepEqual(body.redirectUris, ['http://localhost:12345', 'http://localhost:67890']);
        assert.deepEqual(body.scope, ['sp:oauth-client:read', 'openid']);
        assert.deepEqual(body.roles, [], 'no admin role unless asked for');
        assert.equal(body.accessType, 'OFFLINE');
        assert.equal(body.type, 'CONFIDENTIAL');
        assert.equal(body.lastUsed, null);
        assert.match(body.created, ISO_MS);
        assert.equal(body.created, body.modified);
        id = body.id;
        secret = body.secret;

        const row = await k.services.store.db
          .selectFrom('oauth_clients')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        assert.equal(row.org_id, k.admin.orgId);
        assert.notEqual(row.secret_hash, secret);
        assert.ok(secretMatches(secret, row.secret_hash));
        assert.equal(row.business_name, 'Acme-Solar');
        assert.equal(row.access_token_ttl, 750);
        assert.equal(row.created_by, `client:${k.admin.clientId}`);
        assert.deepEqual(JSON.parse(row.grant_types), body.grantTypes);
      });

      it('the new secret works at the token endpoint at once, with the client’s own TTL', async () => {
        const res = await tokenRequest(k, id, secret);
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.json().expires_in, 750);
        assert.equal(res.json().scope, 'sp:oauth-client:read openid');
      });

      it('GET returns the client with secret null', async () => {
        const res = await api(k).get(admin, id, version);
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json();
        assert.deepEqual(Object.keys(body).sort(), GET_KEYS);
        assert.equal(body.secret, null);
        assert.equal(body.id, id);
        assert.equal(body.homepageUrl, 'http://localhost:12345');
      });

      it('GET of the other version returns the same client', async () => {
        const other = version === 'beta' ? 'v3' : 'beta';
        const res = await api(k).get(admin, id, other);
        assert.equal(res.statusCode, 200);
        assert.equal(res.json().name, 'Web portal');
      });

      it('list is a bare JSON array including the client, never a secret', async () => {
        const res = await api(k).list(admin, {}, version);
        assert.equal(res.statusCode, 200);
        const body = res.json();
        assert.ok(Array.isArray(body));
        const mine = body.find((c: { id: string }) => c.id === id);
        assert.ok(mine);
        assert.ok(body.every((c: { secret: unknown }) => c.secret === null));
        assert.equal(res.headers['x-total-count'], undefined);
      });

      it('PATCH (application/json-patch+json) applies the operations and returns the new state', async () => {
        const res = await api(k).patch(
          admin,
          id,
          [
            { op: 'replace', path: '/strongAuthSupported', value: true },
            { op: 'replace', path: '/businessName', value: 'acme-solar' },
            { op: 'add', path: '/redirectUris/-', value: 'https://portal.example/other' },
            { op: 'remove', path: '/homepageUrl' },
            { op: 'test', path: '/name', value: 'Web portal' },
          ],
          version,
        );
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json();
        assert.equal(body.strongAuthSupported, true);
        assert.equal(body.businessName, 'acme-solar');
        assert.equal(body.homepageUrl, null);
        assert.deepEqual(body.redirectUris, [
          'http://localhost:12345',
          'http://localhost:67890',
          'https://portal.example/other',
        ]);
        assert.equal(body.secret, null);
        assert.ok(Date.parse(body.modified) >= Date.parse(body.created));
        const row = await k.services.store.db
          .selectFrom('oauth_clients')
          .select(['business_name', 'homepage_url', 'strong_auth_supported', 'redirect_uris'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        assert.deepEqual(row, {
          business_name: 'acme-solar',
          homepage_url: null,
          strong_auth_supported: 1,
          redirect_uris: JSON.stringify(body.redirectUris),
        });
      });

      it('PATCH also accepts application/json', async () => {
        const res = await api(k).patch(
          admin,
          id,
          [{ op: 'replace', path: '/accessTokenValiditySeconds', value: 900 }],
          version,
          'application/json',
        );
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.json().accessTokenValiditySeconds, 900);
        assert.equal((await tokenRequest(k, id, secret)).json().expires_in, 900);
      });

      it('POST …/{id}/secret rotates: new secret once, old secret refused at once', async () => {
        const res = await api(k).rotate(admin, id, version);
        assert.equal(res.statusCode, 200, res.body);
        const fresh = res.json().secret;
        assert.equal(typeof fresh, 'string');
        assert.notEqual(fresh, secret);
        assert.equal(res.json().id, id);
        assert.equal((await tokenRequest(k, id, secret)).statusCode, 401);
        assert.equal((await tokenRequest(k, id, fresh)).statusCode, 200);
        assert.equal((await api(k).get(admin, id, version)).json().secret, null);
        secret = fresh;
      });

      it('DELETE answers 204, then the client is gone everywhere', async () => {
        const token = await clientToken(k, id, secret);
        const res = await api(k).remove(admin, id, version);
        assert.equal(res.statusCode, 204);
        assert.equal(res.body, '');
        assert.equal((await api(k).get(admin, id, version)).statusCode, 404);
        assert.equal((await api(k).remove(admin, id, version)).statusCode, 404);
        assert.equal((await tokenRequest(k, id, secret)).statusCode, 401);
        const call = await api(k).list(token, {}, version);
        assert.equal(call.statusCode, 401);
        const row = await k.services.store.db
          .selectFrom('oauth_clients')
          .select('id')
          .where('id', '=', id)
          .executeTakeFirst();
        assert.equal(row, undefined);
      });

      it('every write left an audit event without secrets', async () => {
        const events = await k.services.store.db
          .selectFrom('audit_events')
          .selectAll()
          .where('target', '=', `oauth_client:${id}`)
          .orderBy('at')
          .orderBy('id')
          .execute();
        assert.deepEqual(
          events.map((e) => e.action),
          [
            'oauth_client.create',
            'oauth_client.update',
            'oauth_client.update',
            'oauth_client.rotate_secret',
            'oauth_client.delete',
          ],
        );
        assert.ok(
          events.every((e) => e.actor === `client:${k.admin.clientId}` && e.org_id === k.admin.orgId),
        );
        assert.ok(events.every((e) => !(e.detail ?? '').includes(secret)));
        assert.deepEqual(JSON.parse(events[1]!.detail!).fields.sort(), [
          'businessName',
          'homepageUrl',
          'redirectUris',
          'strongAuthSupported',
        ]);
      });
    });
  }

  it('defaults: CONFIDENTIAL, refresh 86400, no redirect URIs, flags false, the creator’s scopes and roles', async () => {
    const res = await api(k).create(admin, clientBody());
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.type, 'CONFIDENTIAL');
    assert.equal(body.refreshTokenValiditySeconds, 86400);
    assert.deepEqual(body.redirectUris, []);
    assert.equal(body.internal, false);
    assert.equal(body.strongAuthSupported, false);
    assert.equal(body.claimsSupported, false);
    assert.equal(body.businessName, null);
    const bootstrap = await k.services.clients.find(k.admin.clientId);
    assert.deepEqual([...body.scope].sort(), [...bootstrap!.scopes].sort());
    assert.deepEqual(body.roles, [], 'the bootstrap client is full_admin; its creations are not');
  });

  it("scope 'sp:scopes:all' is stored as the creator's scopes", async () => {
    const narrow = await k.token('sp:oauth-client:manage spark-admin:people_read');
    const res = await api(k).create(narrow, clientBody({ scope: ['sp:scopes:all', 'openid'] }));
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual([...res.json().scope].sort(), [
      'openid',
      'sp:oauth-client:manage',
      'spark-admin:people_read',
    ]);
  });

  it('a PUBLIC client has no secret (null) and authenticates with client_id alone', async () => {
    const res = await api(k).create(admin, appBody({ type: 'PUBLIC', grantTypes: ['AUTHORIZATION_CODE'] }));
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().secret, null);
    const row = await k.services.store.db
      .selectFrom('oauth_clients')
      .select('secret_hash')
      .where('id', '=', res.json().id)
      .executeTakeFirstOrThrow();
    assert.equal(row.secret_hash, null);
    const rotate = await api(k).rotate(admin, res.json().id);
    assert.equal(rotate.statusCode, 400);
  });

  it('/apidoc documents every operation under both versions', async () => {
    const doc = (await k.app.inject({ method: 'GET', url: '/apidoc/openapi.json' })).json();
    for (const version of VERSIONS) {
      const base = `/${version}/oauth-clients`;
      assert.deepEqual(Object.keys(doc.paths[base]).sort(), ['get', 'post']);
      assert.deepEqual(Object.keys(doc.paths[`${base}/{id}`]).sort(), ['delete', 'get', 'patch']);
      assert.deepEqual(Object.keys(doc.paths[`${base}/{id}/secret`]), ['post']);
    }
  });

  it('an empty patch changes nothing and writes no audit event', async () => {
    const { id } = (await api(k).create(admin, clientBody({ name: 'Unpatched' }))).json();
    const before = (await api(k).get(admin, id)).json();
    const res = await api(k).patch(admin, id, []);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), before);
    const events = await k.services.store.db
      .selectFrom('audit_events')
      .select('action')
      .where('target', '=', `oauth_client:${id}`)
      .execute();
    assert.deepEqual(
      events.map((e) => e.action),
      ['oauth_client.create'],
    );
  });
});

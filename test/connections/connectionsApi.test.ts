import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startKeyward, type Harness } from '../support/harness.js';
import { parseCredentials } from '../../src/http/credentials.js';
import {
  caller,
  CERT_PEM,
  clientToken,
  oauthConnection,
  otherOrgAdmin,
  serviceClient,
} from './support/connectionsSupport.js';

describe('Authress-style /v1/connections: CRUD, validation, secrets, errors', () => {
  let k: Harness;
  let call: ReturnType<typeof caller>;

  before(async () => {
    k = await startKeyward({ env: { KEYWARD_RATE_LIMIT_MAX: '0' } });
    call = caller(k, await k.token());
  });
  after(() => k.close());

  it('POST creates (201, application/links+json), assigns an id, never returns the client secret', async () => {
    const res = await call('POST', '/v1/connections', oauthConnection());
    assert.equal(res.status, 201);
    assert.match(String(res.headers['content-type']), /^application\/links\+json/);
    const c = res.body;
    assert.match(c.connectionId, /^con_[0-9a-z]{26}$/);
    assert.equal(c.type, 'OAUTH2');
    assert.equal(c.authenticationUrl, 'https://idp.example.com/oauth/authorize');
    assert.equal(c.tokenUrl, 'https://idp.example.com/oauth/token');
    assert.equal(c.issuerUrl, 'https://idp.example.com');
    assert.equal(c.clientId, 'keyward-at-idp');
    assert.equal(c.providerCertificate, null);
    assert.deepEqual(c.data, {
      tenantId: 'tenant-1',
      name: 'Example IdP',
      supportedContentType: 'application/x-www-form-urlencoded',
    });
    assert.deepEqual(c.defaultConnectionProperties, { scope: 'openid email profile' });
    assert.ok(!Number.isNaN(Date.parse(c.createdTime)));
    assert.ok(!('clientSecret' in c));
    assert.ok(!JSON.stringify(c).includes('very-secret-upstream-value'));
  });

  it('the client secret is sealed at rest with the master key and appears in no response or audit event', async () => {
    const { body } = await call(
      'POST',
      '/v1/connections',
      oauthConnection({ clientSecret: 'sealed-secret-42' }),
    );
    const row = await k.services.store.db
      .selectFrom('connections')
      .selectAll()
      .where('id', '=', body.connectionId)
      .executeTakeFirstOrThrow();
    assert.ok(row.client_secret_enc && !row.client_secret_enc.includes('sealed-secret-42'));
    assert.equal(k.services.box.decrypt(row.client_secret_enc), 'sealed-secret-42');
    const audit = await k.services.store.db
      .selectFrom('audit_events')
      .select(['action', 'detail'])
      .where('target', '=', `connection:${body.connectionId}`)
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['connection.create'],
    );
    assert.ok(!JSON.stringify(audit).includes('sealed-secret-42'));
    const got = await call('GET', `/v1/connections/${body.connectionId}`);
    const list = await call('GET', '/v1/connections?limit=1000');
    assert.ok(
      !JSON.stringify(got.body).includes('sealed-secret-42') &&
        !JSON.stringify(list.body).includes('sealed-secret-42'),
    );
  });

  it('GET one; unknown ids answer 404 in Authress shape', async () => {
    const { body: created } = await call(
      'POST',
      '/v1/connections',
      oauthConnection({ connectionId: 'corp-okta' }),
    );
    const got = await call('GET', '/v1/connections/corp-okta');
    assert.equal(got.status, 200);
    assert.match(String(got.headers['content-type']), /^application\/links\+json/);
    assert.deepEqual(got.body, created);
    const missing = await call('GET', '/v1/connections/nope');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.errorCode, 'NotFound');
    assert.match(missing.body.title, /nope/);
    assert.ok(missing.body.errorId);
    const unknownPath = await call('GET', '/v1/connections/corp-okta/whatever');
    assert.equal(unknownPath.status, 404);
    assert.equal(unknownPath.body.errorCode, 'NotFound');
  });

  it('an explicit duplicate connectionId is a 409 (a retried create can never make two)', async () => {
    assert.equal(
      (await call('POST', '/v1/connections', oauthConnection({ connectionId: 'dup' }))).status,
      201,
    );
    const again = await call('POST', '/v1/connections', oauthConnection({ connectionId: 'dup' }));
    assert.equal(again.status, 409);
    assert.equal(again.body.errorCode, 'Conflict');
  });

  it('PUT replaces the whole connection; an absent clientSecret keeps it, null clears it', async () => {
    await call('POST', '/v1/connections', oauthConnection({ connectionId: 'replace-me' }));
    const put = await call('PUT', '/v1/connections/replace-me', {
      authenticationUrl: 'https://other.example.com/authorize',
      tokenUrl: 'https://other.example.com/token',
      clientId: 'new-client',
      createdTime: '2000-01-01T00:00:00.000Z', // read-only fields sent back are ignored
    });
    assert.equal(put.status, 200);
    assert.equal(put.body.authenticationUrl, 'https://other.example.com/authorize');
    assert.equal(put.body.issuerUrl, null, 'full replace: a field left out is cleared');
    assert.deepEqual(put.body.data, { supportedContentType: 'application/json' });
    assert.deepEqual(put.body.defaultConnectionProperties, { scope: 'openid profile email' });
    assert.notEqual(put.body.createdTime, '2000-01-01T00:00:00.000Z');
    const row = () =>
      k.services.store.db
        .selectFrom('connections')
        .select('client_secret_enc')
        .where('id', '=', 'replace-me')
        .executeTakeFirstOrThrow();
    assert.equal(k.services.box.decrypt((await row()).client_secret_enc!), 'very-secret-upstream-value');
    await call('PUT', '/v1/connections/replace-me', oauthConnection({ clientSecret: 'rotated' }));
    assert.equal(k.services.box.decrypt((await row()).client_secret_enc!), 'rotated');
    await call('PUT', '/v1/connections/replace-me', oauthConnection({ clientSecret: null }));
    assert.equal((await row()).client_secret_enc, null);
    const renamed = await call(
      'PUT',
      '/v1/connections/replace-me',
      oauthConnection({ connectionId: 'other-name' }),
    );
    assert.equal(renamed.status, 400);
    assert.equal(renamed.body.field, 'connectionId');
    assert.equal((await call('PUT', '/v1/connections/ghost', oauthConnection())).status, 404);
  });

  it('DELETE answers 204, then the connection is gone (404 on GET and on a second DELETE)', async () => {
    await call('POST', '/v1/connections', oauthConnection({ connectionId: 'short-lived' }));
    const res = await k.app.inject({
      method: 'DELETE',
      url: '/v1/connections/short-lived',
      headers: { authorization: `Bearer ${await k.token()}`, 'content-type': 'application/json' },
    });
    assert.equal(
      res.statusCode,
      204,
      'an empty body with Content-Type: application/json is accepted (the SDK sends that)',
    );
    assert.equal(res.body, '');
    assert.equal((await call('GET', '/v1/connections/short-lived')).status, 404);
    assert.equal((await call('DELETE', '/v1/connections/short-lived')).status, 404);
  });

  describe('bad input answers 400 naming the field, and stores nothing', () => {
    const cases: [string, Record<string, unknown>, string, RegExp][] = [
      [
        'missing authenticationUrl',
        oauthConnection({ authenticationUrl: undefined }),
        'authenticationUrl',
        /required/,
      ],
      [
        'null authenticationUrl',
        oauthConnection({ authenticationUrl: null }),
        'authenticationUrl',
        /required/,
      ],
      [
        'authenticationUrl not a URL',
        oauthConnection({ authenticationUrl: 'not a url' }),
        'authenticationUrl',
        /absolute URL/,
      ],
      ['relative tokenUrl', oauthConnection({ tokenUrl: '/oauth/token' }), 'tokenUrl', /absolute URL/],
      ['ftp issuerUrl', oauthConnection({ issuerUrl: 'ftp://idp.example.com' }), 'issuerUrl', /http/],
      [
        'plain http to a non-loopback host',
        oauthConnection({ tokenUrl: 'http://idp.example.com/token' }),
        'tokenUrl',
        /https/,
      ],
      [
        'a URL with credentials',
        oauthConnection({ tokenUrl: 'https://u:p@idp.example.com/token' }),
        'tokenUrl',
        /credentials/,
      ],
      ['unknown type', oauthConnection({ type: 'WebAuthN' }), 'type', /OAUTH2, SAML2/],
      ['numeric type', oauthConnection({ type: 7 }), 'type', /OAUTH2, SAML2/],
      [
        'OAUTH2 without tokenUrl',
        oauthConnection({ tokenUrl: undefined }),
        'tokenUrl',
        /required for OAUTH2/,
      ],
      ['OAUTH2 without clientId', oauthConnection({ clientId: null }), 'clientId', /required for OAUTH2/],
      [
        'SAML2 without certificate',
        { type: 'SAML2', authenticationUrl: 'https://idp.example.com/saml/sso' },
        'providerCertificate',
        /required for SAML2/,
      ],
      [
        'SAML2 with a non-certificate',
        {
          type: 'SAML2',
          authenticationUrl: 'https://idp.example.com/saml/sso',
          providerCertificate: 'hello',
        },
        'providerCertificate',
        /X\.509/,
      ],
      ['bad connectionId', oauthConnection({ connectionId: 'has space' }), 'connectionId', /letters, digits/],
      [
        'unknown supportedContentType',
        oauthConnection({ data: { supportedContentType: 'text/xml' } }),
        'data.supportedContentType',
        /application\/json/,
      ],
      ['bad tenantId', oauthConnection({ data: { tenantId: 'a/b' } }), 'data.tenantId', /letters/],
      ['data not an object', oauthConnection({ data: 'x' }), 'data', /object/],
    ];
    for (const [name, body, field, reason] of cases) {
      it(name, async () => {
        const before = await k.services.store.db
          .selectFrom('connections')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        const res = await call('POST', '/v1/connections', body);
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.equal(res.body.errorCode, 'InvalidRequest');
        assert.equal(res.body.field, field);
        assert.match(res.body.title, reason);
        const after = await k.services.store.db
          .selectFrom('connections')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        assert.equal(Number(after.n), Number(before.n));
      });
    }
    it('a body that is not JSON', async () => {
      const res = await k.app.inject({
        method: 'POST',
        url: '/v1/connections',
        headers: { authorization: `Bearer ${await k.token()}`, 'content-type': 'application/json' },
        payload: '{"type":',
      });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().errorCode, 'InvalidRequest');
    });
  });

  it('SAML2 connections keep a validated certificate (PEM, or bare base64 DER stored as PEM)', async () => {
    const pem = await call('POST', '/v1/connections', {
      type: 'SAML2',
      authenticationUrl: 'https://idp.example.com/saml/sso',
      issuerUrl: 'https://idp.example.com/entity',
      providerCertificate: CERT_PEM,
    });
    assert.equal(pem.status, 201);
    assert.equal(pem.body.providerCertificate, CERT_PEM);
    const bare = CERT_PEM.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    const der = await call('POST', '/v1/connections', {
      type: 'saml2',
      authenticationUrl: 'https://idp.example.com/saml/sso',
      providerCertificate: bare,
    });
    assert.equal(der.status, 201);
    assert.equal(der.body.type, 'SAML2');
    assert.equal(der.body.providerCertificate, CERT_PEM);
  });

  it('authentication and permissions: 401 without credentials, 403 without the scope or role, in Authress shape', async () => {
    const none = await k.app.inject({ method: 'GET', url: '/v1/connections' });
    assert.equal(none.statusCode, 401);
    assert.equal(none.json().errorCode, 'Unauthorized');
    assert.ok(none.json().title);
    const readOnly = await serviceClient(k, { scopes: ['connections:read'], roles: ['full_admin'] });
    const reader = caller(k, await clientToken(k, readOnly.id, readOnly.secret!));
    assert.equal((await reader('GET', '/v1/connections')).status, 200);
    const denied = await reader('POST', '/v1/connections', oauthConnection());
    assert.equal(denied.status, 403);
    assert.equal(denied.body.errorCode, 'Forbidden');
    assert.match(denied.body.title, /connections:write/);
    const notAdmin = await serviceClient(k, {
      scopes: ['connections:read', 'connections:write'],
      roles: ['read_only_admin'],
    });
    const viewer = caller(k, await clientToken(k, notAdmin.id, notAdmin.secret!));
    assert.equal((await viewer('GET', '/v1/connections')).status, 200);
    const noRole = await viewer('DELETE', '/v1/connections/corp-okta');
    assert.equal(noRole.status, 403);
    assert.match(noRole.body.title, /full_admin/);
  });

  it('a connection of another organization is invisible: 404 for get, replace, delete, credentials; absent from lists', async () => {
    const other = await otherOrgAdmin(k);
    const theirs = caller(k, other.token);
    const created = await theirs(
      'POST',
      '/v1/connections',
      oauthConnection({ connectionId: 'their-idp', data: { name: 'Their IdP' } }),
    );
    assert.equal(created.status, 201);
    assert.equal((await call('GET', '/v1/connections/their-idp')).status, 404);
    assert.equal((await call('PUT', '/v1/connections/their-idp', oauthConnection())).status, 404);
    assert.equal((await call('DELETE', '/v1/connections/their-idp')).status, 404);
    assert.equal((await call('GET', '/v1/connections/their-idp/users/anyone/credentials')).status, 404);
    const mine = await call('GET', '/v1/connections?filter=their');
    assert.deepEqual(mine.body.connections, []);
    // the same connectionId may exist in both organizations, each seeing its own
    assert.equal(
      (await call('POST', '/v1/connections', oauthConnection({ connectionId: 'their-idp' }))).status,
      201,
    );
    assert.equal((await theirs('GET', '/v1/connections/their-idp')).body.data.name, 'Their IdP');
    // naming another organization the caller does not manage is refused
    const crossing = await call('GET', `/v1/connections/their-idp?orgId=${other.orgId}`);
    assert.equal(crossing.status, 400);
    assert.equal((await theirs('GET', `/v1/connections/their-idp?orgId=${k.admin.orgId}`)).status, 400);
  });

  it('serialise-before-commit: when building the response fails, the write is rolled back', async () => {
    const principal = await k.services.authenticator.authenticate(
      parseCredentials(`Bearer ${await k.token()}`),
    );
    await assert.rejects(
      k.services.connections.records.create(
        principal,
        oauthConnection({ connectionId: 'never-committed' }),
        undefined,
        () => {
          throw new Error('serialisation failed');
        },
      ),
      /serialisation failed/,
    );
    assert.equal((await call('GET', '/v1/connections/never-committed')).status, 404);
    await call('POST', '/v1/connections', oauthConnection({ connectionId: 'kept-as-is' }));
    await assert.rejects(
      k.services.connections.records.replace(
        principal,
        'kept-as-is',
        oauthConnection({ clientId: 'changed' }),
        undefined,
        () => {
          throw new Error('serialisation failed');
        },
      ),
    );
    assert.equal((await call('GET', '/v1/connections/kept-as-is')).body.clientId, 'keyward-at-idp');
  });
});

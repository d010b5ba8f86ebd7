import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { insertPerson } from '../support/fixtures.js';
import { startKeyward, type Harness } from '../support/harness.js';

// authress-sdk is CommonJS.
const { AuthressClient } = createRequire(import.meta.url)('authress-sdk');

const CONNECTION_KEYS = [
  'authenticationUrl',
  'clientId',
  'connectionId',
  'createdTime',
  'data',
  'defaultConnectionProperties',
  'issuerUrl',
  'lastUpdated',
  'providerCertificate',
  'tokenUrl',
  'type',
];

/** SDK errors are plain objects {url, data, status, headers}, not Errors. */
async function sdkError(promise: Promise<unknown>): Promise<{ status: number; data: any }> {
  try {
    await promise;
  } catch (e: any) {
    return e;
  }
  throw new Error('expected the SDK call to fail');
}

describe('the real authress-sdk against Keyward (access key issued by Keyward, baseUrl http://127.0.0.1:PORT)', () => {
  let k: Harness;
  let sdk: any;
  let accessKey: string;

  before(async () => {
    k = await startKeyward({ listen: true, env: { KEYWARD_RATE_LIMIT_MAX: '0' } });
    // The SDK's own service-client API, with a bearer token, asks Keyward for an access key.
    const bootstrap = new AuthressClient({ authressApiUrl: k.baseUrl }, async () => k.token());
    const issued = await bootstrap.serviceClients.requestAccessKey(k.admin.clientId);
    assert.equal(issued.status, 201);
    accessKey = issued.data.accessKey;
    assert.equal(issued.data.clientId, k.admin.clientId);
    assert.equal(accessKey.split('.')[0], k.admin.clientId);
    // From here on the SDK signs its own EdDSA JWTs with the key: no token request at all.
    sdk = new AuthressClient({ authressApiUrl: k.baseUrl }, accessKey);
  });
  after(() => k.close());

  it('createConnection, getConnection, getConnections, updateConnection, getConnectionCredentials, deleteConnection', async () => {
    const created = await sdk.connections.createConnection({
      type: 'OAUTH2',
      authenticationUrl: 'https://login.example.org/oauth2/authorize',
      tokenUrl: 'https://login.example.org/oauth2/token',
      issuerUrl: 'https://login.example.org',
      clientId: 'sdk-client',
      clientSecret: 'sdk-secret-value',
      data: {
        tenantId: 'acme',
        name: 'Acme Login',
        supportedContentType: 'application/x-www-form-urlencoded',
      },
      defaultConnectionProperties: { scope: 'openid email' },
    });
    assert.equal(created.status, 201);
    assert.match(created.headers['content-type'], /^application\/links\+json/);
    const c = created.data;
    assert.deepEqual(Object.keys(c).sort(), CONNECTION_KEYS);
    assert.equal(typeof c.connectionId, 'string');
    assert.equal(c.type, 'OAUTH2');
    assert.equal(typeof c.createdTime, 'string');
    assert.deepEqual(c.data, {
      tenantId: 'acme',
      name: 'Acme Login',
      supportedContentType: 'application/x-www-form-urlencoded',
    });
    assert.deepEqual(c.defaultConnectionProperties, { scope: 'openid email' });
    assert.equal(c.clientSecret, undefined);

    const got = await sdk.connections.getConnection(c.connectionId);
    assert.equal(got.status, 200);
    assert.deepEqual(got.data, c);

    // GET /v1/connections/ (trailing slash, no parameters)
    const list = await sdk.connections.getConnections();
    assert.equal(list.status, 200);
    assert.ok(Array.isArray(list.data.connections));
    assert.deepEqual(
      list.data.connections.map((x: any) => x.connectionId),
      [c.connectionId],
    );
    assert.deepEqual(Object.keys(list.data.connections[0]).sort(), CONNECTION_KEYS);
    assert.equal(list.data.links.self.href, `${k.baseUrl}/v1/connections/`);
    assert.deepEqual(list.data.pagination, {});

    const updated = await sdk.connections.updateConnection(c.connectionId, {
      ...c,
      authenticationUrl: 'https://login.example.org/v2/authorize',
      data: { ...c.data, name: 'Acme Login v2' },
    });
    assert.equal(updated.status, 200);
    assert.equal(updated.data.authenticationUrl, 'https://login.example.org/v2/authorize');
    assert.equal(updated.data.data.name, 'Acme Login v2');
    assert.equal(updated.data.createdTime, c.createdTime);

    // A person who signed in through the connection has stored credentials.
    const person = await insertPerson(k);
    await k.services.store.db.transaction().execute((trx) =>
      k.services.connections.credentials.store(trx, {
        orgId: k.admin.orgId,
        connectionId: c.connectionId,
        personId: person.id,
        subject: 'upstream-sub',
        tokens: { accessToken: 'upstream-access-token-1', expiresIn: 3600 },
      }),
    );
    const credentials = await sdk.connections.getConnectionCredentials(c.connectionId, person.id);
    assert.equal(credentials.status, 200);
    assert.deepEqual(credentials.data, { accessToken: 'upstream-access-token-1' });
    // Without a userId the SDK asks for its own JWT's sub: the service client, which never signed in.
    const own = await sdkError(sdk.connections.getConnectionCredentials(c.connectionId));
    assert.equal(own.status, 404);
    assert.equal(own.data.errorCode, 'NotFound');

    const deleted = await sdk.connections.deleteConnection(c.connectionId);
    assert.equal(deleted.status, 204);
    const gone = await sdkError(sdk.connections.getConnection(c.connectionId));
    assert.equal(gone.status, 404);
    assert.deepEqual(Object.keys(gone.data).sort(), ['errorCode', 'errorId', 'title']);
    assert.equal(gone.data.errorCode, 'NotFound');
    const noCredentials = await sdkError(sdk.connections.getConnectionCredentials(c.connectionId, person.id));
    assert.equal(noCredentials.status, 404);

    // One POST made one connection: nothing answered 5xx, so the SDK retried nothing.
    const audit = await k.services.store.db
      .selectFrom('audit_events')
      .select('action')
      .where('target', '=', `connection:${c.connectionId}`)
      .execute();
    assert.deepEqual(audit.map((a) => a.action).sort(), [
      'connection.create',
      'connection.delete',
      'connection.replace',
    ]);
  });

  it('errors reach the SDK as {status, data: {errorCode, title}}: bad input 400, unknown 404, bad key 401', async () => {
    const bad = await sdkError(
      sdk.connections.createConnection({
        type: 'OAUTH2',
        tokenUrl: 'https://x.example/token',
        clientId: 'c',
      }),
    );
    assert.equal(bad.status, 400);
    assert.equal(bad.data.errorCode, 'InvalidRequest');
    assert.match(bad.data.title, /authenticationUrl/);
    const unknownType = await sdkError(
      sdk.connections.createConnection({ type: 'PASSWORD', authenticationUrl: 'https://x.example/a' }),
    );
    assert.equal(unknownType.status, 400);
    const [clientId, keyId, accountId, der] = accessKey.split('.');
    const wrongAccount = new AuthressClient(
      { authressApiUrl: k.baseUrl },
      `${clientId}.${keyId}.not-our-org.${der}`,
    );
    const denied = await sdkError(wrongAccount.connections.getConnections());
    assert.equal(denied.status, 401);
    assert.equal(denied.data.errorCode, 'Unauthorized');
    const wrongKid = new AuthressClient(
      { authressApiUrl: k.baseUrl },
      `${clientId}.kwk_unknownkey.${accountId}.${der}`,
    );
    assert.equal((await sdkError(wrongKid.connections.getConnections())).status, 401);
  });

  it("many connections: the SDK's getConnections returns the first page (limit 100) with a next cursor", async () => {
    for (let i = 0; i < 105; i++) {
      await sdk.connections.createConnection({
        connectionId: `bulk-${String(i).padStart(3, '0')}`,
        authenticationUrl: 'https://login.example.org/a',
        tokenUrl: 'https://login.example.org/t',
        clientId: 'x',
      });
    }
    const list = await sdk.connections.getConnections();
    assert.equal(list.data.connections.length, 100);
    assert.ok(list.data.pagination.next.cursor);
    assert.ok(list.data.links.next.href.startsWith(`${k.baseUrl}/v1/connections/?`));
    const next = await fetch(list.data.links.next.href, {
      headers: { authorization: `Bearer ${await k.token()}` },
    });
    assert.equal(((await next.json()) as any).connections.length, 5);
  });
});

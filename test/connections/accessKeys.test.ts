import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startKeyward, TEST_DB, TEST_MASTER_KEY, type Harness } from '../support/harness.js';
import { parseCredentials } from '../../src/http/credentials.js';
import { caller, otherOrgAdmin, serviceClient, clientToken } from './support/connectionsSupport.js';

function parseKey(accessKey: string) {
  const [clientId, keyId, accountId, der] = accessKey.split('.');
  return {
    clientId: clientId!,
    keyId: keyId!,
    accountId: accountId!,
    privateKey: createPrivateKey({ key: Buffer.from(der!, 'base64'), format: 'der', type: 'pkcs8' }),
  };
}

/** Signs a JWT exactly as authress-sdk's serviceClientTokenProvider does, with overridable parts. */
function sdkJwt(
  accessKey: string,
  o: {
    iss?: string;
    aud?: unknown;
    sub?: string;
    iat?: number;
    exp?: number;
    kid?: string;
    alg?: string;
    key?: KeyObject;
    typ?: string;
  } = {},
) {
  const k = parseKey(accessKey);
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: o.alg ?? 'EdDSA', kid: o.kid ?? k.keyId, typ: o.typ ?? 'at+jwt' };
  const iat = o.iat ?? now;
  const claims = {
    aud: o.aud ?? `${k.accountId}.accounts.authress.io`,
    iss: o.iss ?? `http://127.0.0.1:9999/v1/clients/${encodeURIComponent(k.clientId)}`,
    sub: o.sub ?? k.clientId,
    iat,
    exp: o.exp ?? iat + 86_400,
    scope: 'openid',
  };
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${input}.${sign(null, Buffer.from(input), o.key ?? k.privateKey).toString('base64url')}`;
}

describe('Authress-style access keys: issue, authenticate with SDK-style JWTs, list, revoke', () => {
  let k: Harness;
  let admin: ReturnType<typeof caller>;
  let accessKey: string;

  before(async () => {
    k = await startKeyward({ env: { KEYWARD_RATE_LIMIT_MAX: '0' } });
    admin = caller(k, await k.token());
    const res = await admin('POST', `/v1/clients/${k.admin.clientId}/access-keys`);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    accessKey = res.body.accessKey;
  });
  after(() => k.close());

  const get = (token: string) =>
    k.app.inject({ method: 'GET', url: '/v1/connections', headers: { authorization: `Bearer ${token}` } });

  it("the access key has Authress's format; only the public key is stored", async () => {
    const parts = accessKey.split('.');
    assert.equal(parts.length, 4);
    const key = parseKey(accessKey);
    assert.equal(key.clientId, k.admin.clientId);
    assert.match(key.keyId, /^kwk_/);
    assert.equal(key.accountId, 'root', 'accountId is the organization code');
    assert.equal(key.privateKey.asymmetricKeyType, 'ed25519');
    const row = await k.services.store.db
      .selectFrom('client_keys')
      .selectAll()
      .where('kid', '=', key.keyId)
      .executeTakeFirstOrThrow();
    const jwk = JSON.parse(row.public_jwk);
    assert.equal(jwk.kty, 'OKP');
    assert.equal(jwk.crv, 'Ed25519');
    assert.equal(jwk.d, undefined, 'no private part at rest');
    assert.ok(!JSON.stringify(row).includes(parts[3]!));
  });

  it('an SDK-style JWT authenticates on the management APIs as the client (method access_key), from any base URL', async () => {
    assert.equal((await get(sdkJwt(accessKey))).statusCode, 200);
    const principal = await k.services.authenticator.authenticate(
      parseCredentials(`Bearer ${sdkJwt(accessKey)}`),
    );
    assert.equal(principal.method, 'access_key');
    assert.equal(principal.clientId, k.admin.clientId);
    assert.equal(principal.orgId, k.admin.orgId);
    assert.deepEqual([...principal.roles], ['full_admin']);
    assert.ok(principal.scopes.has('connections:write'));
    const custom = sdkJwt(accessKey, { iss: `https://auth.example.com/v1/clients/${k.admin.clientId}` });
    assert.equal((await get(custom)).statusCode, 200);
    // and on another family too (Webex-style organizations)
    const orgs = await k.app.inject({
      method: 'GET',
      url: '/v1/organizations',
      headers: { authorization: `Bearer ${custom}` },
    });
    assert.equal(orgs.statusCode, 200);
  });

  it('refuses (401) expired, too long-lived, wrong-kid, wrong-audience, wrong-issuer, wrong-subject, wrongly signed and non-EdDSA tokens', async () => {
    const now = Math.floor(Date.now() / 1000);
    const other = generateKeyPairSync('ed25519').privateKey;
    const { keyId } = parseKey(accessKey);
    const bad: Record<string, string> = {
      expired: sdkJwt(accessKey, { iat: now - 90_000, exp: now - 3600 }),
      'exp more than 24 h after iat': sdkJwt(accessKey, { iat: now, exp: now + 86_400 + 3600 }),
      'unknown kid': sdkJwt(accessKey, { kid: 'kwk_00000000000000000000000000' }),
      'kid not an access key': sdkJwt(accessKey, { kid: 'some-other-kid' }),
      'wrong audience (accountId)': sdkJwt(accessKey, { aud: 'other.accounts.authress.io' }),
      'issuer of another client': sdkJwt(accessKey, { iss: 'http://127.0.0.1:9999/v1/clients/someone-else' }),
      'issuer without the path form': sdkJwt(accessKey, { iss: 'http://127.0.0.1:9999/' }),
      'subject of another client': sdkJwt(accessKey, {
        sub: 'someone-else',
        iss: 'http://127.0.0.1:9999/v1/clients/someone-else',
      }),
      'signed with another key': sdkJwt(accessKey, { key: other }),
      'issued in the future': sdkJwt(accessKey, { iat: now + 3600, exp: now + 7200 }),
      'alg none': (() => {
        const t = sdkJwt(accessKey, { alg: 'none' }).split('.');
        return `${t[0]}.${t[1]}.`;
      })(),
      'tampered payload': (() => {
        const t = sdkJwt(accessKey).split('.');
        const claims = JSON.parse(Buffer.from(t[1]!, 'base64url').toString());
        claims.exp += 10;
        return `${t[0]}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${t[2]}`;
      })(),
    };
    assert.ok(keyId);
    for (const [name, token] of Object.entries(bad)) {
      const res = await get(token);
      assert.equal(res.statusCode, 401, `${name}: ${res.body}`);
      assert.equal(res.json().errorCode, 'Unauthorized', name);
    }
  });

  it('lists keys; revoking one refuses its (already verified, cached) token at once', async () => {
    const created = await admin('POST', `/v1/clients/${k.admin.clientId}/access-keys`);
    const key = created.body.accessKey as string;
    const token = sdkJwt(key);
    assert.equal((await get(token)).statusCode, 200);
    const list = await admin('GET', `/v1/clients/${k.admin.clientId}/access-keys`);
    assert.equal(list.status, 200);
    const listed = list.body.keys.find((x: any) => x.keyId === created.body.keyId);
    assert.ok(listed && !listed.revokedDate && listed.generationDate);
    assert.ok(!JSON.stringify(list.body).includes(key.split('.')[3]!), 'the private key is never listed');
    const revoke = await admin('DELETE', `/v1/clients/${k.admin.clientId}/access-keys/${created.body.keyId}`);
    assert.equal(revoke.status, 204);
    assert.equal((await get(token)).statusCode, 401);
    assert.equal((await get(sdkJwt(key))).statusCode, 401);
    const after = await admin('GET', `/v1/clients/${k.admin.clientId}/access-keys`);
    assert.ok(after.body.keys.find((x: any) => x.keyId === created.body.keyId).revokedDate);
    assert.equal(
      (await admin('DELETE', `/v1/clients/${k.admin.clientId}/access-keys/kwk_unknown`)).status,
      404,
    );
    const audit = await k.services.store.db
      .selectFrom('audit_events')
      .select('action')
      .where('target', '=', `client:${k.admin.clientId}`)
      .execute();
    assert.ok(audit.some((a) => a.action === 'client.access_key.revoke'));
  });

  it("a disabled client's access keys stop working", async () => {
    const client = await serviceClient(k, { scopes: ['connections:read'], roles: ['read_only_admin'] });
    const key = (await admin('POST', `/v1/clients/${client.id}/access-keys`)).body.accessKey;
    assert.equal((await get(sdkJwt(key))).statusCode, 200);
    await k.services.store.db
      .updateTable('oauth_clients')
      .set({ enabled: 0 })
      .where('id', '=', client.id)
      .execute();
    await k.services.clients.changed(client.id);
    assert.equal((await get(sdkJwt(key))).statusCode, 401);
  });

  it("creating keys needs sp:oauth-client:manage and full admin; other organizations' clients are not found", async () => {
    const weak = await serviceClient(k, {
      scopes: ['connections:write', 'connections:read'],
      roles: ['full_admin'],
    });
    const weakCall = caller(k, await clientToken(k, weak.id, weak.secret!));
    const denied = await weakCall('POST', `/v1/clients/${k.admin.clientId}/access-keys`);
    assert.equal(
      denied.status,
      403,
      'connections:write alone must not mint a credential of a stronger client',
    );
    assert.match(denied.body.title, /sp:oauth-client:manage/);
    const other = await otherOrgAdmin(k);
    assert.equal(
      (await caller(k, other.token)('POST', `/v1/clients/${k.admin.clientId}/access-keys`)).status,
      404,
    );
    assert.equal(
      (await caller(k, other.token)('GET', `/v1/clients/${k.admin.clientId}/access-keys`)).status,
      404,
    );
    assert.equal((await admin('POST', '/v1/clients/no-such-client/access-keys')).status, 404);
    // a key of the other organization's client carries that organization's code as accountId
    const theirs = await caller(k, other.token)('POST', `/v1/clients/${other.client.id}/access-keys`);
    assert.equal(parseKey(theirs.body.accessKey).accountId, other.code);
    assert.equal((await get(sdkJwt(theirs.body.accessKey))).statusCode, 200);
    assert.equal(
      (await get(sdkJwt(theirs.body.accessKey, { aud: 'root.accounts.authress.io' }))).statusCode,
      401,
    );
  });

  it('the CLI creates, lists and revokes keys (keyward access-keys …)', async () => {
    const db = k.config.database;
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      KEYWARD_DATA_DIR: k.config.dataDir,
      KEYWARD_MASTER_KEY: TEST_MASTER_KEY,
      KEYWARD_LOG_LEVEL: 'silent',
      KEYWARD_DATABASE_URL: db.kind === 'sqlite' ? `sqlite:${db.file}` : db.url,
      ...(db.kind === 'postgres' && db.schema ? { KEYWARD_DATABASE_SCHEMA: db.schema } : {}),
    };
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
        env,
        encoding: 'utf8',
        timeout: 30_000,
      });
    const created = cli('access-keys', 'create', '--client-id', k.admin.clientId);
    assert.equal(created.status, 0, created.stderr);
    const key = created.stdout.trim().split('\n').at(-1)!;
    assert.equal(key.split('.').length, 4);
    const { keyId } = parseKey(key);
    assert.equal(
      (await get(sdkJwt(key))).statusCode,
      200,
      'a key made by the CLI works on the running server',
    );
    const listed = cli('access-keys', 'list', '--client-id', k.admin.clientId);
    assert.match(listed.stdout, new RegExp(`${keyId}\\s+created \\S+\\s+active`));
    const revoked = cli('access-keys', 'revoke', '--client-id', k.admin.clientId, '--key-id', keyId);
    assert.equal(revoked.status, 0, revoked.stderr);
    assert.match(
      cli('access-keys', 'list', '--client-id', k.admin.clientId).stdout,
      new RegExp(`${keyId}.*revoked`),
    );
    if (TEST_DB === 'postgres') {
      // The CLI's NOTIFY reaches the running node: the key is refused within moments.
      let status = 200;
      for (let i = 0; i < 40 && status !== 401; i++) {
        status = (await get(sdkJwt(key))).statusCode;
        if (status !== 401) await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(status, 401);
    }
    const missing = cli('access-keys', 'create');
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /--client-id is required/);
  });

  it(
    'two nodes on one PostgreSQL: a revocation on one is refused on the other at once',
    { skip: TEST_DB !== 'postgres' ? 'needs PostgreSQL (NOTIFY between nodes)' : false },
    async () => {
      const second = await startKeyward({ database: k.config.database });
      try {
        const created = await admin('POST', `/v1/clients/${k.admin.clientId}/access-keys`);
        const token = sdkJwt(created.body.accessKey);
        const onSecond = () =>
          second.app.inject({
            method: 'GET',
            url: '/v1/connections',
            headers: { authorization: `Bearer ${token}` },
          });
        assert.equal((await onSecond()).statusCode, 200);
        await admin('DELETE', `/v1/clients/${k.admin.clientId}/access-keys/${created.body.keyId}`);
        let status = 200;
        for (let i = 0; i < 40 && status !== 401; i++) {
          status = (await onSecond()).statusCode;
          if (status !== 401) await new Promise((r) => setTimeout(r, 25));
        }
        assert.equal(status, 401);
      } finally {
        await second.close();
      }
    },
  );
});

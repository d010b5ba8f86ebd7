import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startKeyward, type Harness } from '../support/harness.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('token endpoint: client authentication, bodies and RFC 6749 errors', () => {
  let k: Harness;
  let post: (
    payload: string | Buffer,
    headers?: Record<string, string>,
  ) => Promise<import('light-my-request').Response>;
  let creds: Record<string, string>;
  before(async () => {
    k = await startKeyward();
    creds = {
      grant_type: 'client_credentials',
      client_id: k.admin.clientId,
      client_secret: k.admin.clientSecret,
    };
    post = (payload, headers = FORM) =>
      k.app.inject({ method: 'POST', url: '/oauth/token', headers, payload });
  });
  after(() => k.close());

  const countClients = async () =>
    Number(
      (
        await k.services.store.db
          .selectFrom('oauth_clients')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('accepts HTTP Basic client authentication', async () => {
    const res = await post('grant_type=client_credentials', {
      ...FORM,
      authorization: basic(k.admin.clientId, k.admin.clientSecret),
    });
    assert.equal(res.statusCode, 200);
    assert.ok(res.json().access_token);
  });

  it('accepts a multipart/form-data body (what the SailPoint SDK sends)', async () => {
    const boundary = '----keyward' + Date.now();
    const parts = Object.entries(creds)
      .map(([k2, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k2}"\r\n\r\n${v}\r\n`)
      .join('');
    const res = await post(`${parts}--${boundary}--\r\n`, {
      'content-type': `multipart/form-data; boundary=${boundary}`,
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.ok(res.json().access_token);
  });

  it('wrong secret with Basic: 401 invalid_client with WWW-Authenticate', async () => {
    const res = await post('grant_type=client_credentials', {
      ...FORM,
      authorization: basic(k.admin.clientId, 'wrong'),
    });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error, 'invalid_client');
    assert.match(String(res.headers['www-authenticate']), /^Basic realm=/);
  });

  it('wrong secret in the body: 401 invalid_client', async () => {
    const res = await post(new URLSearchParams({ ...creds, client_secret: 'nope' }).toString());
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error, 'invalid_client');
    assert.equal(res.headers['www-authenticate'], undefined);
  });

  it('unknown client: 401 invalid_client, same message as a wrong secret', async () => {
    const res = await post(new URLSearchParams({ ...creds, client_id: 'nobody' }).toString());
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error_description, 'Client authentication failed.');
  });

  it('two authentication methods at once: 400 invalid_request', async () => {
    const res = await post(new URLSearchParams(creds).toString(), {
      ...FORM,
      authorization: basic(k.admin.clientId, k.admin.clientSecret),
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error, 'invalid_request');
  });

  it('unknown grant type: 400 unsupported_grant_type', async () => {
    const res = await post(new URLSearchParams({ ...creds, grant_type: 'password' }).toString());
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error, 'unsupported_grant_type');
  });

  it('missing grant_type: 400 invalid_request', async () => {
    const { grant_type: _omit, ...rest } = creds;
    const res = await post(new URLSearchParams(rest).toString());
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error, 'invalid_request');
  });

  it('repeated parameter: 400 invalid_request', async () => {
    const res = await post(new URLSearchParams(creds).toString() + '&grant_type=client_credentials');
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error, 'invalid_request');
  });

  it('scope beyond the client: 400 invalid_scope; a subset is granted exactly', async () => {
    const bad = await post(
      new URLSearchParams({ ...creds, scope: 'sp:oauth-client:read super:admin' }).toString(),
    );
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error, 'invalid_scope');
    assert.match(bad.json().error_description, /super:admin/);
    const ok = await post(new URLSearchParams({ ...creds, scope: 'sp:oauth-client:read' }).toString());
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().scope, 'sp:oauth-client:read');
  });

  it('JSON body: 400 invalid_request (the token endpoint takes forms)', async () => {
    const res = await post(JSON.stringify(creds), { 'content-type': 'application/json' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error, 'invalid_request');
  });

  it('a content type no parser knows: 415 in the OAuth error shape; text/plain: 400 invalid_request', async () => {
    const xml = await post('<grant_type/>', { 'content-type': 'application/xml' });
    assert.equal(xml.statusCode, 415);
    assert.equal(xml.json().error, 'invalid_request');
    const text = await post('grant_type=client_credentials', { 'content-type': 'text/plain' });
    assert.equal(text.statusCode, 400);
    assert.equal(text.json().error, 'invalid_request');
  });

  it('oversized body: 413', async () => {
    const res = await post('grant_type=client_credentials&pad=' + 'x'.repeat(k.config.bodyLimit + 10));
    assert.equal(res.statusCode, 413);
    assert.equal(res.json().error, 'invalid_request');
  });

  it('disabled client: 401 invalid_client, and its existing tokens stop working at once', async () => {
    const token = await k.token();
    const ok = await k.app.inject({
      method: 'GET',
      url: '/v1/organizations',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(ok.statusCode, 200);
    const before = await countClients();
    await k.services.store.db
      .updateTable('oauth_clients')
      .set({ enabled: 0 })
      .where('id', '=', k.admin.clientId)
      .execute();
    await k.services.clients.changed(k.admin.clientId);
    try {
      const res = await post(new URLSearchParams(creds).toString());
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().error, 'invalid_client');
      assert.match(res.json().error_description, /disabled/);
      const refused = await k.app.inject({
        method: 'GET',
        url: '/v1/organizations',
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(refused.statusCode, 401);
      assert.equal(await countClients(), before);
    } finally {
      await k.services.store.db
        .updateTable('oauth_clients')
        .set({ enabled: 1 })
        .where('id', '=', k.admin.clientId)
        .execute();
      await k.services.clients.changed(k.admin.clientId);
    }
  });

  it('issuing tokens writes nothing synchronously; lastUsed lands on flush', async () => {
    const row = () =>
      k.services.store.db
        .selectFrom('oauth_clients')
        .select('last_used_at')
        .where('id', '=', k.admin.clientId)
        .executeTakeFirstOrThrow();
    await k.services.clients.flushLastUsed();
    const first = (await row()).last_used_at;
    await new Promise((r) => setTimeout(r, 5));
    const res = await post(new URLSearchParams(creds).toString());
    assert.equal(res.statusCode, 200);
    assert.equal((await row()).last_used_at, first, 'no write before the flush');
    await k.services.clients.flushLastUsed();
    const flushed = (await row()).last_used_at;
    assert.ok(flushed !== null && (first === null || flushed > first));
  });
});

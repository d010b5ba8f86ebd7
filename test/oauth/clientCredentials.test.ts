import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startKeyward, type Harness } from '../support/harness.js';

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('POST /oauth/token, client_credentials', () => {
  let k: Harness;
  before(async () => {
    k = await startKeyward();
  });
  after(() => k.close());

  it('issues a JWT to a client authenticating in the body', async () => {
    const res = await k.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: FORM,
      payload: form({
        grant_type: 'client_credentials',
        client_id: k.admin.clientId,
        client_secret: k.admin.clientSecret,
      }),
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'no-store');
    const body = res.json();
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 3600);
    const [header, payload] = body.access_token
      .split('.')
      .slice(0, 2)
      .map((p: string) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    assert.equal(header.alg, 'EdDSA');
    assert.equal(header.typ, 'at+jwt');
    assert.equal(payload.iss, k.baseUrl);
    assert.equal(payload.sub, k.admin.clientId);
    assert.equal(payload.client_id, k.admin.clientId);
    assert.equal(payload.org, k.admin.orgId);
    assert.ok(payload.jti && payload.exp - payload.iat === 3600);
    assert.deepEqual(body.scope.split(' ').sort(), payload.scope.split(' ').sort());
  });

  it('authenticates a management call with the token', async () => {
    const token = await k.token();
    const res = await k.app.inject({
      method: 'GET',
      url: '/v1/organizations',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().items[0].id, k.admin.orgId);
  });
});

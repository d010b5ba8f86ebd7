import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as client from 'openid-client';
import { startKeyward, type Harness } from '../support/harness.js';

describe('end to end over real HTTP with openid-client', () => {
  let k: Harness;
  before(async () => {
    k = await startKeyward({ listen: true });
  });
  after(() => k.close());

  for (const auth of ['client_secret_post', 'client_secret_basic'] as const) {
    it(`discovers Keyward, gets a client_credentials token (${auth}), and calls a management API`, async () => {
      const config = await client.discovery(
        new URL(k.baseUrl),
        k.admin.clientId,
        undefined,
        auth === 'client_secret_basic'
          ? client.ClientSecretBasic(k.admin.clientSecret)
          : client.ClientSecretPost(k.admin.clientSecret),
        { execute: [client.allowInsecureRequests] },
      );
      assert.equal(config.serverMetadata().issuer, k.baseUrl);
      assert.equal(config.serverMetadata().token_endpoint, `${k.baseUrl}/oauth/token`);
      const tokens = await client.clientCredentialsGrant(config, { scope: 'spark-admin:organizations_read' });
      assert.equal(tokens.token_type.toLowerCase(), 'bearer');
      assert.equal(tokens.scope, 'spark-admin:organizations_read');
      const res = await fetch(`${k.baseUrl}/v1/organizations`, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { items: { id: string }[] }).items[0]!.id, k.admin.orgId);
    });
  }

  it('the JWKS verifies the access token with a standard library (jose)', async () => {
    const { createRemoteJWKSet, jwtVerify } = await import('jose');
    const token = await k.token();
    const jwks = createRemoteJWKSet(new URL(`${k.baseUrl}/oauth/jwks`));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer: k.baseUrl,
      audience: k.baseUrl,
      typ: 'at+jwt',
    });
    assert.equal(protectedHeader.alg, 'EdDSA');
    assert.equal(payload.client_id, k.admin.clientId);
  });
});

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { signJwt } from '../../src/domain/tokens/jwt.js';
import { startKeyward, type Harness } from '../support/harness.js';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('management API authentication (Bearer JWT and Basic)', () => {
  let k: Harness;
  let claims: Record<string, unknown>;
  const call = (authorization?: string) =>
    k.app.inject({
      method: 'GET',
      url: '/v1/organizations',
      headers: authorization ? { authorization } : {},
    });
  /** Signs with the server's real active key, so only the claim under test is wrong. */
  const signed = (overrides: Record<string, unknown>, header: Record<string, unknown> = {}) => {
    const key = k.services.keys.current('EdDSA');
    return signJwt(
      { alg: 'EdDSA', kid: key.kid, typ: 'at+jwt', ...header } as any,
      { ...claims, ...overrides },
      key.privateKey,
    );
  };

  before(async () => {
    k = await startKeyward();
    const token = await k.token();
    claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
  });
  after(() => k.close());

  const refused = async (authorization: string | undefined, reason: RegExp) => {
    const res = await call(authorization);
    assert.equal(res.statusCode, 401, res.body);
    const body = res.json();
    assert.match(body.message, reason);
    assert.equal(body.errors[0].description, body.message);
    assert.equal(body.trackingId, res.headers['trackingid']);
  };

  it('accepts a valid token', async () => {
    assert.equal((await call(`Bearer ${signed({})}`)).statusCode, 200);
  });
  it('no credentials: 401 in Webex shape', () => refused(undefined, /no Authorization header/));
  it('unknown scheme: 401', () => refused('Digest abc', /not supported/));
  it('malformed token: 401', () => refused('Bearer not-a-jwt', /malformed/));
  it('expired: 401', () =>
    refused(`Bearer ${signed({ exp: Math.floor(Date.now() / 1000) - 120 })}`, /expired/));
  it('not yet valid: 401', () =>
    refused(`Bearer ${signed({ nbf: Math.floor(Date.now() / 1000) + 600 })}`, /not valid yet/));
  it('wrong issuer: 401', () =>
    refused(`Bearer ${signed({ iss: 'https://evil.example' })}`, /another issuer/));
  it('wrong audience: 401', () =>
    refused(`Bearer ${signed({ aud: 'https://other.example' })}`, /another audience/));
  it('an ID token or other typ: 401', () =>
    refused(`Bearer ${signed({}, { typ: 'JWT' })}`, /not an access token/));
  it('alg=none: 401', () =>
    refused(`Bearer ${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(claims)}.`, /algorithm "none"/));
  it('HS256 (key confusion): 401', () =>
    refused(
      `Bearer ${b64({ alg: 'HS256', typ: 'at+jwt', kid: 'x' })}.${b64(claims)}.c2ln`,
      /algorithm "HS256"/,
    ));
  it('forged: signed by a key Keyward does not have, under a real kid', async () => {
    const forger = generateKeyPairSync('ed25519').privateKey;
    const kid = k.services.keys.current('EdDSA').kid;
    await refused(
      `Bearer ${signJwt({ alg: 'EdDSA', kid, typ: 'at+jwt' }, claims, forger)}`,
      /signature is invalid/,
    );
  });
  it('tampered payload: 401', async () => {
    const [h, , s] = signed({}).split('.');
    await refused(`Bearer ${h}.${b64({ ...claims, scope: 'everything' })}.${s}`, /signature is invalid/);
  });
  it('unknown kid: 401', () => refused(`Bearer ${signed({}, { kid: 'nope' })}`, /signature is invalid/));
  it('a token of a deleted client: 401', () =>
    refused(`Bearer ${signed({ client_id: 'gone', sub: 'gone' })}`, /no longer valid/));

  it('Basic client_id:secret authenticates; a wrong secret is 401', async () => {
    const good = Buffer.from(`${k.admin.clientId}:${k.admin.clientSecret}`).toString('base64');
    assert.equal((await call(`Basic ${good}`)).statusCode, 200);
    await refused(`Basic ${Buffer.from(`${k.admin.clientId}:nope`).toString('base64')}`, /invalid/);
  });

  it('valid but not permitted: 403 naming the missing scope', async () => {
    const narrow = await k.token('sp:oauth-client:read');
    const res = await call(`Bearer ${narrow}`);
    assert.equal(res.statusCode, 403);
    assert.match(res.json().message, /spark-admin:organizations_read/);
  });
});

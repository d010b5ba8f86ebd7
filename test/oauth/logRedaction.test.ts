/**
 * Issue 13 §5: nothing secret in logs. Every OAuth endpoint is driven at `trace` level with a
 * distinct canary in every token-, secret- or hint-bearing query parameter, form field and
 * header; no canary may appear anywhere in the log output.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { startKeyward, type Harness } from '../support/harness.js';

const canaries: string[] = [];
/** A fresh, recognizable secret value. */
const canary = (what: string) => {
  const value = `canary${canaries.length}x${what.replace(/[^a-z]/gi, '')}x${randomBytes(6).toString('hex')}`;
  canaries.push(value);
  return value;
};

const SECRET_PARAMS = [
  'id_token_hint',
  'login_hint',
  'code',
  'code_verifier',
  'refresh_token',
  'client_secret',
  'client_assertion',
  'assertion',
  'token',
  'password',
  'access_token',
  'id_token',
  'state',
  'nonce',
];

function secretQuery(extra: Record<string, string> = {}): string {
  const q = new URLSearchParams(extra);
  for (const p of SECRET_PARAMS) q.set(p, canary(p));
  return q.toString();
}

function secretHeaders(): Record<string, string> {
  const basic = Buffer.from(`${canary('basicuser')}:${canary('basicpass')}`).toString('base64');
  canaries.push(basic);
  return {
    authorization: `Basic ${basic}`,
    cookie: `keyward_session=${canary('cookie')}; keyward_csrf=${canary('csrf')}`,
    dpop: canary('dpop'),
    'proxy-authorization': `Bearer ${canary('proxy')}`,
  };
}

const form = (extra: Record<string, string> = {}) => secretQuery(extra);

describe('no secret reaches the log, at trace level (issue 13 §5)', () => {
  let k: Harness;
  let output = '';
  before(async () => {
    const logStream = new Writable({
      write(chunk, _enc, done) {
        output += chunk.toString();
        done();
      },
    });
    k = await startKeyward({ env: { KEYWARD_LOG_LEVEL: 'trace', KEYWARD_RATE_LIMIT_MAX: '0' }, logStream });
  });
  after(() => k.close());

  const FORM = 'application/x-www-form-urlencoded';
  const requests: {
    name: string;
    method: 'GET' | 'POST';
    url: string;
    body?: () => string;
    bearer?: boolean;
  }[] = [
    { name: 'discovery', method: 'GET', url: '/.well-known/openid-configuration' },
    { name: 'authorization server metadata', method: 'GET', url: '/.well-known/oauth-authorization-server' },
    { name: 'jwks', method: 'GET', url: '/oauth/jwks' },
    { name: 'authorize', method: 'GET', url: '/oauth/authorize' },
    {
      name: 'authorize login',
      method: 'POST',
      url: '/oauth/authorize/login',
      body: () => form({ email: canary('email') }),
    },
    {
      name: 'authorize consent',
      method: 'POST',
      url: '/oauth/authorize/consent',
      body: () => form({ decision: 'allow' }),
    },
    {
      name: 'token: authorization_code',
      method: 'POST',
      url: '/oauth/token',
      body: () => form({ grant_type: 'authorization_code' }),
    },
    {
      name: 'token: refresh_token',
      method: 'POST',
      url: '/oauth/token',
      body: () => form({ grant_type: 'refresh_token' }),
    },
    {
      name: 'token: client_credentials',
      method: 'POST',
      url: '/oauth/token',
      body: () => form({ grant_type: 'client_credentials' }),
    },
    {
      name: 'token: password',
      method: 'POST',
      url: '/oauth/token',
      body: () => form({ grant_type: 'password', username: canary('username') }),
    },
    { name: 'revoke', method: 'POST', url: '/oauth/revoke', body: () => form() },
    { name: 'introspect', method: 'POST', url: '/oauth/introspect', body: () => form() },
    { name: 'userinfo (GET, bearer)', method: 'GET', url: '/oauth/userinfo', bearer: true },
    {
      name: 'userinfo (POST, bearer)',
      method: 'POST',
      url: '/oauth/userinfo',
      bearer: true,
      body: () => form(),
    },
    { name: 'logout (GET)', method: 'GET', url: '/oauth/logout' },
    { name: 'logout (POST)', method: 'POST', url: '/oauth/logout', body: () => form() },
    { name: 'federation callback', method: 'GET', url: '/sso/callback' },
  ];

  for (const r of requests) {
    it(`${r.method} ${r.url} (${r.name}): no canary in the log`, async () => {
      const headers = secretHeaders();
      if (r.bearer) headers.authorization = `Bearer ${canary('bearer')}`;
      const before = output.length;
      const res = await k.app.inject({
        method: r.method,
        url: `${r.url}?${secretQuery({ client_id: k.admin.clientId, redirect_uri: 'https://rp.example/cb', response_type: 'code' })}`,
        headers: r.body ? { ...headers, 'content-type': FORM } : headers,
        ...(r.body ? { payload: r.body() } : {}),
      });
      assert.ok(res.statusCode < 500, `${res.statusCode} ${res.body}`);
      const logged = output.slice(before);
      assert.match(logged, /incoming request/, 'the request was logged (capture works)');
      const leaked = canaries.filter((c) => logged.includes(c));
      assert.deepEqual(leaked, [], `leaked in:\n${logged}`);
    });
  }
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RateLimiter } from '../../src/platform/rateLimit.js';
import { startKeyward, type Harness } from '../support/harness.js';
import { api, clientBody, clientToken } from './support.js';

describe('RateLimiter (fixed window per key)', () => {
  it('allows max per window, then refuses with the seconds left; the next window starts fresh', () => {
    const limiter = new RateLimiter({ max: 3, windowSeconds: 10 });
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) {
      const d = limiter.take('a', t0 + i);
      assert.equal(d.allowed, true);
      assert.equal(d.remaining, 2 - i);
    }
    assert.deepEqual(limiter.take('a', t0 + 5), { allowed: false, limit: 3, remaining: 0, retryAfter: 10 });
    assert.equal(limiter.take('a', t0 + 9_500).retryAfter, 1);
    assert.equal(limiter.take('a', t0 + 9_999).allowed, false);
    assert.equal(limiter.take('b', t0 + 9_999).allowed, true, 'keys are independent');
    const next = limiter.take('a', t0 + 10_000);
    assert.equal(next.allowed, true);
    assert.equal(next.remaining, 2);
  });

  it('max 0 turns it off', () => {
    const limiter = new RateLimiter({ max: 0, windowSeconds: 10 });
    assert.equal(limiter.enabled, false);
    for (let i = 0; i < 1000; i++) assert.equal(limiter.take('a').allowed, true);
  });

  it('holds at most maxKeys windows, dropping expired ones first, then the oldest', () => {
    const limiter = new RateLimiter({ max: 1, windowSeconds: 1 }, 2);
    limiter.take('a', 0);
    limiter.take('b', 500);
    limiter.take('c', 1_200); // 'a' expired: swept to make room
    assert.equal(limiter.take('b', 1_300).allowed, false, "'b' kept its window");
    limiter.take('d', 1_400); // nothing expired: the oldest ('b') is dropped
    assert.equal(limiter.take('b', 1_400).allowed, true);
  });
});

describe('per-client rate limit on the SailPoint family', () => {
  let k: Harness;
  let admin: string;
  before(async () => {
    k = await startKeyward({ env: { KEYWARD_RATE_LIMIT_MAX: '3', KEYWARD_RATE_LIMIT_WINDOW_SECONDS: '60' } });
    admin = await k.token();
  });
  after(() => k.close());

  it('the request over the limit gets 429 {message} with Retry-After; /beta and /v3 share the budget', async () => {
    assert.equal((await api(k).list(admin, {}, 'beta')).statusCode, 200);
    assert.equal((await api(k).list(admin, {}, 'v3')).statusCode, 200);
    const created = await api(k).create(admin, clientBody({ scope: ['sp:oauth-client:read'] }));
    assert.equal(created.statusCode, 200);
    const res = await api(k).list(admin, {}, 'v3');
    assert.equal(res.statusCode, 429);
    assert.deepEqual(Object.keys(res.json()), ['message']);
    assert.match(res.json().message, /Rate Limit Exceeded/);
    const retryAfter = Number(res.headers['retry-after']);
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, String(retryAfter));
    assert.equal((await api(k).create(admin, clientBody())).statusCode, 429, 'writes are limited too');
    const rows = await k.services.store.db.selectFrom('oauth_clients').select('id').execute();
    assert.equal(rows.length, 2, 'the refused create did nothing');
  });

  it('another client has its own budget', async () => {
    // Made directly: the admin's budget is spent.
    const other = await createdClientDirect(k);
    const token = await clientToken(k, other.id, other.secret);
    for (let i = 0; i < 3; i++) assert.equal((await api(k).list(token)).statusCode, 200);
    assert.equal((await api(k).list(token)).statusCode, 429);
  });

  it('unauthenticated requests are refused with 401, not counted against anyone', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await k.app.inject({ method: 'GET', url: '/beta/oauth-clients' });
      assert.equal(res.statusCode, 401);
    }
  });

  it('the token endpoint is not limited; other families share the client budget, in their own shape', async () => {
    for (let i = 0; i < 5; i++) await k.token();
    const res = await k.app.inject({
      method: 'GET',
      url: '/v1/organizations',
      headers: { authorization: `Bearer ${admin}` },
    });
    assert.equal(res.statusCode, 429);
    assert.ok(Number(res.headers['retry-after']) >= 1);
    assert.equal(res.json().trackingId, res.headers['trackingid'], 'Webex error shape');
  });
});

describe('rate limit off (KEYWARD_RATE_LIMIT_MAX=0)', () => {
  let k: Harness;
  before(async () => {
    k = await startKeyward({ env: { KEYWARD_RATE_LIMIT_MAX: '0' } });
  });
  after(() => k.close());

  it('150 requests in a row all succeed', async () => {
    const admin = await k.token();
    for (let i = 0; i < 150; i++) assert.equal((await api(k).list(admin)).statusCode, 200);
  });
});

/** A management client created through the domain service (not the rate-limited HTTP API). */
async function createdClientDirect(k: Harness) {
  const principal = {
    kind: 'client' as const,
    orgId: k.admin.orgId,
    clientId: k.admin.clientId,
    roles: ['full_admin' as const],
    scopes: new Set(['sp:oauth-client:read', 'sp:oauth-client:manage']),
    method: 'bearer' as const,
  };
  const { client, secret } = await k.services.oauthClients.create(
    principal,
    clientBody({ roles: ['full_admin'] }),
  );
  return { id: client.id, secret: secret! };
}

/**
 * GET /metrics (issue 14): Prometheus text from prom-client, counters that move with real traffic
 * (a token request, a failed and a successful login), route patterns rather than raw URLs, and the
 * three KEYWARD_METRICS modes (off, open on its own port, bearer with keyward:metrics:read).
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { metricsUrl } from '../../src/http/metrics.js';
import { insertClient, insertPerson, type TestClient } from '../support/fixtures.js';
import { FormBrowser, readForm, signInAndConsent } from '../support/formBrowser.js';
import { startKeyward, TEST_DB, type Harness } from '../support/harness.js';

const REDIRECT = 'http://127.0.0.1:9/callback';

/** The value of one sample (0 when absent), e.g. sample(text, 'keyward_logins_total{outcome="success"}'). */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

function authorizeUrl(k: Harness, client: TestClient): string {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: client.id,
    redirect_uri: REDIRECT,
    scope: 'spark-admin:organizations_read',
    state: 'metrics',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return `${k.baseUrl}/oauth/authorize?${q}`;
}

describe('metrics: open on a separate port', () => {
  let k: Harness;
  let url: string;
  before(async () => {
    k = await startKeyward({ listen: true, env: { KEYWARD_METRICS: 'open', KEYWARD_METRICS_PORT: '0' } });
    url = metricsUrl(k.app)!;
  });
  after(() => k.close());

  const scrape = async () => {
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
    return res.text();
  };

  it('counts a token request and login outcomes, labels routes by pattern, and has process metrics', async () => {
    const person = await insertPerson(k);
    const client = await insertClient(k, { redirectUris: [REDIRECT] });
    const before = await scrape();
    const tokens = 'keyward_tokens_issued_total{grant_type="client_credentials"}';
    const success = 'keyward_logins_total{outcome="success"}';
    const failure = 'keyward_logins_total{outcome="failure"}';

    await k.token();
    const browser = new FormBrowser();
    const page = await browser.get(authorizeUrl(k, client));
    const form = readForm(await page.text());
    const wrong = await browser.post(k.baseUrl + form.action, {
      ...form.fields,
      email: person.email,
      password: 'not the password',
    });
    assert.equal(wrong.status, 401);
    await signInAndConsent(new FormBrowser(), authorizeUrl(k, client), person.email, person.password);
    const missing = await fetch(`${k.baseUrl}/v1/people/no-such-person-${randomBytes(4).toString('hex')}`, {
      headers: { authorization: `Bearer ${await k.token()}` },
    });
    assert.equal(missing.status, 404);

    const afterText = await scrape();
    assert.equal(sample(afterText, tokens), sample(before, tokens) + 2);
    assert.equal(sample(afterText, success), sample(before, success) + 1);
    assert.equal(sample(afterText, failure), sample(before, failure) + 1);
    assert.ok(
      sample(afterText, 'keyward_http_requests_total{method="POST",route="/oauth/token",status="200"}') >= 2,
    );
    assert.match(
      afterText,
      /keyward_http_request_duration_seconds_bucket\{le="[^"]+",method="POST",route="\/oauth\/token",status="200"\}/,
    );
    assert.match(afterText, /route="\/v1\/people\/:[A-Za-z]+",status="404"/);
    assert.doesNotMatch(afterText, /no-such-person/, 'never a raw URL');
    assert.match(afterText, /^keyward_process_cpu_user_seconds_total /m);
    assert.match(afterText, /^keyward_revocation_set_size \d+/m);
    if (TEST_DB === 'postgres') {
      assert.match(afterText, /^keyward_db_pool_connections\{state="in_use"\} \d+/m);
      assert.match(afterText, /^keyward_db_pool_connections\{state="waiting"\} \d+/m);
      assert.match(afterText, /^keyward_change_feed_lag_seconds \d/m);
      assert.match(afterText, /^keyward_change_feed_reconnects_total \d+/m);
    }
  });

  it('the main port has no /metrics', async () => {
    assert.equal((await fetch(`${k.baseUrl}/metrics`)).status, 404);
  });
});

describe('metrics: bearer', () => {
  let k: Harness;
  before(async () => (k = await startKeyward({ env: { KEYWARD_METRICS: 'bearer' } })));
  after(() => k.close());

  async function tokenFor(client: TestClient): Promise<string> {
    const res = await k.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: client.id,
        client_secret: client.secret!,
      }).toString(),
    });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().access_token;
  }

  const get = (authorization?: string) =>
    k.app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });

  it('needs a bearer token with keyward:metrics:read', async () => {
    assert.equal((await get()).statusCode, 401);
    assert.equal((await get(`Bearer ${await k.token()}`)).statusCode, 403);
    const scraper = await insertClient(k, {
      grantTypes: ['CLIENT_CREDENTIALS'],
      accessType: 'ONLINE',
      scopes: ['keyward:metrics:read'],
    });
    const res = await get(`Bearer ${await tokenFor(scraper)}`);
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.body, /^# HELP keyward_http_requests_total /m);
  });
});

describe('metrics: off by default', () => {
  let k: Harness;
  before(async () => (k = await startKeyward()));
  after(() => k.close());

  it('GET /metrics is not there', async () => {
    assert.equal((await k.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 404);
  });
});

/** Issue 21, the first ten minutes: landing page, 415 text, banner export lines, log format. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { formatBootstrapBanner } from '../../src/domain/bootstrap.js';
import { logStream, prettyLine } from '../../src/http/logging.js';
import { startKeyward, type Harness } from '../support/harness.js';

let k: Harness;
before(async () => {
  k = await startKeyward();
});
after(() => k.close());

describe('the first ten minutes', () => {
  it('GET / is a small HTML page linking the account, console, API docs and discovery', async () => {
    const res = await k.app.inject({ url: '/' });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^text\/html/);
    for (const href of ['/account', '/console', '/apidoc', '/.well-known/openid-configuration']) {
      assert.ok(res.body.includes(`href="${href}"`), href);
    }
    assert.equal((await k.app.inject({ url: '/apidoc/openapi.json' })).json().paths['/'], undefined);
  });

  it('a 415 says which content type to send', async () => {
    const res = await k.app.inject({
      method: 'POST',
      url: '/v1/people',
      headers: { authorization: `Bearer ${await k.token()}`, 'content-type': 'application/xml' },
      payload: '<person/>',
    });
    assert.equal(res.statusCode, 415, res.body);
    assert.match(res.json().message, /Content-Type.* is not accepted: send application\/json/);
  });

  it('the banner prints ready-to-paste export lines', () => {
    const banner = formatBootstrapBanner(
      { orgId: 'o', adminEmail: 'a@x', adminPassword: 'p'.repeat(12), clientId: 'cid', clientSecret: 'sec' },
      'http://localhost:8080',
    );
    assert.match(banner, /^export KEYWARD_URL=http:\/\/localhost:8080$/m);
    assert.match(banner, /^export CLIENT_ID=cid$/m);
    assert.match(banner, /^export CLIENT_SECRET=sec$/m);
    assert.match(banner, /^export ACCESS_TOKEN=\$\(curl .*access_token'\)$/m);
  });

  it('logs: pretty on a terminal or when asked, JSON otherwise; a bad value names the variable', () => {
    assert.equal(logStream(undefined, false), undefined, 'not a TTY: JSON');
    assert.ok(logStream(undefined, true), 'a TTY: pretty');
    assert.equal(logStream('json', true), undefined);
    assert.ok(logStream('pretty', false));
    assert.throws(() => logStream('xml', true), /^Error: KEYWARD_LOG_FORMAT="xml" is invalid/);
    const line = prettyLine(
      JSON.stringify({
        level: 30,
        time: Date.UTC(2026, 0, 1, 12, 0, 1, 234),
        pid: 1,
        hostname: 'h',
        msg: 'request completed',
        res: { statusCode: 200 },
        responseTime: 1.25,
        reqId: 'r1',
      }),
    );
    assert.equal(line, '12:00:01.234 INFO  request completed → 200 1.3 ms [r1]\n');
  });
});

/** Issue 14 settings: defaults, and a bad value stops the start with one line naming the variable. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/platform/config.js';

describe('operations settings', () => {
  it('defaults: strict refresh rotation, no Redis, metrics off', () => {
    const config = loadConfig({});
    assert.equal(config.refreshReuseGraceSeconds, 0);
    assert.equal(config.redisUrl, undefined);
    assert.equal(config.redisPrefix, 'keyward:');
    assert.deepEqual(config.metrics, { mode: 'off', port: 9464 });
  });

  for (const [name, value, pattern] of [
    ['KEYWARD_REFRESH_REUSE_GRACE_SECONDS', '-1', /KEYWARD_REFRESH_REUSE_GRACE_SECONDS="-1" is invalid/],
    ['KEYWARD_REFRESH_REUSE_GRACE_SECONDS', '301', /from 0 to 300/],
    ['KEYWARD_REDIS_URL', 'http://127.0.0.1:6379', /KEYWARD_REDIS_URL is invalid/],
    ['KEYWARD_METRICS', 'public', /KEYWARD_METRICS="public" is invalid: expected off, open or bearer/],
    ['KEYWARD_METRICS_PORT', '70000', /KEYWARD_METRICS_PORT="70000" is invalid/],
  ] as const) {
    it(`${name}=${value} is refused`, () => {
      assert.throws(
        () => loadConfig({ [name]: value }),
        (e: Error) => e instanceof ConfigError && pattern.test(e.message),
      );
    });
  }
});

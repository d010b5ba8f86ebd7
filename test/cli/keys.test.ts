import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { startKeyward, type Harness, TEST_MASTER_KEY } from '../support/harness.js';

describe('keyward keys rotate: rotation without downtime', () => {
  let k: Harness;
  before(async () => {
    k = await startKeyward();
  });
  after(() => k.close());

  const cli = (...args: string[]) => {
    const db = k.config.database;
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      KEYWARD_DATA_DIR: k.config.dataDir,
      KEYWARD_MASTER_KEY: TEST_MASTER_KEY,
      KEYWARD_DATABASE_URL: db.kind === 'sqlite' ? `sqlite:${db.file}` : db.url,
      ...(db.kind === 'postgres' && db.schema ? { KEYWARD_DATABASE_SCHEMA: db.schema } : {}),
    };
    return spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
      env,
      encoding: 'utf8',
      timeout: 30_000,
    });
  };

  it('old tokens keep working, JWKS serves both keys, new tokens use the new key, then the old one retires', async () => {
    const oldToken = await k.token();
    const oldKid = JSON.parse(Buffer.from(oldToken.split('.')[0]!, 'base64url').toString()).kid;
    const res = cli('keys', 'rotate', '--alg', 'EdDSA');
    assert.equal(res.status, 0, res.stderr);
    const newKid = res.stdout.match(/signing key (\S+);/)?.[1];
    assert.ok(newKid && newKid !== oldKid);
    await k.services.keys.reload(); // a running node does this every minute
    const jwks = (await k.app.inject({ method: 'GET', url: '/oauth/jwks' })).json();
    const kids = jwks.keys.map((key: { kid: string }) => key.kid);
    assert.ok(kids.includes(oldKid) && kids.includes(newKid));
    const newToken = await k.token();
    assert.equal(JSON.parse(Buffer.from(newToken.split('.')[0]!, 'base64url').toString()).kid, newKid);
    for (const t of [oldToken, newToken]) {
      const call = await k.app.inject({
        method: 'GET',
        url: '/v1/organizations',
        headers: { authorization: `Bearer ${t}` },
      });
      assert.equal(call.statusCode, 200);
    }
    // Once every token the old key signed has expired, it leaves the JWKS.
    assert.equal(await k.services.keys.retireExpired(Date.now() + 3 * 3600_000), 1);
    await k.services.keys.reload();
    const after = (await k.app.inject({ method: 'GET', url: '/oauth/jwks' })).json();
    assert.ok(!after.keys.some((key: { kid: string }) => key.kid === oldKid));
    const list = cli('keys', 'list');
    assert.match(list.stdout, new RegExp(`${oldKid}\\s+EdDSA\\s+retired`));
  });

  it('refuses an unknown algorithm', () => {
    const res = cli('keys', 'rotate', '--alg', 'HS256');
    assert.equal(res.status, 1);
    assert.match(res.stderr, /--alg must be EdDSA or RS256/);
  });
});

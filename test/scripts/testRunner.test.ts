/** scripts/test.mjs: every skip is reported (suites included), and under CI a browser skip fails. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

function runRunner(ci: boolean) {
  const env: NodeJS.ProcessEnv = { ...process.env, KEYWARD_TEST_DIR: 'test/fixtures/runner' };
  delete env.NODE_TEST_CONTEXT; // else the nested node --test talks to this runner, not to its reporters
  if (ci) env.CI = 'true';
  else delete env.CI;
  const r = spawnSync(process.execPath, ['scripts/test.mjs', '--db', 'sqlite'], { env, encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

test('every skip is counted and listed, skipped suites included', () => {
  const { code, out } = runRunner(false);
  assert.equal(code, 0, out);
  assert.match(out, /keyward: \d+ passed, 0 failed, 4 skipped \(1 of them whole suites\), 1 todo/);
  for (const reason of [
    'no Chromium at /nowhere',
    'not on this database',
    'needs PostgreSQL',
    'inner reason',
  ]) {
    assert.ok(out.includes(reason), `the skip "${reason}" is listed`);
  }
  assert.match(out, /suite "a browser suite" \(all its tests\)/);
});

test('under CI=true a skipped browser test fails the run', () => {
  const { code, out } = runRunner(true);
  assert.equal(code, 1, out);
  assert.match(out, /Under CI the browser tests must run: 1 were skipped/);
  assert.match(out, /keyward: \d+ passed, 1 failed/);
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SCENARIO = fileURLToPath(new URL('./passwordLogScenario.ts', import.meta.url));
// The scenario's passwords (not imported: importing would run it here).
const SECRETS = [
  'initial-Pa55word-7f3a9c',
  'sh0rt-9b1e',
  'wrong-Pa55word-c04d2e',
  'changed-Pa55word-5e8b71',
  'toolong-Pa55word-',
];

function runScenario(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCENARIO], {
      env: { ...process.env, KEYWARD_TEST_LOG_LEVEL: 'trace' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('passwords never reach the logs', () => {
  it('setting, changing and failing to set passwords, with every log line on', async () => {
    const { code, output } = await runScenario();
    assert.equal(code, 0, output.slice(-4000));
    assert.match(output, /SCENARIO OK/);
    // The logs did run at trace level and saw the password requests and their rejections.
    assert.match(output, /\/v1\/people\/me\/password/);
    assert.match(output, /request rejected/);
    for (const secret of SECRETS) assert.ok(!output.includes(secret), `"${secret}" was logged`);
    assert.doesNotMatch(output, /\$argon2/, 'a password hash was logged');
  });
});

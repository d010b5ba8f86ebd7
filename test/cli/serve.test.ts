import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort, freshDatabase, PG_URL, TEST_DB } from '../support/harness.js';

const MAIN = ['--import', 'tsx', 'src/main.ts'];
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'keyward-cli-'));
  dirs.push(d);
  return d;
};
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [...MAIN, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

/** Starts `keyward serve`, resolves once it listens, with everything it printed so far. */
function serve(env: Record<string, string>) {
  const child = spawn(process.execPath, [...MAIN, 'serve'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not listening after 20 s:\n${out}`)), 20_000);
    const onData = (chunk: Buffer) => {
      out += chunk;
      if (out.includes('Server listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited ${code}:\n${out}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, ready, exited, output: () => out };
}

describe('keyward CLI', () => {
  it('--help lists the commands; each command has --help', () => {
    const top = cli(['--help']);
    assert.equal(top.status, 0);
    assert.match(top.stdout, /serve/);
    assert.match(top.stdout, /migrate/);
    const sub = cli(['serve', '--help']);
    assert.equal(sub.status, 0);
    assert.match(sub.stdout, /KEYWARD_PORT/);
  });

  it('a bad configuration value stops with one clear line naming the variable', () => {
    for (const [name, value] of [
      ['KEYWARD_PORT', 'eighty'],
      ['KEYWARD_ISSUER', 'not a url'],
      ['KEYWARD_LOG_LEVEL', 'loud'],
      ['KEYWARD_DATABASE_URL', 'mysql://x'],
    ]) {
      const res = cli(['serve'], { [name]: value, KEYWARD_DATA_DIR: tempDir() });
      assert.equal(res.status, 2, `${name}: ${res.stderr}`);
      const lines = res.stderr.trim().split('\n');
      assert.equal(lines.length, 1, res.stderr);
      assert.match(lines[0]!, new RegExp(`^keyward: ${name}`));
    }
  });

  it('PostgreSQL without a master key is refused', () => {
    const res = cli(['serve'], { KEYWARD_DATABASE_URL: PG_URL, KEYWARD_MASTER_KEY: '' });
    assert.equal(res.status, 2);
    assert.match(res.stderr, /KEYWARD_MASTER_KEY is required/);
  });

  it('an unknown flag is refused with usage', () => {
    const res = cli(['serve', '--nope']);
    assert.equal(res.status, 2);
    assert.match(res.stderr, /Usage: keyward serve/);
  });

  it('serve bootstraps once, prints the credentials once, they work, and SIGTERM stops it cleanly', async () => {
    const fresh = await freshDatabase();
    const dataDir = tempDir();
    const port = await freePort();
    const env: Record<string, string> = {
      KEYWARD_PORT: String(port),
      KEYWARD_DATA_DIR: dataDir,
      KEYWARD_LOG_LEVEL: 'info',
      KEYWARD_DATABASE_URL: fresh.database.kind === 'postgres' ? PG_URL : `sqlite:${join(dataDir, 'k.db')}`,
      ...(fresh.database.kind === 'postgres'
        ? {
            KEYWARD_DATABASE_SCHEMA: fresh.database.schema!,
            KEYWARD_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
          }
        : {}),
    };
    try {
      const first = serve(env);
      await first.ready;
      const out = first.output();
      const id = out.match(/Client ID\s+(\S+)/)?.[1];
      const secret = out.match(/Client secret\s+(\S+)/)?.[1];
      assert.ok(id && secret, out);
      assert.match(out, /Admin password\s+\S{12,}/);
      const token = await fetch(`http://127.0.0.1:${port}/oauth/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
      assert.equal(token.status, 200);
      assert.doesNotMatch(
        first.output().split('Server listening')[1] ?? '',
        new RegExp(secret!),
        'the secret is never logged',
      );
      if (TEST_DB === 'sqlite') assert.equal(statSync(join(dataDir, 'master.key')).mode & 0o777, 0o600);
      first.child.kill('SIGTERM');
      assert.equal(await first.exited, 0);

      const second = serve(env);
      await second.ready;
      assert.doesNotMatch(second.output(), /Client secret|Admin password/);
      second.child.kill('SIGTERM');
      assert.equal(await second.exited, 0);
    } finally {
      await fresh.drop();
    }
  });

  it('migrate runs the migrations alone, then says the database is up to date', async () => {
    const dataDir = tempDir();
    const env = { KEYWARD_DATABASE_URL: `sqlite:${join(dataDir, 'm.db')}`, KEYWARD_DATA_DIR: dataDir };
    const first = cli(['migrate'], env);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /applied: 0001_foundation/);
    const again = cli(['migrate'], env);
    assert.match(again.stdout, /up to date/);
  });
});

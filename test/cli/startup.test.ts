/**
 * Start-up refusals (issue 14 findings 4, 6, 8; issue 21 item 6): never replace or half-read a
 * deployment's data; each failure is one line naming the file or variable and what to do.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/platform/config.js';
import { unknownVariableWarnings } from '../../src/platform/envCheck.js';
import { createServices } from '../../src/services.js';
import { preflight } from '../../src/store/preflight.js';
import { lockForServing } from '../../src/store/serveLock.js';
import { TEST_DB } from '../support/harness.js';

const MAIN = ['--import', 'tsx', 'src/main.ts'];
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'keyward-start-'));
  dirs.push(d);
  return d;
};
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const sqliteConfig = (dataDir: string, env: Record<string, string> = {}) =>
  loadConfig({ KEYWARD_DATA_DIR: dataDir, KEYWARD_LOG_LEVEL: 'silent', ...env });

/** First start on an empty data dir: bootstraps, writes master.key and keyward.db. */
async function bootstrapped(env: Record<string, string> = {}): Promise<string> {
  const dataDir = tempDir();
  const { services, bootstrapped } = await createServices(sqliteConfig(dataDir, env));
  assert.ok(bootstrapped, 'an empty data dir is bootstrapped');
  await services.close();
  return dataDir;
}

function cli(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [...MAIN, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe(
  'start-up refuses what would lose or misread data',
  { skip: TEST_DB !== 'sqlite' && 'SQLite files' },
  () => {
    it('a master.key beside a missing or 0-byte database: refused, nothing bootstrapped', async () => {
      for (const damage of ['missing', 'empty'] as const) {
        const dataDir = await bootstrapped();
        const db = join(dataDir, 'keyward.db');
        for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
        if (damage === 'empty') writeFileSync(db, '');
        const key = readFileSync(join(dataDir, 'master.key'), 'utf8');
        await assert.rejects(
          createServices(sqliteConfig(dataDir)),
          (e: Error) =>
            e instanceof ConfigError &&
            e.message.includes(`${db} is ${damage}`) &&
            e.message.includes('Restore') &&
            !e.message.includes('\n'),
        );
        assert.equal(readFileSync(join(dataDir, 'master.key'), 'utf8'), key, 'the key is untouched');
        assert.equal(existsSync(db) ? readFileSync(db).length : 0, 0, 'no new database was written');
      }
    });

    it('a database without its master.key: refused, and no new key is written beside the old data', async () => {
      const dataDir = await bootstrapped();
      rmSync(join(dataDir, 'master.key'));
      await assert.rejects(
        createServices(sqliteConfig(dataDir)),
        /master\.key is missing but .*keyward\.db holds data/,
      );
      assert.equal(existsSync(join(dataDir, 'master.key')), false);
    });

    it('a damaged database file is named', async () => {
      const dataDir = await bootstrapped();
      const db = join(dataDir, 'keyward.db');
      writeFileSync(db, randomBytes(8192));
      await assert.rejects(preflight(sqliteConfig(dataDir)), (e: Error) =>
        e.message.startsWith(`${db} is damaged`),
      );
      // A real header over a truncated body: SQLite itself calls it malformed.
      const good = await bootstrapped();
      const file = join(good, 'keyward.db');
      const header = readFileSync(file).subarray(0, 100);
      writeFileSync(file, Buffer.concat([header, randomBytes(4096 - 100)]));
      truncateSync(file, 4096);
      await assert.rejects(preflight(sqliteConfig(good)), (e: Error) =>
        e.message.startsWith(`${file} is damaged`),
      );
    });

    it('the wrong master key: "does not decrypt this database", naming the variable', async () => {
      const key = randomBytes(32).toString('base64');
      const dataDir = await bootstrapped({ KEYWARD_MASTER_KEY: key });
      const other = randomBytes(32).toString('base64');
      await assert.rejects(
        createServices(sqliteConfig(dataDir, { KEYWARD_MASTER_KEY: other })),
        /^Error: KEYWARD_MASTER_KEY: the master key does not decrypt this database/,
      );
    });

    it('a data dir that cannot be created names KEYWARD_DATA_DIR', async () => {
      const file = join(tempDir(), 'a-file');
      writeFileSync(file, '');
      await assert.rejects(
        preflight(sqliteConfig(join(file, 'data'))),
        /^Error: KEYWARD_DATA_DIR: .* is not a writable directory \(ENOTDIR\)/,
      );
    });

    it('first start on an empty data dir still bootstraps, and starts again', async () => {
      const dataDir = await bootstrapped();
      const { services, bootstrapped: again } = await createServices(sqliteConfig(dataDir));
      assert.equal(again, undefined);
      await services.close();
    });

    it('a second server on the same SQLite file is refused with one line; the lock dies with its holder', () => {
      const dataDir = tempDir();
      const db = join(dataDir, 'keyward.db');
      const unlock = lockForServing(db);
      try {
        assert.throws(() => lockForServing(db), /already served by another Keyward process/);
        const res = cli(['serve'], { KEYWARD_DATA_DIR: dataDir, KEYWARD_PORT: '0' });
        assert.equal(res.status, 2, res.stderr);
        assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
        assert.match(
          res.stderr,
          new RegExp(`^keyward: ${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is already served`),
        );
      } finally {
        unlock();
      }
      lockForServing(db)(); // released: taken again at once
    });
  },
);

describe('start-up messages', () => {
  it('PostgreSQL unreachable: one line naming KEYWARD_DATABASE_URL and host:port', async () => {
    // A port that refuses: bind, note it, close.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const res = cli(['serve'], {
      KEYWARD_DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/test`,
      KEYWARD_MASTER_KEY: randomBytes(32).toString('base64'),
    });
    assert.equal(res.status, 2, res.stderr);
    assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
    assert.match(
      res.stderr,
      new RegExp(
        `^keyward: KEYWARD_DATABASE_URL: PostgreSQL connect to 127\\.0\\.0\\.1:${port} failed: .*ECONNREFUSED`,
      ),
    );
  });

  it('unknown KEYWARD_* variables warn with the closest known name', () => {
    assert.deepEqual(unknownVariableWarnings({ KEYWARD_PROT: '1', KEYWARD_PORT: '2', PATH: '/bin' }), [
      'KEYWARD_PROT is not a Keyward setting and is ignored (did you mean KEYWARD_PORT?)',
    ]);
    assert.deepEqual(unknownVariableWarnings({ KEYWARD_DATABSE_URL: 'x' }), [
      'KEYWARD_DATABSE_URL is not a Keyward setting and is ignored (did you mean KEYWARD_DATABASE_URL?)',
    ]);
    assert.match(unknownVariableWarnings({ KEYWARD_ZZZZZZZZZZZZZZZZZ: '1' })[0]!, /ignored$/);
    const res = cli(['migrate'], { KEYWARD_PROT: '8080', KEYWARD_DATA_DIR: tempDir() });
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stderr, /warning: KEYWARD_PROT .*did you mean KEYWARD_PORT\?/);
  });
});

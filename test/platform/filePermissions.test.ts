/**
 * Issue 13 §7: the data directory is 0700 and the database files (keyward.db, -wal, -shm) 0600,
 * whatever the umask, both when Keyward creates them and when it finds them looser at start.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../src/platform/config.js';
import { createServices } from '../../src/services.js';
import { TEST_MASTER_KEY } from '../support/harness.js';

const mode = (path: string) => statSync(path).mode & 0o777;

async function start(dataDir: string) {
  const config = loadConfig({
    KEYWARD_DATA_DIR: dataDir,
    KEYWARD_LOG_LEVEL: 'silent',
    KEYWARD_BOOTSTRAP_ADMIN_PASSWORD: 'correct horse battery staple',
  });
  const { services } = await createServices(config);
  // A write, so the WAL and shared-memory files exist.
  await services.store.db.selectFrom('organizations').select('id').execute();
  return services;
}

describe('data directory and database file modes (issue 13 §7)', () => {
  const root = mkdtempSync(join(tmpdir(), 'keyward-perm-'));
  const oldUmask = process.umask(0o022);
  after(() => {
    process.umask(oldUmask);
    rmSync(root, { recursive: true, force: true });
  });

  it('a new data dir is 0700; keyward.db, -wal, -shm and master.key are 0600 (umask 022)', async () => {
    const dataDir = join(root, 'fresh', 'data');
    const services = await start(dataDir);
    try {
      assert.equal(mode(dataDir), 0o700);
      for (const file of ['keyward.db', 'keyward.db-wal', 'keyward.db-shm', 'master.key']) {
        assert.equal(mode(join(dataDir, file)).toString(8), '600', file);
      }
    } finally {
      await services.close();
    }
  });

  it('an existing world-readable data dir and database are tightened at start', async () => {
    const dataDir = join(root, 'loose');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'keyward.db'), '', { mode: 0o644 });
    chmodSync(join(dataDir, 'keyward.db'), 0o644);
    const services = await start(dataDir);
    try {
      assert.equal(mode(dataDir).toString(8), '700');
      for (const file of ['keyward.db', 'keyward.db-wal', 'keyward.db-shm']) {
        assert.equal(mode(join(dataDir, file)).toString(8), '600', file);
      }
    } finally {
      await services.close();
    }
  });

  it('with an external master key the data dir is still private', async () => {
    const dataDir = join(root, 'external-key');
    const config = loadConfig({
      KEYWARD_DATA_DIR: dataDir,
      KEYWARD_LOG_LEVEL: 'silent',
      KEYWARD_MASTER_KEY: TEST_MASTER_KEY,
      KEYWARD_BOOTSTRAP_ADMIN_PASSWORD: 'correct horse battery staple',
    });
    const { services } = await createServices(config);
    await services.close();
    assert.equal(mode(dataDir).toString(8), '700');
  });
});

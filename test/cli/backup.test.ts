/**
 * Issue 14, backups: `keyward backup FILE` while the server writes, `keyward restore FILE` into a
 * new data dir, and every write acknowledged before the backup started is there (SQLite).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { startKeyward, TEST_DB } from '../support/harness.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'keyward-backup-'));
  dirs.push(d);
  return d;
};
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs the CLI without blocking this process (the server in it keeps serving). */
function cli(args: string[], databaseFile: string) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
      env: { ...process.env, KEYWARD_DATABASE_URL: `sqlite:${databaseFile}`, KEYWARD_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

const emailsIn = (file: string) => {
  const db = new SQLite(file, { readonly: true });
  try {
    return new Set((db.prepare('select email from people').all() as { email: string }[]).map((r) => r.email));
  } finally {
    db.close();
  }
};

describe('keyward backup / restore (SQLite)', { skip: TEST_DB !== 'sqlite' ? 'SQLite only' : false }, () => {
  it('backs up under write load; the restore holds every acknowledged write; refuses to overwrite', async () => {
    const h = await startKeyward({ env: { KEYWARD_RATE_LIMIT_MAX: '0' } });
    try {
      const token = await h.token();
      const acked: string[] = [];
      let writing = true;
      const writer = (async () => {
        for (let i = 0; writing && i < 5000; i++) {
          const email = `backup.${i}@example.com`;
          const res = await h.app.inject({
            method: 'POST',
            url: '/v1/people',
            headers: { authorization: `Bearer ${token}` },
            payload: { emails: [email], displayName: `Backup ${i}` },
          });
          assert.equal(res.statusCode, 200, res.body);
          acked.push(email);
        }
      })();
      while (acked.length < 20) await new Promise((r) => setTimeout(r, 10));

      const file = (h.config.database as { file: string }).file;
      const backupFile = join(tempDir(), 'keyward.backup.db');
      const ackedBefore = acked.length;
      const made = await cli(['backup', backupFile], file);
      const ackedAfter = acked.length;
      writing = false;
      await writer;
      assert.equal(made.code, 0, made.out);
      assert.ok(ackedAfter > ackedBefore, 'writes went on during the backup');
      assert.equal((await cli(['backup', backupFile], file)).code, 1, 'an existing file is not overwritten');

      const restoredFile = join(tempDir(), 'keyward.db');
      const restored = await cli(['restore', backupFile], restoredFile);
      assert.equal(restored.code, 0, restored.out);
      const emails = emailsIn(restoredFile);
      // A consistent snapshot: every write acknowledged before the backup, and no gap after.
      const present = acked.map((e) => emails.has(e));
      const cut = present.indexOf(false) === -1 ? present.length : present.indexOf(false);
      assert.ok(
        cut >= ackedBefore,
        `only ${cut} of the ${ackedBefore} writes acknowledged before the backup`,
      );
      assert.ok(!present.slice(cut).includes(true), 'the snapshot is a prefix of the acknowledged writes');

      const refused = await cli(['restore', backupFile], file);
      assert.equal(refused.code, 1);
      assert.match(refused.out, /is not empty: stop the server, then restore with --force/);
      const notADb = join(tempDir(), 'junk.db');
      (await import('node:fs')).writeFileSync(notADb, 'not a database at all');
      const junk = await cli(['restore', notADb, '--force'], restoredFile);
      assert.equal(junk.code, 1);
      assert.match(junk.out, /not a SQLite database|not a Keyward backup/);
      assert.equal(emailsIn(restoredFile).size, emails.size, 'a refused restore changes nothing');
      const forced = await cli(['restore', backupFile, '--force'], restoredFile);
      assert.equal(forced.code, 0, forced.out);
    } finally {
      await h.close();
    }
  });
});

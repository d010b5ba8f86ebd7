/** `keyward licenses import FILE.json`: create/update, all or nothing, a progress line for large files. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startKeyward, type Harness, TEST_MASTER_KEY } from '../support/harness.js';
import { callerWith } from '../support/tenants.js';
import { auditActions, ok } from './support.js';

describe('keyward licenses import', () => {
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
      timeout: 60_000,
    });
  };
  const file = (name: string, data: unknown) => {
    const path = join(k.config.dataDir, name);
    writeFileSync(path, JSON.stringify(data));
    return path;
  };
  const count = async () =>
    Number(
      (
        await k.services.store.db
          .selectFrom('licenses')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('imports a large file with a progress line, then updates by id', async () => {
    const code = (
      await k.services.store.db.selectFrom('organizations').select('code').executeTakeFirstOrThrow()
    ).code;
    const entries = Array.from({ length: 1500 }, (_, i) => ({
      org: i % 2 ? code : k.admin.orgId,
      name: `Messaging ${i}`,
      totalUnits: 10 + i,
    }));
    entries[0] = { ...entries[0]!, id: 'calling-pro-1', name: 'Webex Calling - Professional' } as any;
    const res = cli('licenses', 'import', file('big.json', { licenses: entries }));
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /imported 1500 licenses: 1500 created, 0 updated/);
    assert.match(res.stderr, /importing licenses: 1500\/1500 \(100%\)/);
    assert.equal(await count(), 1500);
    const as = callerWith(k, await k.token());
    assert.equal(ok(await as('GET', '/v1/licenses'), 200).items.length, 1500);
    assert.equal(ok(await as('GET', '/v1/licenses/calling-pro-1'), 200).totalUnits, 10);

    const small = cli(
      'licenses',
      'import',
      file('update.json', [
        { org: code, id: 'calling-pro-1', name: 'Webex Calling - Professional', totalUnits: 50 },
      ]),
    );
    assert.equal(small.status, 0, small.stderr);
    assert.match(small.stdout, /1 updated/);
    assert.equal(small.stderr, '', 'no progress line for small files');
    assert.equal(ok(await as('GET', '/v1/licenses/calling-pro-1'), 200).totalUnits, 50);
    assert.ok((await auditActions(k, k.admin.orgId)).includes('license.update'));
  });

  it('bad files change nothing and say which entry is wrong', async () => {
    const before = await count();
    const unknownOrg = cli(
      'licenses',
      'import',
      file('bad.json', [
        { org: k.admin.orgId, name: 'Fine', totalUnits: 1 },
        { org: 'no-such-org', name: 'X', totalUnits: 1 },
      ]),
    );
    assert.notEqual(unknownOrg.status, 0);
    assert.match(unknownOrg.stderr, /licenses\[1\]\.org/);
    const negative = cli(
      'licenses',
      'import',
      file('neg.json', [{ org: k.admin.orgId, name: 'X', totalUnits: -5 }]),
    );
    assert.notEqual(negative.status, 0);
    assert.match(negative.stderr, /totalUnits/);
    const notJson = join(k.config.dataDir, 'broken.json');
    writeFileSync(notJson, '{');
    assert.match(cli('licenses', 'import', notJson).stderr, /cannot read/);
    assert.notEqual(cli('licenses', 'import').status, 0);
    assert.equal(await count(), before);
  });
  it('id-less entries match by org + name: a second import changes nothing; --dry-run writes nothing; ids printed', async () => {
    const before = await count();
    const path = file('idless.json', [
      { org: 'root', name: 'Idempotent A', totalUnits: 5 },
      { org: 'root', name: 'Idempotent B', totalUnits: 7 },
    ]);
    const dry = cli('licenses', 'import', '--dry-run', path);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /dry run, nothing written: would import 2 licenses: 2 created, 0 updated/);
    assert.equal(await count(), before, 'a dry run writes nothing');
    const first = cli('licenses', 'import', path);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /2 created, 0 updated/);
    const ids = [...first.stdout.matchAll(/^(\S+)\s+created\s+licenses\[\d\]$/gm)].map((m) => m[1]);
    assert.equal(ids.length, 2, first.stdout);
    const second = cli('licenses', 'import', path);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, /0 created, 2 updated/);
    assert.deepEqual(
      [...second.stdout.matchAll(/^(\S+)\s+updated/gm)].map((m) => m[1]),
      ids,
      'the same ids',
    );
    assert.equal(await count(), before + 2);
  });
});

/**
 * The admin CLI (issue 21): clients, people, passwords, bootstrap-admin and usable top-level orgs,
 * run as real `keyward` processes against a real database, then checked through the HTTP APIs.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PG_URL, startKeyward, TEST_MASTER_KEY, type Harness } from '../support/harness.js';

const MAIN = ['--import', 'tsx', 'src/main.ts'];
let k: Harness;
let env: Record<string, string>;
const dataDir = mkdtempSync(join(tmpdir(), 'keyward-admin-cli-'));

before(async () => {
  k = await startKeyward();
  const db = k.config.database;
  env = {
    KEYWARD_DATA_DIR: dataDir,
    KEYWARD_MASTER_KEY: TEST_MASTER_KEY,
    KEYWARD_ISSUER: 'http://keyward.test',
    KEYWARD_DATABASE_URL: db.kind === 'sqlite' ? `sqlite:${db.file}` : PG_URL,
    ...(db.kind === 'postgres' ? { KEYWARD_DATABASE_SCHEMA: db.schema! } : {}),
  };
});
after(async () => {
  await k.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function keyward(...args: string[]) {
  const res = spawnSync(process.execPath, [...MAIN, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: res.status, out: res.stdout, err: res.stderr };
}

function ok(...args: string[]): string {
  const res = keyward(...args);
  assert.equal(res.code, 0, `${args.join(' ')}: ${res.err}`);
  return res.out;
}

async function tokenOf(id: string, secret: string): Promise<{ status: number; token?: string }> {
  const res = await k.app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: id,
      client_secret: secret,
    }).toString(),
  });
  return { status: res.statusCode, token: res.json().access_token };
}

const exported = (out: string, name: string) => out.match(new RegExp(`^export ${name}=(\\S+)$`, 'm'))?.[1];

describe('keyward admin CLI', () => {
  it('help for every group and command shows only that command’s options', () => {
    for (const group of ['keys', 'org', 'access-keys', 'licenses', 'clients', 'person']) {
      const res = keyward(group, '--help');
      assert.equal(res.code, 0, `${group}: ${res.err}`);
      assert.match(res.out, new RegExp(`Usage: keyward ${group} <command>`));
    }
    const help = ok('clients', 'create', '--help');
    assert.match(help, /--name VALUE/);
    assert.match(help, /--database-url VALUE/);
    assert.doesNotMatch(help, /--port|--issuer|--log-level/, 'serve-only options are not listed');
    assert.match(ok('serve', '--help'), /--port VALUE/);
    const unknown = keyward('clients', 'frobnicate');
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown command "clients frobnicate"/);
  });

  it('clients create/list/delete: the secret is printed once as export lines, and works until deleted', async () => {
    const out = ok('clients', 'create', '--name', 'Nightly job', '--roles', 'read_only_admin');
    const id = exported(out, 'CLIENT_ID')!;
    const secret = exported(out, 'CLIENT_SECRET')!;
    assert.ok(id && secret, out);
    assert.match(out, /roles: read_only_admin/);
    assert.equal((await tokenOf(id, secret)).status, 200);
    const listing = ok('clients', 'list');
    const lines = listing.trim().split('\n');
    assert.match(lines[0]!, /^ID\s+NAME\s+GRANT TYPES\s+ROLES\s+ENABLED$/);
    const row = lines.find((l) => l.startsWith(id))!;
    assert.ok(row, listing);
    assert.equal(row.indexOf('Nightly job'), lines[0]!.indexOf('NAME'), 'columns are aligned');
    assert.doesNotMatch(listing, new RegExp(secret), 'the list never shows a secret');
    assert.match(ok('clients', 'delete', id), new RegExp(`deleted client ${id}`));
    // (A running SQLite server's cache learns of it on restart or expiry; PostgreSQL nodes at once.)
    const gone = await k.services.store.db
      .selectFrom('oauth_clients')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst();
    assert.equal(gone, undefined, 'the client is gone');
  });

  it('a client gets no admin role unless asked for; an unknown role is refused by the domain rules', () => {
    assert.match(ok('clients', 'create', '--name', 'Plain'), /roles: none/);
    const bad = keyward('clients', 'create', '--name', 'Bad', '--roles', 'emperor');
    assert.equal(bad.code, 1);
    assert.equal(bad.err.trim().split('\n').length, 1, bad.err);
  });

  it('person create with roles and a printed password; set-password replaces it; both log in', async () => {
    const out = ok(
      'person',
      'create',
      '--email',
      'ops@example.com',
      '--roles',
      'user_admin',
      '--name',
      'Ops',
    );
    assert.match(out, /roles: user_admin/);
    const first = out.match(/^Password\s+(\S+)/m)?.[1];
    assert.ok(first, out);
    const person = await k.services.store.db
      .selectFrom('people')
      .selectAll()
      .where('email', '=', 'ops@example.com')
      .executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(person.roles), ['user_admin']);
    const again = ok(
      'person',
      'set-password',
      '--email',
      'ops@example.com',
      '--password',
      'a brand new passphrase',
    );
    assert.match(again, /password set for ops@example.com/);
    assert.doesNotMatch(again, /Password\s/, 'a given password is not echoed');
    const { passwordMatches } = await import('../../src/domain/people/passwords.js');
    const row = await k.services.store.db
      .selectFrom('people')
      .select('password_hash')
      .where('id', '=', person.id)
      .executeTakeFirstOrThrow();
    assert.equal(await passwordMatches('a brand new passphrase', row.password_hash), true);
    const missing = keyward('person', 'set-password', '--email', 'nobody@example.com');
    assert.equal(missing.code, 1);
    assert.match(missing.err, /no person with the email nobody@example.com/);
  });

  it('bootstrap-admin: a fresh full-admin client that manages the root org, printed once', async () => {
    const out = ok('bootstrap-admin');
    const { status, token } = await tokenOf(exported(out, 'CLIENT_ID')!, exported(out, 'CLIENT_SECRET')!);
    assert.equal(status, 200);
    const people = await k.app.inject({ url: '/v1/people', headers: { authorization: `Bearer ${token}` } });
    assert.equal(people.statusCode, 200, people.body);
    assert.match(ok('bootstrap-admin', '--email', 'rescue@example.com'), /Password\s+\S{12,}/);
  });

  it('org create --admin-email --client: a usable top-level org the root client manages', async () => {
    const out = ok(
      'org',
      'create',
      '--name',
      'Partner A',
      '--code',
      'partner-a',
      '--admin-email',
      'boss@a.example',
      '--client',
      'A automation',
    );
    assert.match(out, /code partner-a \(top-level, managed by root\)/);
    const orgId = out.match(/^organization (\S+)/)![1]!;
    assert.match(out, /^Password\s+\S+/m);
    const own = await tokenOf(exported(out, 'CLIENT_ID')!, exported(out, 'CLIENT_SECRET')!);
    assert.equal(own.status, 200);
    const root = await k.token();
    for (const token of [own.token!, root]) {
      const res = await k.app.inject({
        url: `/v1/people?orgId=${orgId}`,
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(
        res.json().items.map((p: { emails: string[] }) => p.emails[0]),
        ['boss@a.example'],
      );
    }
    const orgs = await k.app.inject({
      url: '/v1/organizations',
      headers: { authorization: `Bearer ${root}` },
    });
    assert.ok(
      orgs.json().items.some((o: { id: string }) => o.id === orgId),
      'root lists what it created',
    );
  });
});

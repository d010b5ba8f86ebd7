import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CONSOLE_CLIENT_ID } from '../../src/domain/clients/consoleClient.js';
import { startKeyward, type Harness } from '../support/harness.js';
import { adminClient, callerWith, insertOrganization, partnerAndCustomer } from '../support/tenants.js';

describe('Keyward admin API (/admin/v1) and the console client', () => {
  let k: Harness;
  let consoleDir: string;

  before(async () => {
    // A stand-in build: what the server does with a built console, without running Vite here.
    consoleDir = mkdtempSync(join(tmpdir(), 'keyward-console-'));
    mkdirSync(join(consoleDir, 'assets'));
    writeFileSync(
      join(consoleDir, 'index.html'),
      '<!doctype html><title>console</title><div id="root"></div>',
    );
    writeFileSync(join(consoleDir, 'assets', 'index-abc123.js'), 'console.log(1)');
    k = await startKeyward({ env: { KEYWARD_CONSOLE: 'true', KEYWARD_CONSOLE_DIR: consoleDir } });
  });
  after(async () => {
    await k?.close();
    rmSync(consoleDir, { recursive: true, force: true });
  });

  it('GET /admin/v1/me says who calls and which operations they may perform', async () => {
    const full = await callerWith(k, await k.token())('GET', '/admin/v1/me');
    assert.equal(full.status, 200);
    assert.equal(full.body.kind, 'client');
    assert.deepEqual(full.body.roles, ['full_admin']);
    assert.ok(full.body.operations.includes('people.write'));
    assert.ok(full.body.operations.includes('signingKeys.rotate'));
    const readOnly = await adminClient(k, k.admin.orgId, ['read_only_admin']);
    const ro = await callerWith(k, readOnly.token)('GET', '/admin/v1/me');
    assert.ok(ro.body.operations.includes('people.read'));
    assert.ok(!ro.body.operations.includes('people.write'));
    assert.ok(!ro.body.operations.includes('signingKeys.rotate'));
    // Narrowed token: the scopes count, not only the roles.
    const narrow = await callerWith(k, await k.token('spark-admin:people_read'))('GET', '/admin/v1/me');
    assert.deepEqual(narrow.body.scopes, ['spark-admin:people_read']);
    assert.ok(!narrow.body.operations.includes('oauthClients.read'));
  });

  it('refuses unauthenticated calls in its own error shape', async () => {
    for (const [method, url] of [
      ['GET', '/admin/v1/me'],
      ['GET', '/admin/v1/signingKeys'],
      ['POST', '/admin/v1/signingKeys/rotate'],
    ] as const) {
      const res = await k.app.inject({ method, url, payload: method === 'POST' ? {} : undefined });
      assert.equal(res.statusCode, 401, url);
      assert.equal(typeof res.json().message, 'string');
      assert.equal(typeof res.json().trackingId, 'string');
    }
    const missing = await callerWith(k, await k.token())('GET', '/admin/v1/nothing');
    assert.equal(missing.status, 404);
  });

  it('lists signing keys (metadata only) and rotates: new key active, old one retiring and still in JWKS', async () => {
    const call = callerWith(k, await k.token());
    const before = await call('GET', '/admin/v1/signingKeys');
    assert.equal(before.status, 200);
    const oldEd = before.body.items.find((i: any) => i.alg === 'EdDSA' && i.state === 'active');
    assert.ok(oldEd);
    assert.ok(!JSON.stringify(before.body).includes('private'));
    const rotated = await call('POST', '/admin/v1/signingKeys/rotate', { alg: 'EdDSA' });
    assert.equal(rotated.status, 201);
    assert.notEqual(rotated.body.kid, oldEd.kid);
    const afterList = await call('GET', '/admin/v1/signingKeys');
    const byKid = new Map(afterList.body.items.map((i: any) => [i.kid, i]));
    assert.equal((byKid.get(rotated.body.kid) as any).state, 'active');
    assert.equal((byKid.get(oldEd.kid) as any).state, 'retiring');
    const jwks = (await k.app.inject({ url: '/oauth/jwks' })).json();
    const kids = jwks.keys.map((j: any) => j.kid);
    assert.ok(kids.includes(oldEd.kid) && kids.includes(rotated.body.kid));
    // New tokens are signed with the new key.
    const token = await k.token();
    const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString());
    assert.equal(header.kid, rotated.body.kid);
    const audit = await call('GET', '/v1/adminAudit/events?max=5');
    assert.ok(audit.body.items.some((e: any) => e.action === 'signing_key.rotate'));
  });

  it('rotation: bad input is a 400, not a full admin or not the root organization is a 403, nothing changes', async () => {
    const count = async () =>
      (await k.services.store.db.selectFrom('signing_keys').select('kid').execute()).length;
    const start = await count();
    const full = callerWith(k, await k.token());
    const bad = await full('POST', '/admin/v1/signingKeys/rotate', { alg: 'HS256' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /alg/);
    const extra = await full('POST', '/admin/v1/signingKeys/rotate', { alg: 'EdDSA', x: 1 });
    assert.equal(extra.status, 400);
    const ro = await adminClient(k, k.admin.orgId, ['read_only_admin']);
    assert.equal((await callerWith(k, ro.token)('POST', '/admin/v1/signingKeys/rotate', {})).status, 403);
    assert.equal((await callerWith(k, ro.token)('GET', '/admin/v1/signingKeys')).status, 200);
    const other = await insertOrganization(k, { name: 'Other' });
    const otherAdmin = await adminClient(k, other.orgId, ['full_admin']);
    const refused = await callerWith(k, otherAdmin.token)('POST', '/admin/v1/signingKeys/rotate', {});
    assert.equal(refused.status, 403);
    assert.match(refused.body.message, /root organization/);
    const { partner } = await partnerAndCustomer(k);
    assert.equal(
      (await callerWith(k, partner.token)('POST', '/admin/v1/signingKeys/rotate', {})).status,
      403,
    );
    const narrow = await k.token('spark-admin:organizations_read');
    assert.equal((await callerWith(k, narrow)('POST', '/admin/v1/signingKeys/rotate', {})).status, 403);
    assert.equal(await count(), start);
  });

  it('registers the console as a public PKCE client with redirect URIs from the issuer, idempotently', async () => {
    const client = await k.services.clients.find(CONSOLE_CLIENT_ID);
    assert.ok(client);
    assert.equal(client.type, 'PUBLIC');
    assert.deepEqual(client.redirectUris, [
      `${k.baseUrl}/console/callback`,
      `${k.baseUrl}/console/signed-out`,
    ]);
    assert.ok(client.grantTypes.includes('AUTHORIZATION_CODE'));
    assert.ok(!client.grantTypes.includes('CLIENT_CREDENTIALS'));
    // A second node (or a restart) on the same database with another issuer: one row, updated URIs.
    const second = await startKeyward({
      database: k.config.database,
      env: {
        KEYWARD_CONSOLE: 'true',
        KEYWARD_ISSUER: 'https://iam.example.com',
        KEYWARD_CONSOLE_DIR: consoleDir,
      },
    });
    try {
      const rows = await k.services.store.db
        .selectFrom('oauth_clients')
        .select(['id', 'redirect_uris'])
        .where('id', '=', CONSOLE_CLIENT_ID)
        .execute();
      assert.equal(rows.length, 1);
      assert.deepEqual(JSON.parse(rows[0].redirect_uris), [
        'https://iam.example.com/console/callback',
        'https://iam.example.com/console/signed-out',
      ]);
    } finally {
      await second.app.close();
      await second.services.close();
    }
    // KEYWARD_CONSOLE=false: nothing served at /console, and the existing client is disabled.
    const off = await startKeyward({ database: k.config.database, env: { KEYWARD_CONSOLE: 'false' } });
    try {
      assert.equal((await off.app.inject({ url: '/console/' })).statusCode, 404);
      const row = await k.services.store.db
        .selectFrom('oauth_clients')
        .select('enabled')
        .where('id', '=', CONSOLE_CLIENT_ID)
        .executeTakeFirstOrThrow();
      assert.equal(Number(row.enabled), 0);
    } finally {
      await off.app.close();
      await off.services.close();
    }
  });

  it('a database that never had the console gets it at the next start with the console on', async () => {
    const first = await startKeyward({ env: { KEYWARD_CONSOLE: 'false' } });
    try {
      assert.equal(await first.services.clients.find(CONSOLE_CLIENT_ID), undefined);
      const next = await startKeyward({ database: first.config.database, env: { KEYWARD_CONSOLE: 'true' } });
      try {
        const client = await next.services.clients.find(CONSOLE_CLIENT_ID);
        assert.equal(client?.enabled, true);
        assert.equal(client?.type, 'PUBLIC');
      } finally {
        await next.app.close();
        await next.services.close();
      }
    } finally {
      await first.close();
    }
  });

  it('serves the console: the page with a strict CSP, hashed assets immutable, client routes too', async () => {
    const page = await k.app.inject({ url: '/console/people/123' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /id="root"/);
    const csp = String(page.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(page.headers['cache-control'], 'no-cache');
    const asset = await k.app.inject({ url: '/console/assets/index-abc123.js' });
    assert.equal(asset.statusCode, 200);
    assert.match(String(asset.headers['cache-control']), /immutable/);
    assert.equal((await k.app.inject({ url: '/console/assets/nope.js' })).statusCode, 404);
    for (const url of ['/console', '/console/']) {
      const res = await k.app.inject({ url });
      assert.equal(res.statusCode, 200, url);
      assert.match(res.body, /id="root"/);
    }
    assert.equal((await k.app.inject({ url: '/console/../package.json' })).statusCode !== 200, true);
  });
});

describe('the console when it was not built', () => {
  it('answers 503 with what to do', async () => {
    const k = await startKeyward({
      env: { KEYWARD_CONSOLE: 'true', KEYWARD_CONSOLE_DIR: join(tmpdir(), 'keyward-no-console-here') },
    });
    try {
      const res = await k.app.inject({ url: '/console/' });
      assert.equal(res.statusCode, 503);
      assert.match(res.body, /npm run build/);
    } finally {
      await k.close();
    }
  });
});

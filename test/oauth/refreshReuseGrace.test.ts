/**
 * Refresh-token rotation with a reuse grace window (issue 14): within
 * KEYWARD_REFRESH_REUSE_GRACE_SECONDS the same client presenting a rotated token gets the same
 * successor; outside it (and with the default 0) reuse revokes the whole family.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashSecret } from '../../src/platform/crypto/secrets.js';
import { insertClient, insertPerson, type TestClient } from '../support/fixtures.js';
import { startKeyward, type Harness } from '../support/harness.js';

interface Scene {
  k: Harness;
  client: TestClient;
  personId: string;
}

async function scene(graceSeconds: string): Promise<Scene> {
  const k = await startKeyward({ env: { KEYWARD_REFRESH_REUSE_GRACE_SECONDS: graceSeconds } });
  const client = await insertClient(k);
  const personId = (await insertPerson(k)).id;
  return { k, client, personId };
}

/** A first refresh token, as the authorization-code grant would issue it. */
async function firstRefreshToken({ k, client, personId }: Scene): Promise<string> {
  const record = (await k.services.clients.find(client.id))!;
  const issued = await k.services.grants.issueForPerson(k.services.store.db, {
    client: record,
    personId,
    orgId: k.admin.orgId,
    scopes: ['spark-admin:organizations_read'],
    authTime: Date.now(),
    withRefresh: true,
  });
  return issued.refreshToken!;
}

async function form(k: Harness, url: string, fields: Record<string, string>) {
  const res = await k.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  });
  return { status: res.statusCode, body: res.json() };
}

function refresh(s: Scene, token: string, client: TestClient = s.client) {
  return form(s.k, '/oauth/token', {
    grant_type: 'refresh_token',
    refresh_token: token,
    client_id: client.id,
    client_secret: client.secret!,
  });
}

async function active(s: Scene, token: string): Promise<boolean> {
  const res = await form(s.k, '/oauth/introspect', {
    token,
    client_id: s.client.id,
    client_secret: s.client.secret!,
  });
  assert.equal(res.status, 200);
  return res.body.active;
}

async function live(s: Scene, token: string) {
  const res = await refresh(s, token);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as { access_token: string; refresh_token: string; scope: string };
}

describe('refresh-token reuse grace window (30 s)', () => {
  let s: Scene;
  before(async () => (s = await scene('30')));
  after(() => s.k.close());

  it('the same client presenting a rotated token again gets the same successor; the family lives on', async () => {
    const r0 = await firstRefreshToken(s);
    const first = await live(s, r0);
    const again = await live(s, r0);
    assert.equal(again.refresh_token, first.refresh_token);
    assert.notEqual(again.refresh_token, r0);
    assert.equal(again.scope, first.scope);
    assert.ok(await active(s, first.access_token));
    assert.ok(await active(s, again.access_token));
    const next = await live(s, first.refresh_token);
    assert.ok(await active(s, next.refresh_token));
  });

  it('two parallel refreshes of one token both succeed with the same successor', async () => {
    const r0 = await firstRefreshToken(s);
    const results = await Promise.all([refresh(s, r0), refresh(s, r0)]);
    for (const r of results) assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(results[0]!.body.refresh_token, results[1]!.body.refresh_token);
    for (const r of results) assert.ok(await active(s, r.body.access_token));
    const rows = await s.k.services.store.db
      .selectFrom('token_grants')
      .selectAll()
      .where('token_hash', '=', hashSecret(results[0]!.body.refresh_token))
      .execute();
    assert.equal(rows.length, 1);
    const family = await s.k.services.store.db
      .selectFrom('token_grants')
      .select('id')
      .where('family_id', '=', rows[0]!.family_id)
      .where('type', '=', 'refresh')
      .where('rotated_at', 'is', null)
      .execute();
    assert.equal(family.length, 1, 'one live refresh token in the family');
    // The successor is never stored in the clear: only its hash.
    const all = JSON.stringify(await s.k.services.store.db.selectFrom('token_grants').selectAll().execute());
    assert.ok(!all.includes(results[0]!.body.refresh_token));
  });

  it('outside the window, reuse still revokes the whole family', async () => {
    const r0 = await firstRefreshToken(s);
    const first = await live(s, r0);
    await s.k.services.store.db
      .updateTable('token_grants')
      .set({ rotated_at: Date.now() - 31_000 })
      .where('token_hash', '=', hashSecret(r0))
      .execute();
    const reuse = await refresh(s, r0);
    assert.equal(reuse.status, 400);
    assert.equal(reuse.body.error, 'invalid_grant');
    assert.match(reuse.body.error_description, /already used/);
    assert.equal(await active(s, first.access_token), false);
    assert.equal((await refresh(s, first.refresh_token)).status, 400);
  });

  it('once the successor was itself rotated, the old token is reuse', async () => {
    const r0 = await firstRefreshToken(s);
    const first = await live(s, r0);
    const second = await live(s, first.refresh_token);
    const reuse = await refresh(s, r0);
    assert.equal(reuse.body.error, 'invalid_grant');
    assert.equal(await active(s, second.access_token), false);
  });

  it('another client presenting the rotated token gets invalid_grant and no successor', async () => {
    const r0 = await firstRefreshToken(s);
    const first = await live(s, r0);
    const other = await insertClient(s.k);
    const res = await refresh(s, r0, other);
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_grant');
    assert.ok(!JSON.stringify(res.body).includes(first.refresh_token));
  });
});

describe('refresh-token reuse without grace (default 0: strict)', () => {
  let s: Scene;
  before(async () => (s = await scene('')));
  after(() => s.k.close());

  it('presenting a rotated token again at once revokes the family', async () => {
    const r0 = await firstRefreshToken(s);
    const first = await live(s, r0);
    const reuse = await refresh(s, r0);
    assert.equal(reuse.body.error, 'invalid_grant');
    assert.equal(await active(s, first.access_token), false);
    assert.equal((await refresh(s, first.refresh_token)).status, 400);
  });

  it('two parallel refreshes: one wins, the other is reuse and the family is revoked', async () => {
    const r0 = await firstRefreshToken(s);
    const results = await Promise.all([refresh(s, r0), refresh(s, r0)]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 400]);
    const won = results.find((r) => r.status === 200)!;
    assert.equal(await active(s, won.body.access_token), false);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertPerson } from '../support/fixtures.js';
import { startKeyward, type Harness } from '../support/harness.js';
import { callerWith, unrelatedTenant, type Caller } from '../support/tenants.js';
import { newPerson, personToken, personWithRoles } from './support.js';

describe('Webex /v1/people: CRUD, validation, roles', () => {
  let k: Harness;
  let admin: Caller;

  before(async () => {
    k = await startKeyward({ env: { KEYWARD_RATE_LIMIT_MAX: '0' } });
    admin = callerWith(k, await k.token());
  });
  after(() => k.close());

  it('creates, gets, replaces (PUT) and deletes a person', async () => {
    const created = await admin(
      'POST',
      '/v1/people',
      newPerson({ emails: ['Ada.Lovelace@Example.com'], displayName: 'Ada', roles: ['read_only_admin'] }),
    );
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const p = created.body;
    assert.deepEqual(p.emails, ['ada.lovelace@example.com']);
    assert.equal(p.displayName, 'Ada');
    assert.equal(p.firstName, 'Pat');
    assert.equal(p.orgId, k.admin.orgId);
    assert.deepEqual(p.roles, ['read_only_admin']);
    assert.equal(p.type, 'person');
    assert.equal(p.status, 'active');
    assert.ok(p.created && p.lastModified);
    assert.equal('password_hash' in p || 'passwordHash' in p, false);

    const got = await admin('GET', `/v1/people/${p.id}`);
    assert.deepEqual(got.body, p);

    // Full replace: firstName and roles left out are removed.
    const put = await admin('PUT', `/v1/people/${p.id}`, {
      emails: ['ada@example.com'],
      displayName: 'Ada L.',
      lastName: 'Lovelace',
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(put.body.firstName, null);
    assert.equal(put.body.lastName, 'Lovelace');
    assert.deepEqual(put.body.roles, []);
    assert.deepEqual(put.body.emails, ['ada@example.com']);
    assert.ok(put.body.lastModified > p.lastModified);
    const row = await k.services.store.db
      .selectFrom('people')
      .selectAll()
      .where('id', '=', p.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.email, 'ada@example.com');
    assert.equal(row.roles, '[]');

    // A GET result sent back (unknown keys) is accepted.
    const roundTrip = await admin('PUT', `/v1/people/${p.id}`, { ...put.body, displayName: 'Ada King' });
    assert.equal(roundTrip.status, 200);
    assert.equal(roundTrip.body.displayName, 'Ada King');

    const del = await admin('DELETE', `/v1/people/${p.id}`);
    assert.equal(del.status, 204);
    assert.equal((await admin('GET', `/v1/people/${p.id}`)).status, 404);
    assert.equal((await admin('DELETE', `/v1/people/${p.id}`)).status, 404);
    assert.equal(
      await k.services.store.db.selectFrom('people').select('id').where('id', '=', p.id).executeTakeFirst(),
      undefined,
    );
  });

  it('answers bad input with 400/409 in the Webex error shape', async () => {
    const first = await admin('POST', '/v1/people', newPerson({ emails: ['dup@example.com'] }));
    assert.equal(first.status, 200);
    const dup = await admin('POST', '/v1/people', newPerson({ emails: ['DUP@example.com'] }));
    assert.equal(dup.status, 409);
    assert.match(dup.body.message, /already exists/);
    assert.equal(typeof dup.body.trackingId, 'string');
    assert.equal(dup.body.errors[0].description, dup.body.message);
    assert.equal(dup.headers.trackingid, dup.body.trackingId);

    const bad: [string, unknown, RegExp][] = [
      ['POST', newPerson({ emails: ['not-an-email'] }), /emails\[0\]: is not a valid email/],
      ['POST', newPerson({ emails: ['a b@example.com'] }), /valid email/],
      ['POST', newPerson({ emails: [] }), /emails/],
      ['POST', newPerson({ emails: ['a@example.com', 'b@example.com'] }), /exactly one/],
      ['POST', { displayName: 'No email' }, /emails/],
      ['POST', newPerson({ roles: ['super_admin'] }), /unknown role "super_admin"/],
      ['POST', newPerson({ displayName: null, firstName: null, lastName: null }), /displayName/],
      ['POST', newPerson({ orgId: '01jzzzzzzzzzzzzzzzzzzzzzzz' }), /orgId/],
      ['POST', newPerson({ status: 'gone' }), /status/],
    ];
    for (const [method, body, pattern] of bad) {
      const res = await admin(method, '/v1/people', body);
      assert.equal(res.status, 400, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`);
      assert.match(res.body.message, pattern);
      assert.equal(res.body.errors[0].description, res.body.message);
    }
    // PUT on someone else's email: 409; moving orgs: 400.
    const other = await admin('POST', '/v1/people', newPerson());
    assert.equal(
      (await admin('PUT', `/v1/people/${other.body.id}`, newPerson({ emails: ['dup@example.com'] }))).status,
      409,
    );
    assert.equal(
      (await admin('PUT', `/v1/people/${other.body.id}`, newPerson({ orgId: 'elsewhere' }))).status,
      400,
    );

    const ids = Array.from({ length: 86 }, (_, i) => `01h${String(i).padStart(23, '0')}`).join(',');
    const tooMany = await admin('GET', `/v1/people?id=${ids}`);
    assert.equal(tooMany.status, 400);
    assert.match(tooMany.body.message, /at most 85/);
    for (const max of ['0', '1001', 'ten', '-1']) {
      assert.equal((await admin('GET', `/v1/people?max=${max}`)).status, 400, `max=${max}`);
    }
    assert.equal((await admin('GET', '/v1/people?roles=boss')).status, 400);
    assert.equal((await admin('GET', '/v1/people?email=nope')).status, 400);
    assert.equal((await admin('GET', '/v1/people?orgId=unknown-org')).status, 400);
    assert.equal((await admin('GET', '/v1/people?cursor=forged')).status, 400);
    assert.equal((await admin('GET', '/v1/people/not-an-id')).status, 404);
    const unauth = await k.app.inject({ method: 'GET', url: '/v1/people' });
    assert.equal(unauth.statusCode, 401);
    assert.ok(unauth.json().message && unauth.json().trackingId);
  });

  it('filters by email, displayName prefix, id list and roles, in the caller’s org', async () => {
    const tag = `flt${Date.now().toString(36)}`;
    const a = (
      await admin('POST', '/v1/people', {
        emails: [`${tag}.a@example.com`],
        displayName: `Zed ${tag} A`,
        roles: ['device_admin'],
      })
    ).body;
    const b = (
      await admin('POST', '/v1/people', { emails: [`${tag}.b@example.com`], displayName: `zed ${tag} B` })
    ).body;
    const c = (
      await admin('POST', '/v1/people', {
        emails: [`${tag}.c@example.com`],
        displayName: `Other ${tag}`,
        roles: ['user_admin'],
      })
    ).body;
    const names = async (query: string) =>
      ((await admin('GET', `/v1/people?${query}`)).body.items as any[]).map((p) => p.id).sort();
    assert.deepEqual(await names(`email=${tag}.A@EXAMPLE.com`), [a.id]);
    assert.deepEqual(await names(`displayName=${encodeURIComponent(`ZED ${tag}`)}`), [a.id, b.id].sort());
    assert.deepEqual(await names(`id=${a.id},${c.id}`), [a.id, c.id].sort());
    const byRole = await names('roles=device_admin,user_admin');
    assert.ok(byRole.includes(a.id) && byRole.includes(c.id) && !byRole.includes(b.id));
    // LIKE wildcards in the prefix are literal.
    assert.deepEqual(await names(`displayName=${encodeURIComponent('%')}`), []);
    // Prefixes are matched through an index range (SQLite) or LIKE (PostgreSQL): same answers at the
    // edges: wildcard characters, a prefix that is a whole name, characters beyond the BMP.
    const edge = async (displayName: string) =>
      (await admin('POST', '/v1/people', { emails: [`${tag}.${edgeN++}@example.com`], displayName })).body.id;
    let edgeN = 0;
    const pct = await edge(`${tag} 50%_off`);
    const plain = await edge(`${tag} 50xoff`);
    const emoji = await edge(`${tag} 😀 smile`);
    const emoji2 = await edge(`${tag} 😁 grin`);
    const exact = await edge(`${tag} z`);
    const q = (prefix: string) => names(`displayName=${encodeURIComponent(`${tag} ${prefix}`)}`);
    assert.deepEqual(await q('50%_'), [pct]);
    assert.deepEqual(await q('50'), [pct, plain].sort());
    assert.deepEqual(await q('😀'), [emoji]);
    assert.deepEqual(await q('😁 GRIN'), [emoji2]);
    assert.deepEqual(await q('z'), [exact]);
    assert.deepEqual(await q('za'), []);

    // Webex notFoundIds: ids that are no person of the org (nonexistent, malformed, another org's
    // person alike), on every page of an id query; absent without an id filter.
    const elsewhere = await insertPerson(k, { orgId: (await unrelatedTenant(k)).orgId });
    const missing = '01jzzzzzzzzzzzzzzzzzzzzzzz';
    const byIds = await admin('GET', `/v1/people?id=${a.id},${missing},${elsewhere.id},bogus,${c.id}&max=1`);
    assert.equal(byIds.status, 200);
    assert.deepEqual(
      byIds.body.items.map((p: any) => p.id),
      [[a.id, c.id].sort()[0]],
    );
    assert.deepEqual(byIds.body.notFoundIds, [missing, elsewhere.id, 'bogus']);
    assert.ok(byIds.headers.link, 'a second page of the id query');
    assert.equal((await admin('GET', `/v1/people?id=${a.id}`)).body.notFoundIds.length, 0);
    assert.equal('notFoundIds' in (await admin('GET', `/v1/people?email=${tag}.a@example.com`)).body, false);
  });

  it('lets read-only admins read but never write; user admins manage ordinary people only', async () => {
    const target = (await admin('POST', '/v1/people', newPerson())).body;
    const fullAdmin = (await admin('POST', '/v1/people', newPerson({ roles: ['full_admin'] }))).body;
    const ro = callerWith(k, (await personWithRoles(k, ['read_only_admin'])).token);
    assert.equal((await ro('GET', '/v1/people')).status, 200);
    assert.equal((await ro('GET', `/v1/people/${target.id}`)).status, 200);
    assert.equal((await ro('GET', '/v1/roles')).status, 200);
    assert.equal((await ro('POST', '/v1/people', newPerson())).status, 403);
    assert.equal((await ro('PUT', `/v1/people/${target.id}`, newPerson())).status, 403);
    assert.equal((await ro('DELETE', `/v1/people/${target.id}`)).status, 403);
    assert.equal(
      (await ro('PUT', `/v1/people/${target.id}/password`, { password: 'a long enough password' })).status,
      403,
    );

    const ua = callerWith(k, (await personWithRoles(k, ['user_admin'])).token);
    const made = await ua('POST', '/v1/people', newPerson());
    assert.equal(made.status, 200);
    assert.equal(
      (await ua('POST', '/v1/people', newPerson({ roles: ['full_admin'] }))).status,
      403,
      'no promotions',
    );
    assert.equal(
      (await ua('PUT', `/v1/people/${made.body.id}`, newPerson({ roles: ['user_admin'] }))).status,
      403,
    );
    assert.equal(
      (await ua('PUT', `/v1/people/${fullAdmin.id}`, newPerson())).status,
      403,
      'cannot touch an admin',
    );
    assert.equal((await ua('DELETE', `/v1/people/${fullAdmin.id}`)).status, 403);
    assert.equal((await ua('DELETE', `/v1/people/${made.body.id}`)).status, 204);

    const da = callerWith(k, (await personWithRoles(k, ['device_admin'])).token);
    assert.equal((await da('POST', '/v1/people', newPerson())).status, 403);

    // Ordinary users: look up by email/displayName only, never the whole org or by roles.
    const user = await personWithRoles(k, []);
    const asUser = callerWith(k, user.token);
    assert.equal((await asUser('GET', '/v1/people')).status, 403);
    assert.equal((await asUser('GET', `/v1/people?roles=full_admin&displayName=a`)).status, 403);
    const found = await asUser('GET', `/v1/people?email=${encodeURIComponent(target.emails[0])}`);
    assert.deepEqual(
      found.body.items.map((p: any) => p.id),
      [target.id],
    );
    assert.equal((await asUser('POST', '/v1/people', newPerson())).status, 403);
    assert.equal((await asUser('GET', '/v1/roles')).status, 403);
  });

  it('GET /v1/people/me answers the calling person; a service client gets 404', async () => {
    const me = await insertPerson(k, { displayName: 'Me Myself' });
    const res = await callerWith(k, await personToken(k, me))('GET', '/v1/people/me');
    assert.equal(res.status, 200);
    assert.equal(res.body.id, me.id);
    assert.equal(res.body.displayName, 'Me Myself');
    // A service client is no person: 404 in the Webex shape.
    const client = await admin('GET', '/v1/people/me');
    assert.equal(client.status, 404);
    assert.match(client.body.message, /service client, not a person/);
    assert.deepEqual(client.body.errors, [{ errorCode: 404, description: client.body.message }]);
    assert.equal(client.body.trackingId, client.headers.trackingid);
  });

  it('GET /v1/roles lists the four admin roles', async () => {
    const res = await admin('GET', '/v1/roles');
    assert.deepEqual(
      res.body.items.map((r: any) => r.id),
      ['full_admin', 'user_admin', 'device_admin', 'read_only_admin'],
    );
    assert.equal((await admin('GET', '/v1/roles/full_admin')).body.name, 'Full Administrator');
    assert.equal((await admin('GET', '/v1/roles/boss')).status, 404);
  });

  it('an admin cannot delete, demote or deactivate itself', async () => {
    const self = await personWithRoles(k, ['full_admin']);
    const asSelf = callerWith(k, self.token);
    assert.equal((await asSelf('DELETE', `/v1/people/${self.id}`)).status, 400);
    assert.equal(
      (await asSelf('PUT', `/v1/people/${self.id}`, { emails: [self.email], displayName: 'x' })).status,
      400,
    );
    assert.equal(
      (
        await asSelf('PUT', `/v1/people/${self.id}`, {
          emails: [self.email],
          displayName: 'x',
          roles: ['full_admin'],
          status: 'inactive',
        })
      ).status,
      400,
    );
    assert.equal(
      (
        await asSelf('PUT', `/v1/people/${self.id}`, {
          emails: [self.email],
          displayName: 'Renamed',
          roles: ['full_admin'],
        })
      ).status,
      200,
    );
  });
});

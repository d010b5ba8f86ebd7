import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { passwordMatches } from '../../src/domain/people/passwords.js';
import { insertPerson } from '../support/fixtures.js';
import { startKeyward, type Harness } from '../support/harness.js';
import { callerWith, type Caller } from '../support/tenants.js';
import { newPerson, personToken } from './support.js';

describe('Webex people: deletion ends everything, passwords, status', () => {
  let k: Harness;
  let admin: Caller;

  before(async () => {
    k = await startKeyward({ env: { KEYWARD_RATE_LIMIT_MAX: '0' } });
    admin = callerWith(k, await k.token());
  });
  after(() => k.close());

  it('deleting a person revokes their tokens, sessions, consents and upstream credentials', async () => {
    const person = await insertPerson(k);
    const token = await personToken(k, person);
    const asPerson = callerWith(k, token);
    assert.equal((await asPerson('GET', '/v1/people/me')).status, 200);
    const session = await k.services.sessions.start(person.id, k.admin.orgId);
    const db = k.services.store.db;
    await db
      .insertInto('connections')
      .values({
        org_id: k.admin.orgId,
        id: 'corp',
        type: 'OAUTH2',
        authentication_url: 'https://idp.example/a',
        token_url: null,
        issuer_url: null,
        provider_certificate: null,
        client_id: null,
        client_secret_enc: null,
        data: '{}',
        default_scope: null,
        search_text: 'corp',
        created_at: Date.now(),
        updated_at: Date.now(),
      } as any)
      .execute();
    await db.transaction().execute((trx) =>
      k.services.connections.credentials.store(trx, {
        orgId: k.admin.orgId,
        connectionId: 'corp',
        personId: person.id,
        subject: 's',
        tokens: { accessToken: 'upstream' },
      }),
    );

    assert.equal((await admin('DELETE', `/v1/people/${person.id}`)).status, 204);
    assert.equal((await asPerson('GET', '/v1/people/me')).status, 401, 'the person token stops at once');
    const live = await db
      .selectFrom('token_grants')
      .select('id')
      .where('person_id', '=', person.id)
      .where('revoked_at', 'is', null)
      .execute();
    assert.deepEqual(live, []);
    assert.equal(await k.services.sessions.find(session.cookieValue), undefined);
    assert.deepEqual(
      await db
        .selectFrom('connection_credentials')
        .select('person_id')
        .where('person_id', '=', person.id)
        .execute(),
      [],
    );
    const events = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('target', '=', `person:${person.id}`)
      .execute();
    assert.equal(events.length, 1);
    assert.equal(events[0]!.action, 'person.delete');
  });

  it('deactivating (status inactive) or demoting takes effect on the next request', async () => {
    const person = await insertPerson(k, { roles: ['user_admin'] });
    const asPerson = callerWith(k, await personToken(k, person));
    assert.equal((await asPerson('POST', '/v1/people', newPerson())).status, 200);
    const demoted = await admin('PUT', `/v1/people/${person.id}`, {
      emails: [person.email],
      displayName: 'Demoted',
    });
    assert.deepEqual(demoted.body.roles, []);
    assert.equal((await asPerson('POST', '/v1/people', newPerson())).status, 403, 'role cache invalidated');
    const off = await admin('PUT', `/v1/people/${person.id}`, {
      emails: [person.email],
      displayName: 'Off',
      status: 'inactive',
    });
    assert.equal(off.body.status, 'inactive');
    assert.equal(off.body.loginEnabled, false);
    assert.equal((await asPerson('GET', '/v1/people/me')).status, 401);
    // Status left out of a PUT keeps it.
    const kept = await admin('PUT', `/v1/people/${person.id}`, {
      emails: [person.email],
      displayName: 'Still off',
    });
    assert.equal(kept.body.status, 'inactive');
  });

  it('an admin sets an initial password (argon2id, never returned); the person changes their own', async () => {
    const created = (await admin('POST', '/v1/people', newPerson())).body;
    const tooShort = await admin('PUT', `/v1/people/${created.id}/password`, { password: 'short' });
    assert.equal(tooShort.status, 400);
    assert.doesNotMatch(JSON.stringify(tooShort.body), /short"/);
    const initial = 'initial password 123';
    assert.equal(
      (await admin('PUT', `/v1/people/${created.id}/password`, { password: initial })).status,
      204,
    );
    const row = await k.services.store.db
      .selectFrom('people')
      .select('password_hash')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    assert.match(row.password_hash!, /^\$argon2id\$/);
    assert.ok(await passwordMatches(initial, row.password_hash));
    const got = await admin('GET', `/v1/people/${created.id}`);
    assert.doesNotMatch(JSON.stringify(got.body), /argon|password/i);
    const audit = await k.services.store.db
      .selectFrom('audit_events')
      .select(['action', 'detail'])
      .where('target', '=', `person:${created.id}`)
      .execute();
    assert.ok(audit.some((e) => e.action === 'person.setPassword'));
    assert.doesNotMatch(JSON.stringify(audit), /initial password/);

    const asPerson = callerWith(k, await personToken(k, { id: created.id }));
    const wrong = await asPerson('POST', '/v1/people/me/password', {
      currentPassword: 'wrong one',
      newPassword: 'a brand new password',
    });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body.message, /currentPassword/);
    assert.equal(
      (await asPerson('POST', '/v1/people/me/password', { currentPassword: initial, newPassword: 'tiny' }))
        .status,
      400,
    );
    assert.equal(
      (
        await asPerson('POST', '/v1/people/me/password', {
          currentPassword: initial,
          newPassword: 'a brand new password',
        })
      ).status,
      204,
    );
    const after = await k.services.store.db
      .selectFrom('people')
      .select('password_hash')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    assert.ok(await passwordMatches('a brand new password', after.password_hash));
    // A service client has no own password; a plain user may not set others'.
    assert.equal(
      (
        await admin('POST', '/v1/people/me/password', {
          currentPassword: 'x',
          newPassword: 'a brand new password',
        })
      ).status,
      404,
    );
    assert.equal(
      (await asPerson('PUT', `/v1/people/${created.id}/password`, { password: 'another long password' }))
        .status,
      403,
    );
  });

  it('the login page accepts the password an admin set', async () => {
    const created = (await admin('POST', '/v1/people', newPerson({ emails: ['login.me@example.com'] }))).body;
    assert.equal(
      (await admin('PUT', `/v1/people/${created.id}/password`, { password: 'login password 42' })).status,
      204,
    );
    const { activePersonByEmail } = await import('../../src/domain/people/personLookup.js');
    const found = await activePersonByEmail(k.services.store.db, 'Login.Me@example.com');
    assert.ok(found && (await passwordMatches('login password 42', found.passwordHash)));
  });
});

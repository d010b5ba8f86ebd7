/** /api/rest/v1/authorisation_type and _source: CRUD, uniqueness per namespace, in-use deletes. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startKeyward, type Harness } from '../support/harness.js';
import { addOrg, addPerson, basic, caller } from './support.js';

for (const kind of ['type', 'source'] as const) {
  const URL_ = `/api/rest/v1/authorisation_${kind}`;

  describe(`authorisation ${kind}s`, () => {
    let k: Harness;
    let call: ReturnType<typeof caller>;

    before(async () => {
      k = await startKeyward();
      call = caller(k, basic(k.admin.clientId, k.admin.clientSecret));
      await addOrg(k, 'customer', k.admin.orgId);
      await addPerson(k, 'alice');
    });
    after(() => k.close());

    it('creates, gets, lists, replaces and deletes', async () => {
      const created = await call('POST', URL_, {
        code: 'employment',
        names: [
          { locale: 'en', value: 'Employment' },
          { locale: 'fi', value: 'Työsuhde' },
        ],
        description: 'Works for',
        metadata: { owner: 'hr' },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const e = created.body;
      assert.equal(e.code, 'employment');
      assert.equal(e.nsCode, 'root');
      assert.equal(e.name, 'Employment');
      assert.deepEqual(e.names[1], { locale: 'fi', value: 'Työsuhde' });
      assert.deepEqual(e.metadata, { owner: 'hr' });
      assert.deepEqual((await call('GET', `${URL_}/${e.id}`)).body, e);

      const listed = await call('GET', `${URL_}?filter=${encodeURIComponent('code eq "employment"')}`);
      assert.equal(listed.body.totalResults, 1);
      assert.deepEqual(listed.body.resources[0], e);

      const replaced = await call('PUT', `${URL_}/${e.id}`, {
        code: 'employment2',
        name: 'Renamed',
        description: null,
      });
      assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
      assert.equal(replaced.body.code, 'employment2');
      assert.equal(replaced.body.name, 'Renamed');
      assert.equal('description' in replaced.body, false);
      assert.deepEqual(replaced.body.metadata, { owner: 'hr' }); // omitted = unchanged

      assert.equal((await call('DELETE', `${URL_}/${e.id}`)).status, 204);
      assert.equal((await call('GET', `${URL_}/${e.id}`)).status, 404);
      const audit = await k.services.store.db
        .selectFrom('audit_events')
        .select('action')
        .where('target', '=', `authorisation_${kind}:${e.id}`)
        .orderBy('at')
        .execute();
      assert.deepEqual(
        audit.map((a) => a.action),
        [`authorisation_${kind}.create`, `authorisation_${kind}.update`, `authorisation_${kind}.delete`],
      );
    });

    it('keeps codes unique per namespace (409) but allows the same code in another namespace', async () => {
      assert.equal((await call('POST', URL_, { code: 'dup' })).status, 201);
      const again = await call('POST', URL_, { code: 'dup' });
      assert.equal(again.status, 409);
      assert.equal(again.body.statusCode, 409);
      const elsewhere = await call('POST', URL_, { code: 'dup', nsCode: 'customer' });
      assert.equal(elsewhere.status, 201);
      assert.equal(elsewhere.body.nsCode, 'customer');
      const other = (await call('POST', URL_, { code: 'other' })).body;
      assert.equal((await call('PUT', `${URL_}/${other.id}`, { code: 'dup' })).status, 409);
      const byNs = await call('GET', `${URL_}?filter=${encodeURIComponent('nsCode eq "customer"')}`);
      assert.deepEqual(
        byNs.body.resources.map((r: any) => r.code),
        ['dup'],
      );
    });

    it('refuses bad input', async () => {
      for (const [body, status, field] of [
        [{}, 400, 'code'],
        [{ code: '' }, 400, 'code'],
        [{ code: 'has space' }, 400, 'code'],
        [{ code: 'x'.repeat(101) }, 400, 'code'],
        [{ code: 'ok', names: [{ locale: 'en' }] }, 400, 'names.0.value'],
        [{ code: 'ok', metadata: 'text' }, 400, 'metadata'],
        [{ code: 'ok', nsCode: 'nowhere' }, 403, undefined],
      ] as const) {
        const res = await call('POST', URL_, body);
        assert.equal(res.status, status, JSON.stringify(body));
        if (field) assert.equal(res.body.field, field, JSON.stringify(res.body));
      }
      const created = (await call('POST', URL_, { code: 'movable' })).body;
      const moved = await call('PUT', `${URL_}/${created.id}`, { code: 'movable', nsCode: 'customer' });
      assert.equal(moved.status, 400);
      assert.equal(moved.body.field, 'nsCode');
      assert.equal((await call('PUT', `${URL_}/nope`, { code: 'x' })).status, 404);
      assert.equal((await call('DELETE', `${URL_}/nope`)).status, 404);
      assert.equal(
        (await call('GET', `${URL_}?filter=${encodeURIComponent('colour eq "red"')}`)).body.scimType,
        'invalidFilter',
      );
    });

    it('refuses to delete one in use (409), including by a revoked authorisation', async () => {
      const entry = (await call('POST', URL_, { code: 'used' })).body;
      const type =
        kind === 'type'
          ? 'used'
          : (await call('POST', '/api/rest/v1/authorisation_type', { code: `t-${Date.now()}` })).body.code;
      const auth = await call('POST', '/api/rest/v1/authorisation', {
        type,
        ...(kind === 'source' ? { authSource: 'used' } : {}),
        subject: { type: 'User', value: 'alice' },
        object: { type: 'String', value: 'x' },
      });
      assert.equal(auth.status, 201, JSON.stringify(auth.body));
      await call('POST', `/api/rest/v1/authorisation/${auth.body.id}/revoke`, {});
      const res = await call('DELETE', `${URL_}/${entry.id}`);
      assert.equal(res.status, 409);
      assert.match(res.body.errorMessage, /in use|used by/);
      assert.ok(
        await k.services.store.db
          .selectFrom(`authorisation_${kind}s`)
          .select('id')
          .where('id', '=', entry.id)
          .executeTakeFirst(),
      );
      // Renaming a type in use is allowed: authorisations refer to it by id.
      const renamed = await call('PUT', `${URL_}/${entry.id}`, { code: 'used_renamed' });
      assert.equal(renamed.status, 200);
      const got = await call('GET', `/api/rest/v1/authorisation/${auth.body.id}`);
      assert.equal(kind === 'type' ? got.body.type : got.body.authSource, 'used_renamed');
      assert.equal((await call('DELETE', `/api/rest/v1/authorisation/${auth.body.id}`)).status, 204);
      assert.equal((await call('DELETE', `${URL_}/${entry.id}`)).status, 204);
    });
  });
}

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Principal } from '../../src/domain/access/principal.js';
import { startKeyward, type Harness } from '../support/harness.js';
import { parseCredentials } from '../../src/http/credentials.js';
import { caller, oauthConnection, otherOrgAdmin } from './support/connectionsSupport.js';

const TOTAL = 1000;

describe('GET /v1/connections: keyset cursor paging, filter, links', () => {
  let k: Harness;
  let call: ReturnType<typeof caller>;
  let principal: Principal;
  const created: string[] = [];

  before(async () => {
    k = await startKeyward({ env: { KEYWARD_RATE_LIMIT_MAX: '0' } });
    const token = await k.token();
    call = caller(k, token);
    principal = await k.services.authenticator.authenticate(parseCredentials(`Bearer ${token}`));
    const started = Date.now();
    for (let i = 0; i < TOTAL; i++) {
      const id = `c-${String(i * 10).padStart(6, '0')}`;
      const name = i % 10 === 0 ? `Blue Team ${i}` : `Red Team ${i}`;
      await k.services.connections.records.create(
        principal,
        oauthConnection({ connectionId: id, data: { name } }),
        undefined,
        () => undefined,
      );
      created.push(id);
    }
    console.log(`# created ${TOTAL} connections in ${Date.now() - started} ms`);
  });
  after(() => k.close());

  it(`pages over ${TOTAL} connections, each exactly once, while others are inserted meanwhile`, async () => {
    const seen = new Map<string, number>();
    let url = '/v1/connections?limit=37';
    let pages = 0;
    const inserted: string[] = [];
    const started = Date.now();
    while (url) {
      const res = await call('GET', url);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      pages++;
      for (const c of res.body.connections) seen.set(c.connectionId, (seen.get(c.connectionId) ?? 0) + 1);
      // Inserts on both sides of the cursor (before it, after it) must neither repeat nor skip rows.
      if (pages % 5 === 0) {
        for (const id of [
          `c-${String(pages).padStart(6, '0')}5`,
          `c-${String(9000 + pages).padStart(6, '0')}5`,
        ]) {
          await k.services.connections.records.create(
            principal,
            oauthConnection({ connectionId: id }),
            undefined,
            () => undefined,
          );
          inserted.push(id);
        }
      }
      const next = res.body.links.next?.href as string | undefined;
      if (next) {
        assert.equal(res.body.pagination.next.cursor, new URL(next).searchParams.get('cursor'));
        const parsed = new URL(next);
        url = parsed.pathname + parsed.search;
      } else {
        assert.deepEqual(res.body.pagination, {});
        url = '';
      }
    }
    console.log(`# ${pages} pages in ${Date.now() - started} ms`);
    for (const id of created) assert.equal(seen.get(id), 1, `${id} seen ${seen.get(id) ?? 0} times`);
    for (const [id, n] of seen) assert.equal(n, 1, `${id} repeated`);
    assert.ok(pages >= Math.ceil(TOTAL / 37));
  });

  it("limit defaults to 100; the JS SDK's trailing slash works; links.self is absolute", async () => {
    const res = await call('GET', '/v1/connections/');
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^application\/links\+json/);
    assert.equal(res.body.connections.length, 100);
    assert.equal(res.body.links.self.href, 'http://localhost:80/v1/connections/'.replace(':80', ''));
    assert.ok(res.body.pagination.next.cursor);
  });

  it('filter: case-insensitive text match in SQL, kept by the cursor across pages', async () => {
    const first = await call('GET', '/v1/connections?filter=BLUE%20team&limit=40');
    assert.equal(first.status, 200);
    assert.equal(first.body.connections.length, 40);
    assert.ok(first.body.connections.every((c: any) => c.data.name.startsWith('Blue Team')));
    // the cursor alone carries the filter on
    const second = await call(
      'GET',
      `/v1/connections?limit=100&cursor=${encodeURIComponent(first.body.pagination.next.cursor)}`,
    );
    assert.equal(second.body.connections.length, 60);
    assert.equal(second.body.pagination.next, undefined);
    assert.equal(second.body.links.next, undefined);
    // LIKE wildcards in the filter are literal characters
    assert.equal((await call('GET', '/v1/connections?filter=%25')).body.connections.length, 0);
    assert.equal((await call('GET', '/v1/connections?filter=c_0')).body.connections.length, 0);
    assert.equal(
      (await call('GET', '/v1/connections?filter=EXAMPLE.COM&limit=1')).body.connections.length,
      1,
    );
  });

  it('a tampered, foreign or mismatched cursor is a 400', async () => {
    const page = await call('GET', '/v1/connections?limit=5');
    const cursor: string = page.body.pagination.next.cursor;
    const flipped = cursor.slice(0, -3) + (cursor.at(-3) === 'A' ? 'B' : 'A') + cursor.slice(-2);
    for (const bad of [
      flipped,
      'garbage',
      cursor.slice(0, 20),
      Buffer.from('k:c-000100').toString('base64url'),
    ]) {
      const res = await call('GET', `/v1/connections?cursor=${encodeURIComponent(bad)}`);
      assert.equal(res.status, 400, bad);
      assert.equal(res.body.errorCode, 'InvalidRequest');
      assert.equal(res.body.field, 'cursor');
    }
    const otherFilter = await call('GET', `/v1/connections?filter=blue&cursor=${encodeURIComponent(cursor)}`);
    assert.equal(otherFilter.status, 400);
    const other = await otherOrgAdmin(k);
    const foreign = await caller(k, other.token)(
      'GET',
      `/v1/connections?cursor=${encodeURIComponent(cursor)}`,
    );
    assert.equal(foreign.status, 400, 'a cursor of another organization is refused');
    assert.equal(foreign.body.field, 'cursor');
    for (const limit of ['0', '1001', 'x'])
      assert.equal((await call('GET', `/v1/connections?limit=${limit}`)).status, 400);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CompiledQuery, sql } from 'kysely';
import { CLIENT_FILTER_FIELDS } from '../../src/domain/clients/clientListing.js';
import { compileSailPointFilter, parseSailPointFilter } from '../../src/platform/filters/sailpoint.js';
import { startKeyward, type Harness } from '../support/harness.js';
import { api, appBody, clientBody, errorText } from './support.js';

const DAY = 86_400_000;

describe('SailPoint-style OAuth clients: filters, sorters and paging', () => {
  let k: Harness;
  let admin: string;
  const ids: Record<string, string> = {};
  const names = (res: { json(): any }) => res.json().map((c: { name: string }) => c.name);
  const list = (query: Record<string, string>) => api(k).list(admin, query);

  before(async () => {
    k = await startKeyward({ env: { KEYWARD_RATE_LIMIT_MAX: '0' } });
    admin = await k.token();
    const specs: [string, Record<string, unknown>, number | null][] = [
      ['alpha', clientBody({ name: 'Alpha exporter' }), Date.now() - 40 * DAY],
      ['beta', appBody({ name: 'beta portal', type: 'PUBLIC', grantTypes: ['AUTHORIZATION_CODE'] }), null],
      ['gamma', clientBody({ name: 'Gamma sync', enabled: false }), Date.now() - 2 * DAY],
      ['delta', clientBody({ name: 'delta 100% "quoted"' }), null],
    ];
    for (const [key, body, lastUsed] of specs) {
      const res = await api(k).create(admin, body);
      assert.equal(res.statusCode, 200, res.body);
      ids[key] = res.json().id;
      if (lastUsed !== null) {
        await k.services.store.db
          .updateTable('oauth_clients')
          .set({ last_used_at: lastUsed })
          .where('id', '=', ids[key]!)
          .execute();
      }
    }
    // The bootstrap client has obtained tokens, but its lastUsed is written only on flush.
    await k.services.store.db
      .updateTable('oauth_clients')
      .set({ last_used_at: Date.now() })
      .where('id', '=', k.admin.clientId)
      .execute();
  });
  after(() => k.close());

  it('default order is creation order; all five clients of the org', async () => {
    const res = await list({});
    assert.equal(res.statusCode, 200);
    assert.deepEqual(names(res), [
      'Keyward bootstrap client',
      'Alpha exporter',
      'beta portal',
      'Gamma sync',
      'delta 100% "quoted"',
    ]);
  });

  it("SailPoint's documented filter: lastUsed le <date-time> (unquoted)", async () => {
    const cutoff = new Date(Date.now() - 30 * DAY).toISOString();
    const res = await list({ filters: `lastUsed le ${cutoff}` });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(names(res), ['Alpha exporter']);
  });

  it('lastUsed isnull: never used clients', async () => {
    const res = await list({ filters: 'lastUsed isnull' });
    assert.deepEqual(names(res), ['beta portal', 'delta 100% "quoted"']);
  });

  it("stale-client hunt: lastUsed le … or lastUsed isnull, spaces sent as '+' like the SDK", async () => {
    const cutoff = new Date(Date.now() - DAY).toISOString();
    const res = await k.app.inject({
      method: 'GET',
      url: `/v3/oauth-clients?filters=lastUsed+le+${encodeURIComponent(cutoff)}+or+lastUsed+isnull`,
      headers: { authorization: `Bearer ${admin}` },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(names(res), ['Alpha exporter', 'beta portal', 'Gamma sync', 'delta 100% "quoted"']);
  });

  it('Keyward extension fields: name, enabled, type, id, created', async () => {
    assert.deepEqual(names(await list({ filters: 'name sw "gamma"' })), ['Gamma sync']);
    assert.deepEqual(names(await list({ filters: 'name co "100% \\"quoted"' })), ['delta 100% "quoted"']);
    assert.deepEqual(names(await list({ filters: 'enabled eq false' })), ['Gamma sync']);
    assert.deepEqual(names(await list({ filters: 'type eq "PUBLIC"' })), ['beta portal']);
    assert.deepEqual(names(await list({ filters: `id in ("${ids.alpha}", "${ids.gamma}")` })), [
      'Alpha exporter',
      'Gamma sync',
    ]);
    assert.deepEqual(
      names(await list({ filters: 'not (enabled eq false) and (name sw "a" or name sw "d")' })),
      ['Alpha exporter', 'delta 100% "quoted"'],
    );
    assert.equal(
      (await list({ filters: `created gt ${new Date(Date.now() + DAY).toISOString()}` })).json().length,
      0,
    );
  });

  const badFilters: [string, RegExp][] = [
    ['lastUsed EQ 2023-02-05T10:59:27.214Z', /must be lowercase/],
    ['secret eq "x"', /unsupported field secret/],
    ['lastUsed co "2023"', /operator co not supported for lastUsed/],
    ['name gt "a"', /operator gt not supported for name/],
    ['lastUsed le "yesterday"', /not a valid ISO 8601 date-time/],
    ['enabled eq "yes"', /expects true or false/],
    ['name eq unquoted', /strings must be double-quoted/],
    ['(lastUsed isnull', /expected '\)'/],
    ['lastUsed le', /expected a value/],
  ];
  for (const [filters, message] of badFilters) {
    it(`filters=${filters} → 400`, async () => {
      const res = await list({ filters });
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().detailCode, '400.1 Bad Request Content');
      assert.match(errorText(res), /^filters: /);
      assert.match(errorText(res), message);
    });
  }

  it('sorters: name (case-insensitive), -lastUsed (never used first), combined', async () => {
    assert.deepEqual(names(await list({ sorters: 'name' })), [
      'Alpha exporter',
      'beta portal',
      'delta 100% "quoted"',
      'Gamma sync',
      'Keyward bootstrap client',
    ]);
    assert.deepEqual(names(await list({ sorters: '-lastUsed' })), [
      'beta portal',
      'delta 100% "quoted"',
      'Keyward bootstrap client',
      'Gamma sync',
      'Alpha exporter',
    ]);
    assert.deepEqual(names(await list({ sorters: 'lastUsed,-name' })), [
      'Alpha exporter',
      'Gamma sync',
      'Keyward bootstrap client',
      'delta 100% "quoted"',
      'beta portal',
    ]);
  });

  it('sorters: unknown, repeated or empty → 400', async () => {
    for (const sorters of ['secret', 'name,-name', 'name,,id']) {
      const res = await list({ sorters });
      assert.equal(res.statusCode, 400, sorters);
      assert.match(errorText(res), /^sorters: /);
    }
  });

  it('paging: limit and offset are record offsets; count=true sets X-Total-Count of the filtered set', async () => {
    const page = await list({ limit: '2', offset: '1', count: 'true', sorters: 'name' });
    assert.equal(page.statusCode, 200);
    assert.deepEqual(names(page), ['beta portal', 'delta 100% "quoted"']);
    assert.equal(page.headers['x-total-count'], '5');
    const filtered = await list({ filters: 'lastUsed isnull', count: 'true', limit: '1' });
    assert.equal(filtered.headers['x-total-count'], '2');
    assert.equal(filtered.json().length, 1);
    const past = await list({ offset: '10', count: 'true' });
    assert.deepEqual(past.json(), []);
    assert.equal(past.headers['x-total-count'], '5');
    assert.equal((await list({ count: 'false' })).headers['x-total-count'], undefined);
  });

  it('paging: limit 0 or above 250, negative offset, non-boolean count → 400', async () => {
    const queries: Record<string, string>[] = [
      { limit: '0' },
      { limit: '1000' },
      { limit: '251' },
      { limit: '-1' },
      { offset: '-1' },
      { count: 'maybe' },
      { limit: 'ten' },
    ];
    for (const query of queries) {
      const res = await list(query);
      assert.equal(res.statusCode, 400, JSON.stringify(query));
      assert.equal(res.json().detailCode, '400.1 Bad Request Content');
    }
  });

  it('the compiled lastUsed filter is served by an org index, (org_id, last_used_at) on SQLite', async () => {
    const postgres = k.services.store.dialect === 'postgres';
    const filter = parseSailPointFilter(`lastUsed le ${new Date().toISOString()}`);
    const compiled = k.services.store.db
      .selectFrom('oauth_clients')
      .selectAll()
      .where('org_id', '=', k.admin.orgId)
      .where(compileSailPointFilter(filter, CLIENT_FILTER_FIELDS))
      .compile();
    const plan = await k.services.store.db.connection().execute(async (db) => {
      // Five rows: PostgreSQL would rightly prefer a scan; ask whether the index can serve it.
      if (postgres) await sql`set enable_seqscan = off`.execute(db);
      const explain = `${postgres ? 'explain' : 'explain query plan'} ${compiled.sql}`;
      const { rows } = await db.executeQuery(CompiledQuery.raw(explain, [...compiled.parameters]));
      if (postgres) await sql`reset enable_seqscan`.execute(db);
      return JSON.stringify(rows);
    });
    assert.match(plan, /oauth_clients_org_/);
    assert.doesNotMatch(plan, /Seq Scan|SCAN oauth_clients(?! USING)/);
    // PostgreSQL picks among the org-leading indexes by cost (arbitrary on five rows).
    if (!postgres) assert.match(plan, /oauth_clients_org_last_used/);
  });
});

/**
 * Paging over more rows than the in-memory sort threshold (1000): large results follow the
 * ORDER BY index, small ones are sorted after selection; both must give the same pages.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newId } from '../../src/platform/ids.js';
import type { AuthorisationRow } from '../../src/store/tables/authorisations.js';
import { startKeyward, type Harness } from '../support/harness.js';
import { addCatalogEntry, basic, caller } from './support.js';

const ROWS = 1500;

describe('authorisation list paging on both query paths', () => {
  let k: Harness;
  let call: ReturnType<typeof caller>;
  let rows: AuthorisationRow[];

  before(async () => {
    k = await startKeyward();
    call = caller(k, basic(k.admin.clientId, k.admin.clientSecret));
    const type = await addCatalogEntry(call, 'type', 'bulk');
    const base = Date.parse('2024-01-01T00:00:00Z');
    rows = Array.from({ length: ROWS }, (_, i) => ({
      id: newId(base + i * 1000),
      org_id: k.admin.orgId,
      type_id: type.id,
      source_id: null,
      subject_type: 'String',
      subject_value: `s${i % 7}`,
      object_type: 'String',
      object_value: `o${i}`,
      valid_from: base + ((i * 7919) % ROWS) * 60_000, // a permutation: distinct, unordered
      valid_to: i % 3 === 0 ? null : base + 10 ** 10,
      revoked_at: null,
      revocation_cause: null,
      creator_type: 'ManagementApiClient',
      creator_id: k.admin.clientId,
      created_at: base + i * 1000,
      updated_at: base + i * 1000,
    }));
    for (let i = 0; i < ROWS; i += 300) {
      await k.services.store.db
        .insertInto('authorisations')
        .values(rows.slice(i, i + 300))
        .execute();
    }
  });
  after(() => k.close());

  const page = async (query: Record<string, string>) => {
    const res = await call('GET', `/api/rest/v1/authorisation?${new URLSearchParams(query)}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as { totalResults: number; resources: { id: string }[] };
  };

  it('pages a large result in id order', async () => {
    const ids = rows.map((r) => r.id).sort();
    for (const start of [1, 981, 1481]) {
      const body = await page({ filter: 'type eq "bulk"', startIndex: String(start), count: '30' });
      assert.equal(body.totalResults, ROWS);
      assert.deepEqual(
        body.resources.map((r) => r.id),
        ids.slice(start - 1, start - 1 + 30),
      );
    }
  });

  it('pages large and small results sorted by validFrom descending', async () => {
    const expected = (subset: AuthorisationRow[]) =>
      [...subset].sort((a, b) => b.valid_from - a.valid_from || (a.id < b.id ? 1 : -1)).map((r) => r.id);
    const all = expected(rows);
    const large = await page({
      filter: 'type eq "bulk"',
      sortBy: 'validFrom',
      sortOrder: 'descending',
      startIndex: '1001',
      count: '50',
    });
    assert.deepEqual(
      large.resources.map((r) => r.id),
      all.slice(1000, 1050),
    );
    const s3 = expected(rows.filter((r) => r.subject_value === 's3'));
    const small = await page({
      filter: 'subject.value eq "s3"',
      sortBy: 'validFrom',
      sortOrder: 'descending',
      startIndex: '11',
      count: '20',
    });
    assert.equal(small.totalResults, s3.length);
    assert.deepEqual(
      small.resources.map((r) => r.id),
      s3.slice(10, 30),
    );
  });

  it('sorts open-ended validTo last ascending on both paths', async () => {
    const large = await page({ filter: 'type eq "bulk"', sortBy: 'validTo', startIndex: '1000', count: '2' });
    assert.deepEqual(
      large.resources.map((r) => rows.find((x) => x.id === r.id)!.valid_to === null),
      [false, true],
    );
    const small = await page({ filter: 'subject.value eq "s0"', sortBy: 'validTo', count: '500' });
    const nulls = small.resources.map((r) => rows.find((x) => x.id === r.id)!.valid_to === null);
    assert.deepEqual(
      nulls,
      [...nulls].sort((a, b) => Number(a) - Number(b)),
    );
  });
});

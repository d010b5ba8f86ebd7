/**
 * `type`, `authSource` and `nsCode` comparisons compile two ways: with the ids looked up first
 * (the usual path) or, when a lookup matches too many rows, as a subquery. Both must select the
 * same rows, including for `ne` on the optional source and under `not`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { resolveCodes } from '../../src/domain/relations/codeLookups.js';
import { authorisationAttributes } from '../../src/domain/relations/filterAttributes.js';
import { compileScimFilter, parseScimFilter } from '../../src/platform/filters/scim.js';
import { startKeyward, type Harness } from '../support/harness.js';
import { sql } from 'kysely';
import { addCatalogEntry, addOrg, basic, caller } from './support.js';

describe('code comparisons: looked-up ids and subquery agree', () => {
  let k: Harness;

  before(async () => {
    k = await startKeyward();
    const call = caller(k, basic(k.admin.clientId, k.admin.clientSecret));
    await addOrg(k, 'customer', k.admin.orgId);
    for (const code of ['employment', 'emp_contract', 'file_for_permit'])
      await addCatalogEntry(call, 'type', code);
    await addCatalogEntry(call, 'type', 'employment', 'customer');
    await addCatalogEntry(call, 'source', 'hr');
    const party = { type: 'String', value: 'x' };
    for (const [type, extra] of [
      ['employment', { authSource: 'hr' }],
      ['emp_contract', {}],
      ['file_for_permit', { authSource: 'hr' }],
      ['employment', { nsCode: 'customer' }],
    ] as const) {
      const res = await call('POST', '/api/rest/v1/authorisation', {
        type,
        subject: party,
        object: party,
        ...extra,
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
  });
  after(() => k.close());

  const filters = [
    'type eq "employment"',
    'type sw "emp"',
    'type ne "employment"',
    'type co "zzz"',
    'authSource eq "hr"',
    'authSource ne "hr"',
    'not (authSource ne "hr")',
    'nsCode eq "root" and type sw "emp"',
    'nsCode ne "root" or authSource pr',
    'not (nsCode eq "customer")',
  ];
  for (const text of filters) {
    it(text, async () => {
      const db = k.services.store.db;
      const filter = parseScimFilter(text);
      const everywhere = () => sql<boolean>`1 = 1`;
      const resolved = await resolveCodes(db, filter, everywhere);
      assert.ok(resolved.size > 0);
      const ids = async (useLookups: boolean) => {
        const attrs = authorisationAttributes(Date.now(), useLookups ? resolved : new Map());
        const rows = await db
          .selectFrom('authorisations as a')
          .select('a.id')
          .where(compileScimFilter(filter, attrs))
          .orderBy('a.id')
          .execute();
        return rows.map((r) => r.id);
      };
      assert.deepEqual(await ids(true), await ids(false));
    });
  }
});

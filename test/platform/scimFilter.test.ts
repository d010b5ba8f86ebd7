/** SCIM filter: AST shape, string decoding, errors, and the SQL it compiles to on real databases. */
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { Invalid } from '../../src/platform/errors.js';
import {
  compileScimFilter,
  parseDateTime,
  parseScimFilter,
  type FilterAttributes,
  type ScimFilter,
} from '../../src/platform/filters/scim.js';
import { openPostgres, openSqlite, selectIds, type TestDb } from './filterTestDb.js';

const cmp = (name: string, op: string, value: unknown) => ({ type: 'compare', attr: { name }, op, value });

/** The AST without positions, for shape assertions. */
function shape(f: ScimFilter): unknown {
  return JSON.parse(JSON.stringify(f, (k, v) => (k === 'pos' ? undefined : v)));
}

function invalid(filter: string, check: (err: Invalid) => boolean = () => true) {
  return (err: unknown) =>
    err instanceof Invalid && err.field === 'filter' && err.detail.scimType === 'invalidFilter' && check(err);
}

describe('SCIM filter parser', () => {
  test('and binds tighter than or', () => {
    assert.deepEqual(shape(parseScimFilter('a eq "1" or b eq "2" and c eq "3"')), {
      type: 'or',
      filters: [cmp('a', 'eq', '1'), { type: 'and', filters: [cmp('b', 'eq', '2'), cmp('c', 'eq', '3')] }],
    });
    assert.deepEqual(shape(parseScimFilter('a eq "1" and b eq "2" or c eq "3"')), {
      type: 'or',
      filters: [{ type: 'and', filters: [cmp('a', 'eq', '1'), cmp('b', 'eq', '2')] }, cmp('c', 'eq', '3')],
    });
  });

  test('not applies to its parenthesised group only; parentheses override precedence', () => {
    assert.deepEqual(shape(parseScimFilter('not (a eq "1") and b pr')), {
      type: 'and',
      filters: [
        { type: 'not', filter: cmp('a', 'eq', '1') },
        { type: 'present', attr: { name: 'b' } },
      ],
    });
    assert.deepEqual(shape(parseScimFilter('(a eq "1" or b eq "2") and c eq "3"')), {
      type: 'and',
      filters: [{ type: 'or', filters: [cmp('a', 'eq', '1'), cmp('b', 'eq', '2')] }, cmp('c', 'eq', '3')],
    });
    assert.deepEqual(shape(parseScimFilter('NOT(a eq 1)')), { type: 'not', filter: cmp('a', 'eq', 1) });
  });

  test('operators are normalised to lowercase, attribute names kept as written', () => {
    assert.deepEqual(shape(parseScimFilter('userName Eq "x" AnD Title PR')), {
      type: 'and',
      filters: [cmp('userName', 'eq', 'x'), { type: 'present', attr: { name: 'Title' } }],
    });
  });

  test('attribute paths: sub-attribute and URN prefix', () => {
    const f = parseScimFilter('urn:ietf:params:scim:schemas:core:2.0:User:name.familyName eq "x"');
    assert.deepEqual(shape(f), {
      type: 'compare',
      attr: { uri: 'urn:ietf:params:scim:schemas:core:2.0:User', name: 'name', subAttr: 'familyName' },
      op: 'eq',
      value: 'x',
    });
    assert.throws(() => parseScimFilter('a.b.c eq "x"'), invalid('a.b.c'));
  });

  test('value paths hold a relative filter', () => {
    assert.deepEqual(shape(parseScimFilter('emails[type eq "work" and value co "@x"]')), {
      type: 'valuePath',
      attr: { name: 'emails' },
      filter: { type: 'and', filters: [cmp('type', 'eq', 'work'), cmp('value', 'co', '@x')] },
    });
    assert.throws(() => parseScimFilter('a[b[c eq 1]]'), invalid('nested'));
  });

  test('compValue strings are decoded as JSON strings', () => {
    const value = (text: string) => (parseScimFilter(`a eq ${text}`) as { value: unknown }).value;
    assert.equal(value('"caf\\u00e9"'), 'café');
    assert.equal(value('"back\\\\slash"'), 'back\\slash');
    assert.equal(value('"tab\\tx"'), 'tab\tx');
    assert.equal(value('"\\"quoted\\""'), '"quoted"');
    assert.equal(value('"a\\/b\\b\\f\\n\\r"'), 'a/b\b\f\n\r');
    assert.equal(value('"\\ud83d\\ude00"'), '😀');
    assert.equal(value('"O\'Malley"'), "O'Malley");
    assert.equal(value('""'), '');
  });

  test('true, false, null and JSON numbers', () => {
    const value = (text: string) => (parseScimFilter(`a eq ${text}`) as { value: unknown }).value;
    assert.equal(value('true'), true);
    assert.equal(value('False'), false);
    assert.equal(value('null'), null);
    assert.equal(value('-3'), -3);
    assert.equal(value('1.5e3'), 1500);
    for (const bad of ['01', '1.', '.5', '+1', '1e', '1abc', '"\\u12"', 'nul', 'True1']) {
      assert.throws(() => parseScimFilter(`a eq ${bad}`), invalid(bad), bad);
    }
  });

  test('errors carry the character position', () => {
    const at = (filter: string, position: number) =>
      assert.throws(
        () => parseScimFilter(filter),
        invalid(filter, (e) => e.detail.position === position),
      );
    at('userName eq "\\x"', 13);
    at('userName equals "x"', 9);
    at('1abc eq "a"', 0);
    at('not userName eq "a"', 4);
    at('a eq "1" b eq "2"', 9);
    at('(a eq "1"', 9);
  });

  test('deep nesting is refused instead of exhausting the stack', () => {
    const deep = '('.repeat(5000) + 'a pr' + ')'.repeat(5000);
    assert.throws(
      () => parseScimFilter(deep),
      invalid(deep, (e) => /nested too deeply/.test(e.reason)),
    );
    assert.doesNotThrow(() => parseScimFilter('('.repeat(20) + 'a pr' + ')'.repeat(20)));
  });
});

describe('parseDateTime', () => {
  test('ISO 8601 / RFC 3339 forms', () => {
    assert.equal(parseDateTime('2022-05-23T13:03:21.711Z'), Date.UTC(2022, 4, 23, 13, 3, 21, 711));
    assert.equal(parseDateTime('2022-06-23T13:03:21+02:00'), Date.UTC(2022, 5, 23, 11, 3, 21));
    assert.equal(parseDateTime('2022-06-23T13:03:21-0130'), Date.UTC(2022, 5, 23, 14, 33, 21));
    assert.equal(parseDateTime('2022-06-23T13:03:21.123456789Z'), Date.UTC(2022, 5, 23, 13, 3, 21, 123));
    assert.equal(parseDateTime('2022-06-23T13:03:21'), Date.UTC(2022, 5, 23, 13, 3, 21), 'no zone means UTC');
    assert.equal(parseDateTime('2024-02-29'), Date.UTC(2024, 1, 29));
    assert.equal(
      parseDateTime('0050-01-01T00:00:00Z'),
      new Date('0050-01-01T00:00:00Z').getTime(),
      'years below 100 stay as written',
    );
  });
  test('rejects malformed and impossible dates', () => {
    for (const bad of [
      'yesterday',
      '2023-02-29',
      '2022-13-01',
      '2022-04-31T00:00:00Z',
      '2022-01-01T24:00:00Z',
      '2022-01-01T00:00:00+25:00',
      '2022-1-1',
      '1652000000000',
      '',
    ]) {
      assert.equal(parseDateTime(bad), undefined, bad);
    }
  });
});

const ATTRIBUTES: FilterAttributes = {
  id: { column: 'items.id', type: 'string', caseExact: true },
  name: { column: 'items.name', type: 'string' },
  code: { column: 'items.code', type: 'string', caseExact: true },
  count: { column: 'items.count', type: 'number' },
  score: { column: 'items.score', type: 'number' },
  enabled: { column: 'items.enabled', type: 'boolean' },
  'meta.created': { column: 'items.created', type: 'datetime' },
  lastused: { column: 'items.last_used', type: 'datetime' },
  'emails.value': { column: 'items.name', type: 'string' },
  'emails.type': { column: 'items.type', type: 'string' },
  // A computed attribute: "active" means "has been used".
  active: {
    type: 'boolean',
    compile: (op, value) =>
      (op === 'eq') === value ? sql`items.last_used is not null` : sql`items.last_used is null`,
  },
};

/** [filter, ids of the rows it must select] over the rows in filterTestDb.ts. */
const SELECTIONS: [string, string][] = [
  ['name eq "alice abc smith"', 'a'],
  ['NAME EQ "ALICE ABC SMITH"', 'a'],
  ['name ne "alice abc smith"', 'bcdefg'],
  ['name co "bob_"', 'b'],
  ['name sw "100%"', 'c'],
  ['name co "%"', 'c'],
  ['name co "\\\\slash"', 'e'],
  ['name ew "SMITH"', 'a'],
  ['name co ""', 'abcefg'],
  ['name pr', 'abcefg'],
  ['not (name pr)', 'd'],
  ['name eq null', 'd'],
  ['name ne null', 'abcefg'],
  ['name gt "b"', 'bef'],
  ['code eq "abc"', 'b'],
  ['code ne "abc"', 'acdefg'],
  ['code sw "A"', 'ae'],
  ['code ew "bC"', 'a'],
  ['code co "%"', 'c'],
  ['code co "B"', 'e'],
  ['code pr', 'abcefg'],
  ['count gt 3', 'ae'],
  ['count ge 3', 'abe'],
  ['count lt 0', 'c'],
  ['count le -3', 'c'],
  ['count eq 10', 'a'],
  ['count ne 10', 'bcdefg'],
  ['count gt 3.5', 'ae'],
  ['count lt 3000000000', 'abcefg'],
  ['score ge 1.5', 'abfg'],
  ['score eq 0', 'd'],
  ['enabled eq true', 'ac'],
  ['enabled eq false', 'befg'],
  ['enabled ne true', 'bdefg'],
  ['meta.created gt "2022-05-23T13:03:21.711Z"', 'cefg'],
  ['meta.created ge "2022-05-23T13:03:21.711Z"', 'acefg'],
  ['META.CREATED eq "2022-05-23T15:03:21.711+02:00"', 'a'],
  ['meta.created lt "2019-01-01"', 'b'],
  ['lastUsed le "2023-02-05T10:59:27.214Z"', 'be'],
  ['lastUsed pr', 'bce'],
  ['not (lastUsed gt "2023-01-01T00:00:00Z")', 'adefg'],
  ['name sw "b" and enabled eq false', 'be'],
  ['name sw "b" or count lt 0', 'bce'],
  ['count gt 0 or count lt 0 and enabled eq true', 'abceg'],
  ['not (name sw "b" or name sw "a")', 'cdf'],
  ['(count gt 0) and not (enabled eq true)', 'beg'],
  ['emails[type eq "work" and value co "smith"]', 'a'],
  ['emails[type eq "work"]', 'ac'],
  ['emails.type eq "WORK"', 'ac'],
  ['emails[not (type pr)]', 'd'],
  ['urn:ietf:params:scim:schemas:core:2.0:User:name eq "bob_jones"', 'b'],
  ['active eq true', 'bce'],
  ['active eq false', 'adfg'],
  ['not (active eq true)', 'adfg'],
  ['id eq "a" or id eq "d"', 'ad'],
];

/** [filter, what the error must mention] for filters that parse but cannot compile. */
const REJECTIONS: [string, RegExp][] = [
  ['bogus eq "x"', /bogus/],
  ['constructor eq "x"', /constructor/],
  ['ims[type eq "x"]', /ims\.type/],
  ['emails[type.x eq "x"]', /emails\.type/],
  ['enabled gt true', /gt/],
  ['enabled eq 1', /true or false/],
  ['meta.created gt "yesterday"', /yesterday/],
  ['meta.created gt "2021-02-30T00:00:00Z"', /date-time/],
  ['meta.created gt 1652000000000', /date-time/],
  ['count eq "10"', /number/],
  ['count co 1', /co/],
  ['name gt 5', /string/],
  ['name lt null', /null/],
];

describe('SCIM filter compiler', () => {
  for (const [filter, pattern] of REJECTIONS) {
    test(`rejects ${filter}`, () => {
      assert.throws(
        () => compileScimFilter(parseScimFilter(filter), ATTRIBUTES),
        invalid(
          filter,
          (e) =>
            pattern.test(e.reason) &&
            typeof e.detail.attribute === 'string' &&
            typeof e.detail.position === 'number',
        ),
      );
    });
  }

  test('schemas option restricts which URN prefixes resolve to plain attributes', () => {
    const other = parseScimFilter('urn:example:other:name eq "x"');
    assert.doesNotThrow(() => compileScimFilter(other, ATTRIBUTES));
    const schemas = ['urn:ietf:params:scim:schemas:core:2.0:User'];
    assert.throws(
      () => compileScimFilter(other, ATTRIBUTES, { schemas }),
      invalid('', (e) => /urn:example:other:name/.test(e.reason)),
    );
    const core = parseScimFilter('URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:NAME eq "x"');
    assert.doesNotThrow(() => compileScimFilter(core, ATTRIBUTES, { schemas }));
  });

  async function runSelections(t: TestContext, tdb: TestDb) {
    for (const [filter, expected] of SELECTIONS) {
      await t.test(filter, async () => {
        const ids = await selectIds(tdb.db, compileScimFilter(parseScimFilter(filter), ATTRIBUTES));
        assert.equal(ids.join(''), expected);
      });
    }
  }

  test('selects the right rows on SQLite', async (t) => {
    const tdb = await openSqlite();
    try {
      await runSelections(t, tdb);
    } finally {
      await tdb.close();
    }
  });

  test('selects the right rows on PostgreSQL', async (t) => {
    const tdb = await openPostgres();
    if (!tdb) {
      t.skip('PostgreSQL unreachable at 127.0.0.1:5432/test');
      return;
    }
    try {
      await runSelections(t, tdb);
    } finally {
      await tdb.close();
    }
  });
});

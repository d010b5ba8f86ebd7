/** SailPoint `filters`: AST shape, errors, and the SQL it compiles to on real databases. */
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { Invalid } from '../../src/platform/errors.js';
import {
  compileSailPointFilter,
  parseSailPointFilter,
  type SailPointFields,
  type SailPointFilter,
} from '../../src/platform/filters/sailpoint.js';
import { openPostgres, openSqlite, selectIds, type TestDb } from './filterTestDb.js';

function shape(f: SailPointFilter): unknown {
  return JSON.parse(JSON.stringify(f, (k, v) => (k === 'pos' ? undefined : v)));
}

const str = (value: string) => ({ kind: 'string', value });
const cmp = (field: string, op: string, value: unknown) => ({ type: 'compare', field, op, value });

function invalid(check: (err: Invalid) => boolean = () => true) {
  return (err: unknown) => err instanceof Invalid && err.field === 'filters' && check(err);
}

describe('SailPoint filter parser', () => {
  test('composite precedence: not > and > or, parentheses group', () => {
    assert.deepEqual(shape(parseSailPointFilter('name co "abc" and (enabled eq true or type eq "PUBLIC")')), {
      type: 'and',
      filters: [
        cmp('name', 'co', str('abc')),
        {
          type: 'or',
          filters: [cmp('enabled', 'eq', { kind: 'boolean', value: true }), cmp('type', 'eq', str('PUBLIC'))],
        },
      ],
    });
    assert.deepEqual(shape(parseSailPointFilter('a eq 1 or b eq 2 and c eq 3')), {
      type: 'or',
      filters: [
        cmp('a', 'eq', { kind: 'number', value: 1 }),
        {
          type: 'and',
          filters: [
            cmp('b', 'eq', { kind: 'number', value: 2 }),
            cmp('c', 'eq', { kind: 'number', value: 3 }),
          ],
        },
      ],
    });
    assert.deepEqual(shape(parseSailPointFilter('not a eq 1 and b isnull')), {
      type: 'and',
      filters: [
        { type: 'not', filter: cmp('a', 'eq', { kind: 'number', value: 1 }) },
        { type: 'isnull', field: 'b' },
      ],
    });
    assert.deepEqual(shape(parseSailPointFilter('not (name sw "x")')), {
      type: 'not',
      filter: cmp('name', 'sw', str('x')),
    });
  });

  test('primitives: in, isnull (postfix), pr (prefix)', () => {
    assert.deepEqual(shape(parseSailPointFilter('id in ("a","b")')), {
      type: 'in',
      field: 'id',
      values: [str('a'), str('b')],
    });
    assert.deepEqual(shape(parseSailPointFilter('id in ( "a" , 2 )')), {
      type: 'in',
      field: 'id',
      values: [str('a'), { kind: 'number', value: 2 }],
    });
    assert.deepEqual(shape(parseSailPointFilter('lastUsed isnull')), { type: 'isnull', field: 'lastUsed' });
    assert.deepEqual(shape(parseSailPointFilter('pr accountId')), { type: 'pr', field: 'accountId' });
  });

  test('literals: escapes, numbers, booleans, unquoted and quoted date-times', () => {
    assert.deepEqual(
      shape(parseSailPointFilter('name eq "say \\"hi\\" c:\\\\x"')),
      cmp('name', 'eq', str('say "hi" c:\\x')),
    );
    assert.deepEqual(
      shape(parseSailPointFilter('n ge -1.25')),
      cmp('n', 'ge', { kind: 'number', value: -1.25 }),
    );
    assert.deepEqual(
      shape(parseSailPointFilter('created gt 2018-12-18T23:05:55Z')),
      cmp('created', 'gt', { kind: 'datetime', value: '2018-12-18T23:05:55Z' }),
    );
    assert.deepEqual(
      shape(parseSailPointFilter('lastUsed le 2023-02-05T10:59:27.214Z')),
      cmp('lastUsed', 'le', { kind: 'datetime', value: '2023-02-05T10:59:27.214Z' }),
    );
    assert.deepEqual(
      shape(parseSailPointFilter('t lt 2023-02-05T10:59:27+05:30')),
      cmp('t', 'lt', { kind: 'datetime', value: '2023-02-05T10:59:27+05:30' }),
    );
    assert.deepEqual(
      shape(parseSailPointFilter('created gt "2018-12-18T23:05:55Z"')),
      cmp('created', 'gt', str('2018-12-18T23:05:55Z')),
    );
  });

  const rejects: [string, RegExp][] = [
    ['name EQ "x"', /'EQ' must be lowercase.* at position 5$/],
    ['id IN ("a")', /lowercase/],
    ['name eq "x" AND id eq "a"', /keywords are lowercase.* at position 12$/],
    ['NOT (name eq "x")', /position/],
    ['name eq "x" or', /expected a field name, found end of filter at position 14$/],
    ['(name eq "x"', /expected '\)'.* at position 12$/],
    ['name eq "x")', /found '\)' at position 11$/],
    ['((name eq "x")', /position 14$/],
    ['name eq', /expected a value, found end of filter at position 7$/],
    ['name eq and id eq "a"', /invalid value 'and'/],
    ['name', /expected an operator/],
    ['name equals "x"', /unknown operator 'equals'/],
    ['name eq x', /strings must be double-quoted/],
    ['name eq TRUE', /true and false are lowercase/],
    ['name eq "a\\x"', /invalid escape/],
    ['name eq "abc', /unterminated string.* at position 8$/],
    ['created gt 2023-13-01T00:00:00Z', /invalid date-time/],
    ['created gt 2023-01-01T00:00Z', /position/],
    ['id in ()', /expected a value/],
    ['id in ("a" "b")', /expected ',' or '\)'/],
    ['id in "a"', /expected '\('/],
    ['pr', /expected a field name/],
    ['name isnull "x"', /position/],
    ['', /expected a field name/],
    ['eq "x"', /expected a field name/],
    ['not '.repeat(100) + 'name pr', /nested too deeply/],
  ];
  for (const [filter, pattern] of rejects) {
    test(`rejects ${JSON.stringify(filter.length > 60 ? filter.slice(0, 60) + '…' : filter)}`, () => {
      assert.throws(
        () => parseSailPointFilter(filter),
        invalid((e) => pattern.test(e.reason) && typeof e.detail.position === 'number'),
      );
    });
  }
});

const FIELDS: SailPointFields = {
  id: { column: 'items.id', type: 'string', caseExact: true, ops: ['eq', 'in'] },
  name: { column: 'items.name', type: 'string', ops: ['eq', 'ne', 'co', 'sw', 'in', 'isnull', 'pr'] },
  type: { column: 'items.type', type: 'string', ops: ['eq', 'in'] },
  enabled: { column: 'items.enabled', type: 'boolean', ops: ['eq', 'ne'] },
  count: { column: 'items.count', type: 'number', ops: ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'in'] },
  created: { column: 'items.created', type: 'datetime', ops: ['eq', 'gt', 'ge', 'lt', 'le'] },
  lastUsed: { column: 'items.last_used', type: 'datetime', ops: ['gt', 'ge', 'lt', 'le', 'isnull', 'pr'] },
};

/** [filter, ids of the rows it must select] over the rows in filterTestDb.ts. */
const SELECTIONS: [string, string][] = [
  ['lastUsed isnull', 'adfg'],
  ['pr lastUsed', 'bce'],
  ['lastUsed le 2023-02-05T10:59:27.214Z', 'be'],
  ['lastUsed le "2023-02-05T10:59:27.214Z"', 'be'],
  ['lastUsed lt 2023-02-05T10:59:27.214Z', 'e'],
  ['created gt 2018-12-18T23:05:55Z', 'acdefg'],
  ['created ge 2018-12-18T23:05:55Z', 'abcdefg'],
  ['created lt 2020-01-01T01:00:00+01:00', 'b'],
  ['created eq 2024-01-01', 'fg'],
  ['name co "abc" and (enabled eq true or type eq "PUBLIC")', 'af'],
  ['name co "abc" and enabled eq true or type eq "PUBLIC"', 'aef'],
  ['enabled eq true or id eq "b" and count gt 100', 'ac'],
  ['not (name sw "x")', 'abcdeg'],
  ['not name sw "x"', 'abcdeg'],
  ['not not (id eq "a")', 'a'],
  ['id in ("a","b")', 'ab'],
  ['id in ("a", "zz", "C")', 'a'],
  ['type in ("public", "HOME")', 'bef'],
  ['name eq "BOB_JONES"', 'b'],
  ['name ne "bob_jones"', 'acdefg'],
  ['name sw "bob_"', 'b'],
  ['name co "back\\\\slash"', 'e'],
  ['name co "100%"', 'c'],
  ['name isnull', 'd'],
  ['pr name', 'abcefg'],
  ['count in (3, 7)', 'be'],
  ['count ge 1 and count le 7', 'beg'],
  ['count gt 2.5', 'abe'],
  ['count ne 10', 'bcdefg'],
  ['enabled eq false', 'befg'],
  ['enabled ne true', 'bdefg'],
];

const COMPILE_REJECTS: [string, RegExp][] = [
  ['bogus eq 1', /^unsupported field bogus$/],
  ['Name eq "x"', /^unsupported field Name$/],
  ['toString eq "x"', /^unsupported field toString$/],
  ['enabled co "x"', /^operator co not supported for enabled$/],
  ['pr id', /^operator pr not supported for id$/],
  ['created isnull', /^operator isnull not supported for created$/],
  ['name eq 2023-01-01T00:00:00Z', /not a date-time field/],
  ['count gt "x"', /expects a number/],
  ['enabled eq "true"', /true or false/],
  ['lastUsed gt "garbage"', /garbage/],
  ['count in (1, "2")', /expects a number/],
];

describe('SailPoint filter compiler', () => {
  for (const [filter, pattern] of COMPILE_REJECTS) {
    test(`rejects ${filter}`, () => {
      assert.throws(
        () => compileSailPointFilter(parseSailPointFilter(filter), FIELDS),
        invalid(
          (e) => pattern.test(e.reason) && e.detail.position === 0 && typeof e.detail.field === 'string',
        ),
      );
    });
  }

  async function runSelections(t: TestContext, tdb: TestDb) {
    for (const [filter, expected] of SELECTIONS) {
      await t.test(filter, async () => {
        const ids = await selectIds(tdb.db, compileSailPointFilter(parseSailPointFilter(filter), FIELDS));
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

/**
 * SQL for one filter comparison, shared by the SCIM and SailPoint compilers.
 *
 * Every expression produced here is two-valued (never SQL NULL): comparisons on a NULL column are
 * guarded to FALSE, `ne` treats NULL as "not equal". That keeps `not (...)` meaning "everything the
 * inner filter did not select", as SCIM and SailPoint clients expect, on SQLite and PostgreSQL alike.
 * Storage conventions: datetimes are epoch-ms integers, booleans integer 0/1, strings text.
 */
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';

export type FilterType = 'string' | 'number' | 'boolean' | 'datetime';
export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
export type FilterOp = CompareOp | 'pr' | 'isnull' | 'in';
export type FilterLiteral = string | number | boolean | null;

/**
 * A custom SQL builder for an attribute (e.g. a computed `active` flag). It receives the operator
 * and the value after type checking: datetimes as epoch ms, `undefined` for pr/isnull, an array for in.
 */
export type CustomCompile = (
  op: FilterOp,
  value: FilterLiteral | readonly FilterLiteral[] | undefined,
) => Expression<SqlBool>;

export interface ColumnAttribute {
  /** SQL column reference, e.g. 'authorisations.subject_value'. */
  column: string;
  type: FilterType;
  /** Strings compare case-insensitively unless set. */
  caseExact?: boolean;
  compile?: CustomCompile;
}

/** An attribute with no column of its own, compiled entirely by `compile`. */
export interface ComputedAttribute {
  column?: undefined;
  type: FilterType;
  caseExact?: boolean;
  compile: CustomCompile;
}

export type FilterAttribute = ColumnAttribute | ComputedAttribute;

/** Filterable attributes keyed by name (SCIM: lowercase attribute path; SailPoint: exact field name). */
export type FilterAttributes = Readonly<Record<string, FilterAttribute>>;

/** Reports a problem with the filter; must throw the dialect's Invalid. */
export type Fail = (reason: string) => never;

/** Own-property lookup, so names like 'constructor' or '__proto__' are never "found". */
export function lookupAttribute<T>(map: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

const OPS_BY_TYPE: Record<FilterType, readonly FilterOp[]> = {
  string: ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr', 'isnull', 'in'],
  number: ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'pr', 'isnull', 'in'],
  datetime: ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'pr', 'isnull', 'in'],
  boolean: ['eq', 'ne', 'pr', 'isnull'],
};

const SQL_OPERATOR = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' } as const;

/**
 * Compiles `name op value` for an attribute. `value` is undefined for pr/isnull and an array for in;
 * `null` is accepted with eq/ne only (SCIM `x eq null` = not present).
 */
export function compileComparison(
  spec: FilterAttribute,
  name: string,
  op: FilterOp,
  value: FilterLiteral | readonly FilterLiteral[] | undefined,
  fail: Fail,
): Expression<SqlBool> {
  if (!OPS_BY_TYPE[spec.type].includes(op))
    fail(`operator '${op}' is not supported for ${spec.type} attribute '${name}'`);

  if (op === 'pr' || op === 'isnull') {
    if (spec.compile) return spec.compile(op, undefined);
    return op === 'pr' ? present(spec) : sql<SqlBool>`not ${present(spec)}`;
  }
  if (op === 'in') {
    const list = (Array.isArray(value) ? value : [value]) as FilterLiteral[];
    if (list.length === 0) fail(`'in' needs at least one value for '${name}'`);
    const coerced = list.map((v) => coerce(spec, name, v, fail));
    if (spec.compile) return spec.compile(op, coerced);
    const col = column(spec);
    const params = coerced.map((v) => fold(spec, bind(spec, v)));
    return sql<SqlBool>`(${col} is not null and ${fold(spec, col)} in (${sql.join(params)}))`;
  }

  if (Array.isArray(value)) fail(`operator '${op}' takes a single value for '${name}'`);
  const literal = value as FilterLiteral | undefined;
  if (literal === null || literal === undefined) {
    if (op !== 'eq' && op !== 'ne') fail(`operator '${op}' cannot compare '${name}' with null`);
    if (spec.compile) return spec.compile(op, null);
    return op === 'ne' ? present(spec) : sql<SqlBool>`not ${present(spec)}`;
  }
  const v = coerce(spec, name, literal, fail);
  if (spec.compile) return spec.compile(op, v);

  const col = column(spec);
  if (op === 'co' || op === 'sw' || op === 'ew') return stringMatch(spec, col, op, v as string);
  const cmp = sql<SqlBool>`${fold(spec, col)} ${sql.raw(SQL_OPERATOR[op])} ${fold(spec, bind(spec, v))}`;
  // Absent values are "not equal" to anything and fail every other comparison.
  return op === 'ne'
    ? sql<SqlBool>`(${col} is null or ${cmp})`
    : sql<SqlBool>`(${col} is not null and ${cmp})`;
}

/** Validates a literal against the attribute type; returns it in storage form (datetime → epoch ms). */
function coerce(spec: FilterAttribute, name: string, value: FilterLiteral, fail: Fail): FilterLiteral {
  switch (spec.type) {
    case 'string':
      if (typeof value !== 'string') fail(`attribute '${name}' expects a string value`);
      return value;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value))
        fail(`attribute '${name}' expects a number value`);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') fail(`attribute '${name}' expects true or false`);
      return value;
    case 'datetime': {
      if (typeof value !== 'string') fail(`attribute '${name}' expects an ISO 8601 date-time string`);
      const ms = parseDateTime(value);
      if (ms === undefined) fail(`'${value}' is not a valid ISO 8601 date-time for '${name}'`);
      return ms;
    }
  }
}

function column(spec: FilterAttribute): RawBuilder<unknown> {
  if (spec.column === undefined) throw new TypeError('filter attribute needs a column or a compile function');
  return sql`${sql.ref(spec.column)}`;
}

function caseInsensitive(spec: FilterAttribute): boolean {
  return spec.type === 'string' && !spec.caseExact;
}

/** lower() on both sides for case-insensitive strings (PostgreSQL's `=` and LIKE are case-sensitive). */
function fold(spec: FilterAttribute, e: RawBuilder<unknown>): RawBuilder<unknown> {
  return caseInsensitive(spec) ? sql`lower(${e})` : e;
}

function bind(spec: FilterAttribute, v: FilterLiteral): RawBuilder<unknown> {
  if (spec.type === 'boolean') return sql.lit(v ? 1 : 0);
  if (spec.type === 'string') return sql`cast(${v} as text)`; // typed, so PostgreSQL resolves lower()/length()
  if (spec.type === 'number' && !(Number.isInteger(v) && Math.abs(v as number) < 2 ** 31)) {
    // PostgreSQL would type the parameter after an integer column and reject 1.5 or 2^40.
    return sql`cast(${v} as numeric)`;
  }
  return sql`${v}`;
}

function present(spec: FilterAttribute): RawBuilder<SqlBool> {
  const col = column(spec);
  return spec.type === 'string'
    ? sql<SqlBool>`(${col} is not null and ${col} <> '')`
    : sql<SqlBool>`(${col} is not null)`;
}

/** co/sw/ew. LIKE with an explicit escape works the same on SQLite and PostgreSQL. */
function stringMatch(
  spec: FilterAttribute,
  col: RawBuilder<unknown>,
  op: 'co' | 'sw' | 'ew',
  v: string,
): RawBuilder<SqlBool> {
  if (caseInsensitive(spec)) {
    const escaped = v.replace(/[\\%_]/g, (c) => '\\' + c);
    const pattern = op === 'sw' ? `${escaped}%` : op === 'ew' ? `%${escaped}` : `%${escaped}%`;
    return sql<SqlBool>`(${col} is not null and lower(${col}) like lower(${bind(spec, pattern)}) escape '\\')`;
  }
  // SQLite's LIKE ignores ASCII case, so case-exact matching uses functions both databases share.
  if (v === '') return sql<SqlBool>`(${col} is not null)`;
  const n = [...v].length; // SQL length() counts code points, as does spreading a JS string
  const p = bind(spec, v);
  if (op === 'sw') return sql<SqlBool>`(${col} is not null and substr(${col}, 1, ${sql.lit(n)}) = ${p})`;
  if (op === 'ew') {
    return sql<SqlBool>`(${col} is not null and length(${col}) >= ${sql.lit(n)} and substr(${col}, length(${col}) - ${sql.lit(n - 1)}) = ${p})`;
  }
  return sql<SqlBool>`(${col} is not null and replace(${col}, ${p}, '') <> ${col})`;
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Parses an ISO 8601 / RFC 3339 date or date-time to epoch ms; undefined if malformed or out of range.
 * A missing zone means UTC (Date.parse would use the server's local zone). Digits beyond ms are truncated.
 */
export function parseDateTime(text: string): number | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h = 0, mi = 0, s = 0] = m
    .slice(1, 7)
    .map((x) => (x === undefined ? undefined : Number(x))) as number[];
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const daysInMonth = new Date(Date.UTC(2000, mo, 0)).getUTCDate() - (mo === 2 && !isLeap(y) ? 1 : 0);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth || h > 23 || mi > 59 || s > 60) return undefined;
  let offset = 0;
  const zone = m[8];
  if (zone && zone !== 'Z' && zone !== 'z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(-2));
    if (oh > 23 || om > 59) return undefined;
    offset = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d); // not Date.UTC: it maps years 0-99 to 1900-1999
  date.setUTCHours(h, mi, s, ms);
  return date.getTime() - offset;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}
